"""Configuration of the BPGAN reproduction (settings of the original code, REFERENCE-NOTES.md)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    # Networks (original: 64 base channels doubling to 512, latent 8x8x8, 6 ResNet blocks,
    # a 3-scale PatchGAN with least-squares loss).
    base_channels: int = 64
    max_channels: int = 512
    latent_channels: int = 8
    res_blocks: int = 6
    d_scales: int = 3
    d_base_channels: int = 64
    norm: str = "instance"
    # Losses: adversarial + 10 x feature matching + 10 x MSE (adversarial and feature
    # matching both 0: an autoencoder trained on the MSE alone, the ablation in the README).
    # adversarial 0 with feature matching > 0: the generator's only adversarial objective is
    # pix2pixHD's paired feature matching (the L1 distance between the discriminator's
    # features of each generated patch and of its real original, a perceptual loss the
    # discriminator learns); the discriminator still trains. The quick profile uses it
    # (measured below).
    adversarial_weight: float = 1.0
    feature_matching_weight: float = 10.0
    mse_weight: float = 10.0
    # gansig addition: epochs on the MSE alone before the discriminator joins (0 = the
    # paper: every loss from the first step). The discriminator is idle meanwhile.
    gan_warmup_epochs: int = 0
    # Quantiser: 16 levels from k-means; soft-to-hard temperature ramp 1 -> 101.
    levels: int = 16
    temperature_start: float = 1.0
    temperature_end: float = 101.0
    # ADMM latent search: Adam lr 0.05, ~250 iterations, 15 x MSE, rho 0.001.
    admm_iterations: int = 250
    admm_learning_rate: float = 0.05
    admm_mse_weight: float = 15.0
    admm_rho: float = 1e-3
    admm_tolerance: float = 1e-5     # early exit when the loss stops improving (relative)
    # gansig addition: the search weighs each bin's error by its level ** power (0 = the
    # paper's plain MSE; admm.level_weights). Encoder-side only: decoder and files unchanged.
    admm_level_power: float = 3.0
    # Patches searched together: the search's memory grows with them (about 11 MB a patch
    # for the quick model), so long files are searched in chunks of this many.
    admm_chunk_patches: int = 64
    # gansig addition: the arithmetic the search differentiates the generator in: float32 (the
    # paper's), bfloat16 (weights kept in float32), or auto: bfloat16 where the CPU computes it
    # natively (AVX512-BF16 or AMX-BF16), else float32. Measured on the quick codec (AMX CPU):
    # bfloat16 1.34x faster at equal PESQ-NB (benchmarks/bench_bpgan_search.py). Encoder-side only.
    admm_precision: str = "float32"
    # gansig addition (amortised encoding): where the search starts. "encoder": E(x), the
    # paper's encoder trained with the codec, then admm_iterations steps; "distilled": an
    # encoder trained afterwards to predict the codes that search finds (gansig/papers/bpgan/
    # distil.py), then warm_iterations steps from its latent (0: the distilled encoder alone).
    # Measured on the quick codec of 6465ee9 (Table 3's six real segments, PESQ-NB; cold 50
    # iterations 2.47): warm / cold 2.04 / 2.06 at 0 iterations, 2.23 / 2.22 at 5, 2.31 / 2.28
    # at 10, 2.37 / 2.35 at 15, 2.45 / 2.44 at 25 (papers/bpgan/README.md, Speed).
    search_start: str = "encoder"
    warm_iterations: int = 25
    distil_patches: int = 384        # training patches searched for the distilled encoder's targets
    # Three settings measured on that codec, all within 0.01 PESQ-NB of each other at 0, 5 and
    # 10 iterations: rate 2e-4 for 6 epochs, 1e-3 for 20, and 1e-3 for 12 with the latent
    # term 30x (the lowest training latent error, 0.0060 against 0.0073-0.0075: the default).
    distil_epochs: int = 12
    distil_learning_rate: float = 1e-3
    # weight of the squared distance to the searched latent beside the coding loss (the
    # search's own: admm_mse_weight x the level-weighted error of G(Q(z)) against the patch)
    distil_latent_weight: float = 30.0
    # gansig addition: a .bpg file is a stream of frames of this many patches (1.024 s each),
    # each decodable alone (its own scaling and symbols; 34 bytes of framing, 33 bit/s at 8
    # patches: +1.7 % at ~2 kbit/s); encoding and decoding hold a few frames, not the file.
    frame_patches: int = 8
    # gansig addition: train with the same weighting of the MSE term (0 = the paper's MSE;
    # the quick profile uses 3, measured below; the paper profile keeps the paper's loss).
    train_level_power: float = 0.0
    # Training.
    epochs: int = 160                # the paper: "trained for 160 epochs"
    batch_size: int = 8
    learning_rate: float = 2e-4
    beta_1: float = 0.5
    # The original (pix2pixHD's trainer) keeps the rate for `niter` epochs, then lowers it
    # linearly to zero over `niter_decay`; its split for the 160 epochs is not published,
    # so half and half, as pix2pixHD's defaults (100 / 100). 0 = a constant rate.
    lr_decay_epochs: int = 80
    train_stride_frames: int = 16    # training patches overlap (stride 16 frames); test patches do not
    # Data (TIMIT or speech-default); caps keep the CPU profiles in budget (None = all).
    train_patches: int | None = None
    val_patches: int = 64
    entropy_fit_patches: int = 256   # training patches whose symbols fit the range coder's model
    test_segment_s: float = 8.0      # test utterances are joined (0.3 s apart) into segments of about this length
    test_segments: int | None = None  # per subset (real, synthetic)
    examples: int = 2                # audio examples and spectrograms written

    # What `--set` accepts (checked when a config is made; gansig.profiles.validate).
    LIMITS = {"base_channels": (1, None), "max_channels": (1, None), "latent_channels": (1, None),
              "res_blocks": (0, None), "d_scales": (1, 6), "d_base_channels": (1, None),
              "adversarial_weight": (0, None), "feature_matching_weight": (0, None), "mse_weight": (0, None),
              "gan_warmup_epochs": (0, None), "levels": (2, 256), "temperature_start": (0, None),
              "temperature_end": (0, None), "admm_iterations": (0, None), "admm_learning_rate": (0, None),
              "admm_mse_weight": (0, None), "admm_rho": (0, None), "admm_tolerance": (0, None),
              "admm_level_power": (0, None), "admm_chunk_patches": (1, None), "frame_patches": (1, 64),
              "warm_iterations": (0, None), "distil_patches": (1, None), "distil_epochs": (1, None),
              "distil_learning_rate": (0, 1), "distil_latent_weight": (0, None),
              "train_level_power": (0, None),
              "epochs": (1, None), "batch_size": (1, None), "learning_rate": (0, 1), "beta_1": (0, 0.9999),
              "lr_decay_epochs": (0, None), "train_stride_frames": (1, None), "train_patches": (1, None),
              "val_patches": (1, None), "entropy_fit_patches": (1, None), "test_segment_s": (1, None),
              "test_segments": (1, None), "examples": (0, None)}
    CHOICES = {"norm": ("instance", "batch", "layer", "none"), "admm_precision": ("auto", "float32", "bfloat16"),
               "search_start": ("encoder", "distilled")}

    def __post_init__(self) -> None:
        if self.lr_decay_epochs > self.epochs:
            raise ValueError(f"lr_decay_epochs ({self.lr_decay_epochs}) cannot exceed epochs ({self.epochs})")


PAPER = Config()
PROFILES = {
    "paper": PAPER,
    # quick: a quarter of the widths up to the 16x16 level, half at the 8x8 bottleneck (where
    # width is cheap: 256 instead of 128 channels measured 3.1x the parameters for 1.25x the
    # step time and raised level-weighted search PESQ-NB 2.33 -> 2.41 on the table's real
    # speech, 2.24 -> 2.33 on 24 further segments; 12 epochs instead of 16 lost it: 2.26),
    # half the ResNet blocks; a 5x learning rate and batch 4 (measured: after 3 epochs ADMM
    # PESQ-NB 1.47 at the paper's 2e-4 / 8, 1.60 at 1e-3 / 8, 1.73 at 1e-3 / 4, 1.70 at
    # 1e-3 / 2, on 4 real test segments). Level-weighted training MSE (power 3):
    # level-weighted search PESQ-NB 2.30 -> 2.33, encoder only 1.82 -> 1.89. Generator
    # trained on feature matching + MSE without the LSGAN term (adversarial_weight 0):
    # level-weighted search PESQ-NB on the table's real speech 2.41 -> 2.48-2.53 (seeds 0 to
    # 2, seed 0 on two machines), on 24 further segments 2.33 -> 2.42-2.47; with the term at
    # a tenth 2.38 / 2.28.
    "quick": dataclasses.replace(PAPER, base_channels=16, max_channels=256, res_blocks=3, d_base_channels=16,
                                 adversarial_weight=0.0,
                                 epochs=16, lr_decay_epochs=8, batch_size=4, learning_rate=1e-3,
                                 train_level_power=3.0, admm_iterations=50, admm_precision="auto",
                                 train_stride_frames=64, train_patches=2400, test_segments=6,
                                 entropy_fit_patches=128, search_start="distilled"),
    "smoke": dataclasses.replace(PAPER, base_channels=4, max_channels=8, res_blocks=1, d_scales=2,
                                 d_base_channels=4, epochs=1, lr_decay_epochs=0, batch_size=2,
                                 train_level_power=3.0, admm_iterations=5, train_stride_frames=128,
                                 train_patches=16, val_patches=4, entropy_fit_patches=8,
                                 test_segment_s=3.0, test_segments=1, examples=1, search_start="distilled",
                                 warm_iterations=2, distil_patches=8, distil_epochs=1, distil_learning_rate=2e-4,
                                 distil_latent_weight=1.0),
}
