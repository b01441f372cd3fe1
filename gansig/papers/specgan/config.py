"""Configuration of the SpecGAN reproduction (the UrbanSound8K street-music course report,
beside Donahue et al.'s canonical SpecGAN; the facts, with their lines, in
../shared/papers/NOTES-film-and-specgan.md part B and REFERENCE-NOTES.md "Paper 4").

Three trainings (``RUNS``): the report's model as reported, the canonical SpecGAN on the
same class, and the canonical SpecGAN conditioned on the ten classes. Fields the report or
Donahue's code state are marked "report" / "donahue", derived ones "derived", the rest
"interpretation" (each recorded in papers/specgan/README.md).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from gansig.data.corpora.urbansound import URBANSOUND_CLASSES
from gansig.profiles import RunSpec

MODELS = ("report", "specgan", "gansig")


@dataclass(frozen=True)
class Config:
    # ---- data: UrbanSound8K (or the street-default stand-in), official folds -----------------------
    target_class: str = "street_music"      # report: "arbitrarily elected"
    train_folds: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 9)  # interpretation (B5-11): official folds
    test_folds: tuple[int, ...] = (10,)
    train_subset: int | None = 100          # report: 100 clips drawn with np.random.seed(42) (None: every clip)
    subset_seed: int = 42                   # report
    # ---- the report's front end (B1) ---------------------------------------------------------------
    rate: int = 22_050                      # report
    n_mels: int = 64                        # report
    n_fft: int = 1024                       # report
    hop: int = 512                          # report
    clip_ms: int = 4008                     # report: "max_duration_ms = 4008  # 4 seconds" -> 173 frames
    time_shift: float = 0.4                 # report: roll by up to 40% of the length, once, at preprocessing
    top_db: float = 80.0                    # interpretation: librosa power_to_db(ref=np.max) with top_db 80
    image_size: int = 256                   # report: bilinear resize to 256 x 256
    png_quantise: bool = False              # report's PNG step (per-image min-max, 8 bits: loses the level) when True
    mel_inversion: str = "pinv"             # interpretation: mel -> linear by the pseudo-inverse ("nnls" is slower)
    griffin_lim_iters: int = 32             # interpretation (the report never says how it made audio)
    # ---- the canonical SpecGAN's front end (donahue) -----------------------------------------------
    specgan_rate: int = 16_000              # donahue
    specgan_samples: int = 16_384           # donahue: 128 frames of hop 128
    specgan_n_fft: int = 256                # donahue: 129 bins, the Nyquist bin dropped -> 128 x 128
    specgan_hop: int = 128
    specgan_clip: float = 3.0               # donahue: per-bin z-score divided by 3, clipped to [-1, 1]
    specgan_griffin_lim_iters: int = 16     # donahue
    # ---- which model a run trains -------------------------------------------------------------------
    model: str = "report"                   # "report", "specgan" or "gansig" (RUNS sets it)
    conditional: bool = False               # a class label in (the canonical model's option; gansig's always)
    classes: tuple[str, ...] = URBANSOUND_CLASSES  # the classes a conditional model takes (a user's folders' names)
    width: float = 1.0                      # channel multiplier (the CPU profiles are narrower)
    # ---- the report's model and training (B2.3, B2.4, B3) ------------------------------------------
    report_latent: int = 128                # report
    report_batch_size: int = 8              # report
    report_epochs: int = 1000               # interpretation: "1000 epochs would take exorbitant time"
    report_lr: float = 4e-4                 # report: the only rate it states (the early model's)
    report_beta_1: float = 0.9              # interpretation: Keras's default (not restated)
    real_label: float = 0.9                 # report: one-sided label smoothing
    instance_noise: float = 0.02            # report: on real images only
    report_gradient_penalty: float = 25.0   # report: one-sided, on clean reals
    generator_steps: int = 2                # report
    dynamic_weighting: bool = True          # report: D's real/fake losses weighted by how wrong D is (in the graph)
    apply_clipping: bool = False            # report: clip_by_value(-0.5, 0.5) computed, never applied (a bug)
    double_sigmoid: bool = True             # report: from_logits=True BCE on a sigmoid output (a bug)
    # ---- the canonical SpecGAN (donahue) ------------------------------------------------------------
    specgan_latent: int = 100
    specgan_dim: int = 64
    specgan_upsample: str = "zeros"         # donahue's default; "nn" / "linear" / "cubic" resize then convolve
    specgan_batch_size: int = 64
    specgan_lr: float = 1e-4
    specgan_betas: tuple[float, float] = (0.5, 0.9)
    critic_steps: int = 5
    specgan_gradient_penalty: float = 10.0
    specgan_updates: int = 20_000           # interpretation: generator updates (100,000 critic steps)
    # ---- the gansig model: a class-conditional GAN for little data (beyond both papers) ---------------
    gansig_n_fft: int = 512                 # its images: log-mel of 16384-sample windows, n_fft 512, hop 128,
    gansig_mels: int = 64                   # 64 mels x 128 frames, dB against the window's maximum / 40 + 1
    gansig_latent: int = 128
    gansig_channels: int = 256              # the generator's first stage (halved at each of four upsamplings)
    gansig_batch_size: int = 64
    gansig_g_lr: float = 1e-4               # two time-scale rates (Heusel et al. 2017), Adam betas (0, 0.9)
    gansig_d_lr: float = 4e-4
    gansig_average: float = 0.999           # the sampled generator: an EMA of its weights
    gansig_shift: float = 0.25              # DiffAugment in front of the discriminator: circular time shift,
    gansig_cutout: float = 0.25             # cut-out (a share of each side)
    gansig_gain: float = 0.1                # and level (in image units: 0.1 = 4 dB)
    gansig_updates: int = 20_000            # generator updates
    gansig_griffin_lim_iters: int = 32
    # ---- the in-domain classifier and the scores (beyond the report) --------------------------------
    classifier_rate: int = 16_000           # donahue's inception classifier: 16384 samples -> log-mel
    classifier_n_fft: int = 1024
    classifier_hop: int = 128
    classifier_mels: int = 128
    classifier_channels: int = 128          # donahue: four blocks of 5x5 conv 128 + max-pool + batch norm
    classifier_epochs: int = 60
    classifier_batch_size: int = 64
    classifier_shift: float = 0.5           # beyond donahue: circular time shift (share of the frames) in training
    classifier_masks: int = 2               # SpecAugment stripes per axis (each up to 15 % of it) in training
    classifier_mixup: float = 0.4           # mixup's Beta alpha (0 = none)
    n_eval: int = 2048                      # samples in every scored set (>= 2048: full-rank covariance)
    n_per_class: int = 512                  # windows per class for the conditional models' per-class scores
    cas_epochs: int = 60                    # the CAS classifier's epochs (trained on generated windows alone)
    kid_subsets: int = 20                   # KID: mean over subsets (unbiased MMD^2)
    kid_subset_size: int = 512
    n_examples: int = 8                     # audio examples written per model
    steps_per_epoch: int = 50               # generator updates in the canonical model's "epoch" (logs, checkpoints)
    windows_per_clip: int = 8               # 16384-sample windows cut from each clip (canonical model, classifier)

    LIMITS = {"specgan_betas": (0, 0.9999), "train_folds": (1, 10), "test_folds": (1, 10),
              "train_subset": (2, None), "rate": (8000, 96_000), "n_mels": (8, 256), "n_fft": (64, 8192),
              "hop": (16, 4096), "clip_ms": (500, 60_000), "time_shift": (0, 1), "top_db": (10, 200),
              "image_size": (16, 1024), "griffin_lim_iters": (0, 1000), "specgan_rate": (8000, 96_000),
              "specgan_samples": (1024, 1 << 20), "specgan_n_fft": (32, 4096), "specgan_hop": (8, 2048),
              "specgan_clip": (0.1, 100), "specgan_griffin_lim_iters": (0, 1000), "width": (0.001, 4),
              "report_latent": (1, 4096), "report_batch_size": (1, None), "report_epochs": (1, None),
              "report_lr": (0, 1), "report_beta_1": (0, 0.9999), "real_label": (0.5, 1), "instance_noise": (0, 1),
              "report_gradient_penalty": (0, None), "generator_steps": (1, 10), "specgan_latent": (1, 4096),
              "specgan_dim": (1, 1024), "specgan_batch_size": (1, None), "specgan_lr": (0, 1),
              "critic_steps": (1, 20), "specgan_gradient_penalty": (0, None), "specgan_updates": (1, None),
              "classifier_rate": (8000, 96_000), "classifier_n_fft": (64, 8192), "classifier_hop": (16, 4096),
              "classifier_mels": (8, 512), "classifier_channels": (4, 1024), "classifier_epochs": (1, None),
              "classifier_batch_size": (1, None), "classifier_shift": (0, 0.5),
              "classifier_masks": (0, 8), "classifier_mixup": (0, 10), "n_eval": (16, None), "n_per_class": (4, None),
              "cas_epochs": (1, None),
              "kid_subsets": (1, 1000), "kid_subset_size": (4, None), "n_examples": (1, 256),
              "steps_per_epoch": (1, None), "gansig_n_fft": (64, 8192), "gansig_mels": (8, 256),
              "gansig_latent": (1, 4096), "gansig_channels": (8, 4096), "gansig_batch_size": (2, None),
              "gansig_g_lr": (0, 1), "gansig_d_lr": (0, 1), "gansig_average": (0, 0.9999), "gansig_shift": (0, 0.5),
              "gansig_cutout": (0, 1), "gansig_gain": (0, 2), "gansig_updates": (1, None),
              "gansig_griffin_lim_iters": (0, 1000), "subset_seed": (0, 2**32 - 1), "windows_per_clip": (1, 1000)}
    CHOICES = {"target_class": URBANSOUND_CLASSES, "mel_inversion": ("pinv", "nnls"), "model": MODELS,
               "specgan_upsample": ("zeros", "nn", "linear", "cubic")}

    def __post_init__(self) -> None:
        if self.image_size % 16:
            raise ValueError(f"image_size={self.image_size}: the report's generator upsamples 16x (use a multiple)")
        if self.specgan_samples // self.specgan_hop != 128 or self.specgan_n_fft // 2 != 128:
            raise ValueError("the canonical SpecGAN makes 128 x 128 images: specgan_samples / specgan_hop and "
                             "specgan_n_fft / 2 must both be 128")
        if self.conditional and self.model == "report":
            raise ValueError("the report's model is not conditional (conditional: model='specgan' or 'gansig')")
        if self.model == "gansig" and not self.conditional:
            raise ValueError("the gansig model is class-conditional: set conditional=True")
        if self.model == "gansig" and (self.gansig_mels % 16 or self.gansig_channels % 16):
            raise ValueError("the gansig generator upsamples 16x and halves its channels four times: gansig_mels "
                             "and gansig_channels must be multiples of 16")
        if self.kid_subset_size > self.n_eval:
            raise ValueError(f"kid_subset_size={self.kid_subset_size} is larger than n_eval={self.n_eval}")

    @property
    def frames(self) -> int:
        """Mel frames of a clip (derived: 173 for 4.008 s at hop 512)."""
        return 1 + self.clip_samples // self.hop

    @property
    def gansig_frames(self) -> int:
        """Frames of a gansig image (derived: 128 for 16384 samples at hop 128)."""
        return self.specgan_samples // self.specgan_hop

    @property
    def clip_samples(self) -> int:
        return self.rate * self.clip_ms // 1000


RUNS = {
    "report": RunSpec({"model": "report"}),
    "specgan": RunSpec({"model": "specgan"}),
    "conditional": RunSpec({"model": "specgan", "conditional": True}),
    "gansig": RunSpec({"model": "gansig", "conditional": True}),
}

PAPER = Config()
PROFILES = {
    "paper": PAPER,
    # quick (~17 min on 2 cores): 128 x 128 report images at a sixteenth of its widths; the
    # canonical model at an eighth (dim 8) with batch 32 (measured: 800 updates of 32 beat 400 of
    # 64 in the same time, FD 17.7 vs 21.9); a classifier of 32 channels; 2048 samples a set.
    "quick": dataclasses.replace(PAPER, image_size=128, width=1 / 16, report_epochs=150, specgan_dim=8,
                                 specgan_batch_size=32, specgan_updates=800, classifier_channels=32, classifier_mels=64,
                                 classifier_epochs=12, n_per_class=256, steps_per_epoch=25, windows_per_clip=4,
                                 gansig_channels=128, gansig_batch_size=32, gansig_updates=6000, cas_epochs=8),
    "smoke": dataclasses.replace(PAPER, train_subset=8, image_size=32, width=1 / 32, report_epochs=1,
                                 report_batch_size=4, specgan_dim=2, specgan_batch_size=4, specgan_updates=2,
                                 critic_steps=2, classifier_channels=4, classifier_mels=32, classifier_epochs=1,
                                 classifier_batch_size=8, n_eval=32, n_per_class=8, kid_subsets=2,
                                 kid_subset_size=16, n_examples=2, steps_per_epoch=1, griffin_lim_iters=2,
                                 windows_per_clip=1, specgan_griffin_lim_iters=2, gansig_channels=16, gansig_mels=16,
                                 gansig_batch_size=4, gansig_updates=2, gansig_griffin_lim_iters=2, cas_epochs=1),
}
