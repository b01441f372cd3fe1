"""Configuration of the film-restoration reproduction (Aksoy's thesis; the facts, with their
lines, in ../shared/papers/NOTES-film-and-specgan.md part A).

Fields the thesis states are marked "paper", those derived from its numbers "derived", the
rest "interpretation" (each recorded in papers/film/README.md). Every experiment is a
training chain (``RunSpec``) and every row of Table 5.1 a checkpoint of one (``Checkpoint``):
epochs are the thesis's, scaled by ``epoch_scale`` on the CPU profiles.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from gansig.profiles import Checkpoint, RunSpec

FRONT_ENDS = ("stft", "logstft", "logmfcc")
GENERATORS = ("g1", "g3", "g5", "g7")
DISCRIMINATORS = ("d1", "d3", "d5")


@dataclass(frozen=True)
class Config:
    # ---- data: the thesis's custom set (section 3.2) -----------------------------------------
    rate: int = 48_000                      # paper: 48 kHz mono
    clip_seconds: float | None = 126.0      # paper: "a 126-second sound sample" (None: the whole recording)
    heldout_fraction: float = 0.2           # interpretation (A7-#8): the last fifth, never trained on, scores every row
    noise_rms_dbfs: float = -30.0           # interpretation of "30 RMS white noise" (A1.3)
    noise_before_cut: bool = True           # paper [T:851]: the cut files are cut versions of original + noise
    lowpass: str = "brickwall"              # interpretation: "brickwall" (FFT) or "butterworth" (zero-phase)
    lowpass_order: int = 8                  # the Butterworth's order, when used
    cutoffs_hz: tuple[float, ...] = (150.0, 250.0, 500.0, 1000.0, 1500.0, 2000.0, 3000.0)  # paper
    eval_cutoff_hz: float = 2000.0          # paper: Exp 5-11 train on the 2000 Hz cut; every row is scored on it
    # ---- features (section 3.3) -----------------------------------------------------------------
    n_fft: int = 2048                       # derived: 1025 bins
    hop: int = 512                          # derived: 188 frames for 2 s, 47 for 0.5 s
    segment_s: float = 0.5                  # paper: 0.5 s from Exp 5 (Exp 1-4: 2 s)
    all_cuts: bool = False                  # paper: Exp 1-4 pair all seven cuts with the target, Exp 5+ the 2000 Hz cut
    front_end: str = "stft"                 # paper: STFT real/imag (Exp 1-6), log-STFT (7-9), log-MFCC (10-11)
    input_scale: float = 1.0                # paper: no normalisation before the generator's tanh (A7-#5)
    n_mels: int = 128                       # interpretation (torchaudio's default; A2.3)
    n_mfcc: int = 40                        # interpretation (torchaudio's default)
    griffin_lim_iters: int = 32             # interpretation (torchaudio's GriffinLim default)
    # ---- networks (section 4, the layer tables) -------------------------------------------------
    generator: str = "g5"                   # paper: the tables of Exp 1, 3, 5 (g7: Exp 7's LeakyReLU version of g5)
    discriminator: str = "d5"               # paper: d1, d3, d5
    width: float = 1.0                      # channel multiplier (the CPU profiles are narrower)
    kernel: tuple[int, int] = (3, 5)        # interpretation (A7-#2): 15 weights, 3 along frequency, 5 along time
    g_slope: float = 0.01                   # paper: "standard negative slope" (PyTorch's 0.01); Exp 8: 0.3
    d_slope: float = 0.01
    g_dropout: float = 0.1                  # interpretation of Exp 5's "tiny" dropout
    d_dropout: float = 0.0                  # paper: Exp 3 0.25; Exp 6 "over 0.7" (interpretation 0.75)
    norm: str = "batch"                     # paper: BatchNorm; Exp 11 LayerNorm (per-sample, per-channel affine)
    d_sigmoid: bool = False                 # paper: Exp 1-2's D ends in a Sigmoid before BCEWithLogits (A7-#6)
    # ---- training (section 4.1.1, every experiment's settings: A5) ------------------------------
    batch_size: int = 8                     # interpretation: never stated
    epochs: int = 6000
    g_lr: float = 2e-4
    d_lr: float = 2e-4
    lr_steps: tuple[tuple[int, float], ...] = ()  # (epoch, rate): both rates change from that epoch
    beta_1: float = 0.5                     # paper: Adam(0.5, 0.999)
    generator_steps: int = 2                # paper: from Exp 4, two G steps per D step
    labels: tuple[tuple[int, float, float], ...] = ((0, 1.0, 0.0),)  # (epoch, real target, fake target)
    d_skip_below: float | None = None       # paper: from Exp 7, D learns only while its fake loss is above 0.1
    d_skip_max: int = 5                     # interpretation (A5.12): the counter forces an update after 5 skips
    content_weight: float = 0.0             # paper: 100 x MSE in Exp 9-10
    checkpoints: tuple[int, ...] = ()       # epochs whose networks rows use or branches start from
    seed_offset: int = 0                    # a second model of the same experiment (Exp 11's)
    epoch_scale: float = 1.0                # every epoch above times this (at least 1 epoch a chain): CPU profiles
    max_pairs: int | None = None            # training pairs drawn per epoch (None: all)
    # ---- evaluation ---------------------------------------------------------------------------------
    visqol_seconds: float | None = None     # ViSQOL on the excerpt's first seconds (None: all of it)
    example_seconds: float = 5.0            # audio examples written
    # ---- the gansig restorer (not the thesis): trained for the clean original on film-restore ---------
    restorer_channels: int = 192
    restorer_blocks: int = 4
    restorer_epochs: int = 40
    restorer_learning_rate: float = 3e-4
    restorer_crop_frames: int = 64          # training crops (0.68 s), from a random phase each epoch (at most 256)
    restorer_batch_size: int = 16
    restorer_adversarial_weight: float = 0.0    # measured: 0.05 with feature matching 1 scored worse at CPU budgets
    restorer_feature_matching_weight: float = 0.0
    restorer_max_drop_db: float = 30.0      # the most the denoiser lowers a kept bin
    restorer_snr_budget_db: float = 0.25    # the restored band's level: this much SNR lost, as estimated per block
                                            # (half the goal's 0.5 dB: the estimate runs ~3 dB low on unseen music)
    restorer_phase_iters: int = 16          # Griffin-Lim iterations for the restored band's phase
    restorer_clips: int | None = None       # film-restore clips trained on (None: all)
    # the damage drawn per training example
    restorer_cutoff_range_hz: tuple[float, float] = (1000.0, 8000.0)  # log-uniform
    restorer_brickwall_share: float = 0.5   # else a Butterworth of one of restorer_orders
    restorer_orders: tuple[int, ...] = (2, 4, 8, 16)
    restorer_noise_free_share: float = 0.2  # else white noise uniform in restorer_noise_range_dbfs
    restorer_noise_range_dbfs: tuple[float, float] = (-70.0, -25.0)
    restorer_level_range_db: tuple[float, float] = (-20.0, 0.0)  # each clip's gain (peak 0.9 at 0 dB)

    LIMITS = {"rate": (8000, 192_000), "clip_seconds": (1, None), "heldout_fraction": (0.05, 0.9),
              "lowpass_order": (1, 32), "eval_cutoff_hz": (50, None), "n_fft": (64, 16384), "hop": (1, None),
              "segment_s": (0.05, 10), "input_scale": (1e-9, None), "n_mels": (8, 512), "n_mfcc": (2, 512),
              "griffin_lim_iters": (0, 1000), "width": (0.001, 4), "g_slope": (0, 1), "d_slope": (0, 1),
              "g_dropout": (0, 0.99), "d_dropout": (0, 0.99), "batch_size": (1, None), "epochs": (1, None),
              "g_lr": (0, 1), "d_lr": (0, 1), "beta_1": (0, 0.9999), "generator_steps": (1, 10),
              "d_skip_below": (0, None), "d_skip_max": (1, None), "content_weight": (0, None),
              "seed_offset": (0, 1000), "epoch_scale": (1e-6, 1), "max_pairs": (1, None), "visqol_seconds": (1, None),
              "example_seconds": (0.5, None), "kernel": (1, 64), "cutoffs_hz": (50, None),
              "noise_rms_dbfs": (-200, 0), "checkpoints": (1, None),
              "restorer_channels": (4, 2048), "restorer_blocks": (1, 32), "restorer_epochs": (1, None),
              "restorer_learning_rate": (0, 1), "restorer_crop_frames": (8, 256), "restorer_batch_size": (1, None),
              "restorer_adversarial_weight": (0, None), "restorer_feature_matching_weight": (0, None),
              "restorer_max_drop_db": (0, 120), "restorer_snr_budget_db": (0.01, 20),
              "restorer_phase_iters": (0, 1000), "restorer_clips": (1, None), "restorer_cutoff_range_hz": (50, None),
              "restorer_brickwall_share": (0, 1), "restorer_orders": (1, 32), "restorer_noise_free_share": (0, 1),
              "restorer_noise_range_dbfs": (-200, 0), "restorer_level_range_db": (-80, 0)}
    MAY_BE_EMPTY = ("lr_steps", "checkpoints")
    CHOICES = {"lowpass": ("brickwall", "butterworth"), "front_end": FRONT_ENDS, "generator": GENERATORS,
               "discriminator": DISCRIMINATORS, "norm": ("batch", "layer")}

    def __post_init__(self) -> None:
        for name in ("eval_cutoff_hz", "cutoffs_hz", "restorer_cutoff_range_hz"):
            value = getattr(self, name)
            if max(value if isinstance(value, tuple) else (value,)) >= self.rate / 2:
                raise ValueError(f"{name}={value}: must be below half the rate ({self.rate / 2:g} Hz)")
        for name in ("restorer_cutoff_range_hz", "restorer_noise_range_dbfs", "restorer_level_range_db"):
            lo, hi = getattr(self, name)
            if lo > hi:
                raise ValueError(f"{name}={getattr(self, name)}: (low, high) with low <= high")
        if self.eval_cutoff_hz not in self.cutoffs_hz:
            raise ValueError(f"eval_cutoff_hz={self.eval_cutoff_hz:g}: must be one of cutoffs_hz {self.cutoffs_hz}")

    def scaled(self, epoch: int) -> int:
        """A thesis epoch on this profile's clock (at least 1)."""
        return max(1, round(epoch * self.epoch_scale))

    @property
    def shortest_input_s(self) -> float:
        """The shortest recording the tools take, seconds: one analysis frame (``restore``
        needs it, so ``damage`` asks for as much: what it writes must restore)."""
        return self.n_fft / self.rate


