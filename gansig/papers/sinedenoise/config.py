"""Configuration of the 1-D sine-denoiser reproduction (russell-rozenbaum/GAN-Denoiser).

Values follow the project's text and public code (see ../../../papers/sinedenoise/README.md);
the few choices they leave open are marked "interpretation".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

SIGNAL_LENGTH = 256  # samples of one signal: the networks' frame


@dataclass(frozen=True)
class Config:
    # Data: 1 s at 256 Hz, the sum of 3 unit sines with f ~ U(10, 64) Hz divided by 3,
    # white noise N(0, 0.5^2), mixed at -2 dB as a*s + b*n; 1800 signals, 1600/200.
    sample_rate: int = 256
    duration: float = 1.0
    n_components: int = 3
    freq_min: float = 10.0
    freq_max: float = 64.0
    noise_std: float = 0.5
    snr_db: float = -2.0
    energy_preserving_mix: bool = True
    n_signals: int = 1800
    n_train: int = 1600
    # Training: G alone for 40 epochs, then G and D up to 200 epochs, early stopping
    # (patience 50) on the validation reconstruction loss (interpretation: the L1 term).
    batch_size: int = 50
    g_learning_rate: float = 1e-3
    d_learning_rate: float = 1e-4
    lr_decay_every: int = 50
    lr_decay_factor: float = 0.5
    adversarial_weight: float = 3.0
    content_weight: float = 9.0
    warmup_epochs: int = 40
    max_epochs: int = 200
    patience: int = 50
    partner_inference_mode: bool = True   # the public code calls .eval() on the partner network
    # Low-pass baseline: buttord(64/128, 90/128, 0.05 dB, 60 dB) -> butter -> filtfilt.
    lowpass_pass_hz: float = 64.0
    lowpass_stop_hz: float = 90.0
    lowpass_ripple_db: float = 0.05
    lowpass_attenuation_db: float = 60.0
    # Where residual noise is measured: the sines' band and the band above it.
    in_band_hz: tuple[float, float] = (10.0, 64.0)
    out_band_hz: tuple[float, float] = (64.0, 128.0)
    figure_examples: int = 8

    # What `--set` accepts (checked when a config is made; gansig.profiles.validate).
    LIMITS = {"sample_rate": (16, 192_000), "duration": (0.01, 60), "n_components": (1, None), "freq_min": (0, None),
              "freq_max": (0, None), "noise_std": (0, None), "n_signals": (2, None), "n_train": (1, None),
              "batch_size": (1, None), "g_learning_rate": (0, 1), "d_learning_rate": (0, 1),
              "lr_decay_every": (1, None), "lr_decay_factor": (0, 1), "adversarial_weight": (0, None),
              "content_weight": (0, None), "warmup_epochs": (0, None), "max_epochs": (1, None), "patience": (1, None),
              "lowpass_pass_hz": (0, None), "lowpass_stop_hz": (0, None), "lowpass_ripple_db": (0, None),
              "lowpass_attenuation_db": (0, None), "figure_examples": (1, None), "in_band_hz": (0, None),
              "out_band_hz": (0, None)}

    def __post_init__(self) -> None:
        if self.n_train >= self.n_signals:
            raise ValueError(f"n_train={self.n_train}: must be below n_signals ({self.n_signals}), which leaves the "
                             "validation set")
        if self.warmup_epochs >= self.max_epochs:
            raise ValueError(f"max_epochs={self.max_epochs}: must be above warmup_epochs ({self.warmup_epochs}), "
                             "or the discriminator never joins")
        nyquist = self.sample_rate / 2
        if not self.freq_min < self.freq_max <= nyquist:
            raise ValueError(f"freq_min={self.freq_min:g}, freq_max={self.freq_max:g}: need freq_min < freq_max <= "
                             f"half the rate ({nyquist:g} Hz)")
        if not self.lowpass_pass_hz < self.lowpass_stop_hz < nyquist:
            raise ValueError(f"lowpass_pass_hz={self.lowpass_pass_hz:g}, lowpass_stop_hz={self.lowpass_stop_hz:g}: "
                             f"need pass < stop < half the rate ({nyquist:g} Hz)")
        for name in ("in_band_hz", "out_band_hz"):
            low, high = getattr(self, name)
            if not low < high <= nyquist:
                raise ValueError(f"{name}=({low:g}, {high:g}): need low < high <= half the rate ({nyquist:g} Hz)")

    @property
    def n_val(self) -> int:
        return self.n_signals - self.n_train


PAPER = Config()
PROFILES = {
    "paper": PAPER,
    # The paper profile already fits the CPU budget; quick only trims the epoch ceiling.
    "quick": dataclasses.replace(PAPER, max_epochs=120),
    "smoke": dataclasses.replace(PAPER, n_signals=150, n_train=100, warmup_epochs=1, max_epochs=3, patience=2,
                                 figure_examples=2),
}
