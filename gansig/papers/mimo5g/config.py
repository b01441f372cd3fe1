"""Configuration of the 5G MIMO spectrogram-denoiser reproduction.

Fields the paper states are marked "paper"; the rest are interpretations, each recorded
in papers/mimo5g/README.md.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from gansig.baselines.denoise import NOISE_ESTIMATES
from gansig.training import CONTENT_LOSSES


@dataclass(frozen=True)
class Config:
    # Algorithm 1: signals. The paper gives no rate, duration or frequency range.
    sample_rate: int = 22050            # interpretation: librosa's default rate
    duration: float = 1.5               # interpretation: 65 STFT frames, close to the 64-px width
    freq_min: float = 100.0             # interpretation: sine frequency ~ U(freq_min, freq_max)
    freq_max: float = 5000.0
    amplitude: float = 1.0              # paper: np.sin, amplitude 1
    noise_std: float = 0.5              # paper: noise_level=0.5
    # Algorithm 2: features.
    n_fft: int = 2048                   # paper
    hop: int = 512                      # paper
    n_mels: int = 64                    # paper
    image_size: int = 64                # paper: resize to 64x64
    top_db: float = 80.0                # interpretation: librosa power_to_db's default floor
    resize_method: str = "bilinear"     # interpretation
    # Data sizes. The paper gives none; "testing steps" is read as test-set size.
    n_train: int = 20000
    n_val: int = 500
    test_steps: tuple[int, ...] = (50, 100, 250, 500, 1000)   # paper: Table II rows
    # Generator output: tanh in [-1, 1] vs targets in [0, 1] (the paper's inconsistency).
    output_mapping: str = "affine"      # "affine": (tanh + 1) / 2; "none": raw tanh
    # GAN training.
    epochs: int = 20                    # paper
    batch_size: int = 32                # interpretation
    g_learning_rate: float = 2e-4       # interpretation (DCGAN/pix2pix Adam settings)
    d_learning_rate: float = 2e-4
    beta_1: float = 0.5
    content_loss: str = "l1"            # interpretation: a content term is needed to denoise *this* input
    content_weight: float = 100.0       # interpretation: pix2pix's lambda
    adversarial_weight: float = 1.0
    label_smoothing: float = 0.0
    early_stopping_patience: int | None = 5   # paper mentions early stopping, no patience
    # Autoencoder baseline: binary cross-entropy (paper), architecture an interpretation.
    ae_epochs: int = 20                 # paper
    ae_learning_rate: float = 1e-3
    # Ablation (beyond the paper): the GAN's generator trained alone, as an autoencoder with
    # BCE, separates what the adversarial training adds from what the architecture does.
    generator_ablation: bool = True
    # Classical baselines (beyond the paper).
    baseline_noise_estimate: str = "white"
    # Reporting.
    inference_repeats: int = 30
    figure_examples: int = 4

    # What `--set` accepts (checked when a config is made; gansig.profiles.validate).
    LIMITS = {"sample_rate": (1000, 192_000), "duration": (0.1, 60), "freq_min": (0, None), "freq_max": (1, None),
              "amplitude": (0, None), "noise_std": (0, None), "n_fft": (16, 65_536), "hop": (1, None),
              "n_mels": (2, 512), "image_size": (8, 1024), "top_db": (1, None), "n_train": (1, None),
              "n_val": (1, None), "epochs": (1, None), "batch_size": (1, None), "g_learning_rate": (0, 1),
              "d_learning_rate": (0, 1), "beta_1": (0, 0.9999), "content_weight": (0, None),
              "adversarial_weight": (0, None), "label_smoothing": (0, 0.99), "early_stopping_patience": (1, None),
              "ae_epochs": (1, None), "ae_learning_rate": (0, 1), "inference_repeats": (1, None),
              "figure_examples": (1, None), "test_steps": (1, None)}
    CHOICES = {"resize_method": ("bilinear", "nearest", "bicubic", "area"), "output_mapping": ("affine", "none"),
               "content_loss": CONTENT_LOSSES, "baseline_noise_estimate": NOISE_ESTIMATES}

    def __post_init__(self) -> None:
        if not self.freq_min < self.freq_max <= self.sample_rate / 2:
            raise ValueError(f"freq_min={self.freq_min:g}, freq_max={self.freq_max:g}: need freq_min < freq_max <= "
                             f"half the rate ({self.sample_rate / 2:g} Hz)")


PAPER = Config()
PROFILES = {
    "paper": PAPER,
    "quick": dataclasses.replace(PAPER, n_train=3000, n_val=200, epochs=8, ae_epochs=8),
    "smoke": dataclasses.replace(PAPER, n_train=64, n_val=16, test_steps=(8, 16), epochs=1, ae_epochs=1,
                                 batch_size=16, inference_repeats=3, figure_examples=2),
}