PAPER = Config()
PROFILES = {
    "paper": PAPER,
    # quick: a sixteenth of the widths, a thousandth of the epochs (every chain at least one),
    # 48 training pairs an epoch, ViSQOL on 10 s; the same 24 rows from the same chains.
    "quick": dataclasses.replace(PAPER, width=1 / 16, epoch_scale=1e-3, max_pairs=48, visqol_seconds=10.0,
                                 restorer_epochs=10),
    "smoke": dataclasses.replace(PAPER, clip_seconds=None, width=1 / 64, epoch_scale=1e-4, max_pairs=4, batch_size=2,
                                 n_mels=32, n_mfcc=12, griffin_lim_iters=2, visqol_seconds=None, example_seconds=1.0,
                                 restorer_channels=8, restorer_blocks=1, restorer_epochs=2, restorer_crop_frames=16,
                                 restorer_batch_size=2, restorer_phase_iters=2, restorer_clips=6),
}

# ---- the eleven experiments as training chains, and Table 5.1's 24 rows as their checkpoints ----
_EARLY = {"segment_s": 2.0, "all_cuts": True, "generator_steps": 1, "g_dropout": 0.0}  # Exp 1-3
_LOG = {"front_end": "logstft", "generator": "g7", "d_dropout": 0.75, "labels": ((0, 0.9995, 0.0005),),
        "d_skip_below": 0.1, "g_lr": 8e-5, "d_lr": 8e-5}  # Exp 7 (A5.7)
_EXP9 = {**_LOG, "g_slope": 0.3, "d_slope": 0.3, "content_weight": 100.0, "labels": ((0, 1.0, 0.0),),
         "g_lr": 8e-6, "d_lr": 8e-6}
RUNS: dict[str, RunSpec | Checkpoint] = {
    "exp1": RunSpec({**_EARLY, "generator": "g1", "discriminator": "d1", "d_sigmoid": True, "g_lr": 2e-3,
                     "d_lr": 2e-3, "epochs": 50}),
    "exp2": RunSpec({**_EARLY, "generator": "g1", "discriminator": "d1", "d_sigmoid": True, "g_lr": 2.1e-4,
                     "d_lr": 7e-5, "epochs": 500}),
    "exp3": RunSpec({**_EARLY, "generator": "g3", "discriminator": "d3", "d_dropout": 0.25, "g_lr": 2.1e-4,
                     "d_lr": 7e-5, "labels": ((0, 0.9, 0.1),), "epochs": 220, "checkpoints": (70,)}),
    "exp4": RunSpec({**_EARLY, "generator_steps": 2, "generator": "g3", "discriminator": "d3", "epochs": 1100}),
    "exp5": RunSpec({"epochs": 6000, "lr_steps": ((1000, 4e-5),)}),
    "exp6": RunSpec({"d_dropout": 0.75, "labels": ((0, 0.9, 0.1),), "epochs": 17500, "checkpoints": (17500,)}),
    "exp6b": RunSpec({"d_dropout": 0.75, "labels": ((0, 0.99, 0.01),), "g_lr": 4e-5, "d_lr": 4e-5, "epochs": 19000,
                      "checkpoints": (19000,)}, start_from=Checkpoint("exp6", 17500)),
    "exp6c": RunSpec({"d_dropout": 0.75, "labels": ((0, 0.99, 0.01),), "epochs": 19000},
                     start_from=Checkpoint("exp6", 17500)),
    "exp6d": RunSpec({"d_dropout": 0.75, "labels": ((0, 0.999, 0.001), (28000, 0.9995, 0.0005)), "g_lr": 8e-5,
                      "d_lr": 8e-5, "epochs": 32000, "checkpoints": (28000,)}, start_from=Checkpoint("exp6b", 19000)),
    "exp6e": RunSpec({"d_dropout": 0.75, "labels": ((0, 0.999, 0.001), (28000, 0.9995, 0.0005)), "g_lr": 2e-5,
                      "d_lr": 2e-5, "epochs": 32000, "checkpoints": (28000,)}, start_from=Checkpoint("exp6b", 19000)),
    "exp7": RunSpec({**_LOG, "epochs": 6000}),
    "exp8": RunSpec({**_LOG, "g_slope": 0.3, "d_slope": 0.3, "epochs": 9000}),
    "exp9": RunSpec({**_EXP9, "epochs": 4000}),
    "exp10": RunSpec({**_EXP9, "front_end": "logmfcc", "epochs": 3500, "checkpoints": (1500, 3000)}),
    "exp11": RunSpec({**_EXP9, "front_end": "logmfcc", "norm": "layer", "content_weight": 0.0, "epochs": 6000,
                      "checkpoints": (5000,)}),
    "exp11b": RunSpec({**_EXP9, "front_end": "logmfcc", "norm": "layer", "content_weight": 0.0, "epochs": 21000,
                       "checkpoints": (6000, 8000, 10000), "seed_offset": 1}),
    # Table 5.1's rows (A7-#7): the checkpoint of a chain each one shows.
    "1": Checkpoint("exp1", 50), "2": Checkpoint("exp2", 500), "3": Checkpoint("exp3", 70),
    "4": Checkpoint("exp4", 1100), "5": Checkpoint("exp5", 6000),
    "6_1": Checkpoint("exp6", 17500), "6_2": Checkpoint("exp6b", 19000), "6_3": Checkpoint("exp6c", 19000),
    "6_4": Checkpoint("exp6d", 28000), "6_5": Checkpoint("exp6e", 28000), "6_6": Checkpoint("exp6d", 32000),
    "6_7": Checkpoint("exp6e", 32000), "7": Checkpoint("exp7", 6000), "8": Checkpoint("exp8", 9000),
    "9": Checkpoint("exp9", 4000), "10_1": Checkpoint("exp10", 1500), "10_2": Checkpoint("exp10", 3000),
    "10_3": Checkpoint("exp10", 3500), "11_1": Checkpoint("exp11", 5000), "11_2": Checkpoint("exp11", 6000),
    "11_3": Checkpoint("exp11b", 6000), "11_4": Checkpoint("exp11b", 8000), "11_5": Checkpoint("exp11b", 10000),
    "11_6": Checkpoint("exp11b", 21000),
}
ROWS = tuple(name for name, spec in RUNS.items() if isinstance(spec, Checkpoint))
