"""Table 3 regenerated: train the codec (:mod:`.train`), encode the test speech for real
(.bpg bytes), and score it beside the reference codecs run on the same speech
(:mod:`.evaluate`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gansig import plots
from gansig.data import features
from gansig.listening import Examples, slug
from gansig.metrics.core import kbps
from gansig.metrics.harness import Outcome, run_methods
from gansig.papers.bpgan import data, reference
from gansig.papers.bpgan.config import PROFILES, Config
from gansig.papers.bpgan.evaluate import (
    ORIGINAL,
    RATE,
    WARM,
    WEIGHTED,
    add_rows,
    join_segments,
    methods,
    rate_quality_plot,
    score,
    verdict,
)
from gansig.papers.bpgan.train import trained_codec
from gansig.reproduction import start
from gansig.results import ResultsTable

NAME = "bpgan"
EXAMPLE_FILES = {ORIGINAL: "original", "BPGAN (ADMM)": "bpgan", WEIGHTED: "bpgan_weighted",
                 WARM: "bpgan_warm",
                 "Unified GAN (encoder only)": "unified_gan", "Codec2 3200": "codec2_3200",
                 "Codec2 1200": "codec2_1200", "Opus 6k": "opus_6k", "Opus 9k": "opus_9k",
                 "AMR-WB 6.60k": "amr_wb_6k60", "CELP 8k (Speex NB)": "speex_nb_8k"}
"""The listening examples' file names (``exampleN_NAME.wav``) by method."""


def reproduce(profile: str = "quick", out_dir: str | Path | None = None, seed: int = 0,
              verbose: int | str = "auto", timit: str | Path | None = None, **overrides) -> ResultsTable:
    """Train the codec, then regenerate Table 3 on real speech and on all test speech.

    Args:
        profile: ``"paper"`` (GPU), ``"quick"`` (default; the registry's ``cpu_time``
            on a 2-core CPU) or ``"smoke"``.
        out_dir: results directory (default ``results/bpgan/PROFILE``).
        seed: seed of everything.
        verbose: Keras ``fit`` verbosity.
        timit: a TIMIT copy to use instead of the embedded speech-default corpus.
        **overrides: config fields to change.

    Returns:
        The results table (also written to ``out_dir``).
    """
    dataset = ("TIMIT (train; core test set)" if timit else
               "speech-default (stand-in for TIMIT: real and synthetic voices, speaker-disjoint test set)")
    train_items = data.utterances("train", timit)
    run = start(NAME, PROFILES, profile, out_dir, seed, dataset, overrides, references=reference.REFERENCE)
    config: Config = run.config
    run.table.comparable = run.table.comparable and timit is not None
    codec, history = trained_codec(run, train_items, "TIMIT" if timit else "speech-default", verbose)

    test_items = data.utterances("test", timit)
    subsets = {"real speech": [i for i in test_items if i.real],
               "synthetic speech": [i for i in test_items if not i.real]}
    chosen = methods(codec)
    if codec.warm:
        run.table.notes.append(
            f"{WARM}: `encode`'s default. The search starts from the distilled encoder (papers/bpgan/distil.py: "
            f"trained on the codes the cold search finds on {config.distil_patches} training patches) and runs "
            f"{config.warm_iterations} iterations; the other BPGAN rows search {config.admm_iterations} iterations "
            "from the paper's encoder E.")
    segments_by_subset = {name: join_segments(data.waveforms(items), config.test_segment_s, config.test_segments)
                          for name, items in subsets.items() if items}
    coded, means = {}, {}
    for name, segments in segments_by_subset.items():
        run.log(f"coding {len(segments)} test segments of {name} with BPGAN and the reference codecs")
        coded[name] = run_methods(segments, chosen, score, RATE, label=name)
        means[name] = add_rows(run.table, reference.table_name(name), coded[name])
    add_rows(run.table, reference.table_name("all test speech"),
             {m: [c for subset in coded.values() for c in subset[m]] for m in chosen})

    first = next(iter(segments_by_subset))
    verdict(run.table, means[first], first)
    _listening(config, run.out / "audio", coded[first], first)
    decoded = {m: [c.output for c in results] for m, results in coded[first].items()}
    _outputs(config, run.out, decoded, means[first], history)
    return run.finish()


def _listening(config: Config, audio: Path, coded: dict[str, list[Outcome]], subset: str) -> None:
    """The first test segments as every method decoded them, each with the bit rate it spent
    on that segment (the original's is 16-bit PCM's)."""
    examples = Examples(audio)
    for i in range(min(config.examples, *(len(v) for v in coded.values()))):
        outcomes = {m: results[i] for m, results in coded.items()}
        examples.segment(f"segment {i + 1}", {m: o.output for m, o in outcomes.items()}, RATE,
                         bit_rates={m: kbps(o.n_bytes, o.seconds) for m, o in outcomes.items()},
                         files={m: f"example{i + 1}_{EXAMPLE_FILES.get(m, slug(m))}.wav" for m in outcomes},
                         caption=f"test segment {i + 1} of the {subset} ({config.test_segment_s:g} s, speakers "
                                 "never heard in training), decoded by each codec at the bit rate shown")
    examples.write()


def _outputs(config: Config, out: Path, decoded: dict, means: dict, history: dict) -> None:
    """Spectrograms, the rate-quality plot and training curves."""
    mels = {m: np.asarray(features.power_to_db(features.mel_spectrogram(decoded[m][0][: 3 * RATE], RATE, 512, 128,
                                                                           128)))
            for m in (ORIGINAL, "BPGAN (ADMM)", WEIGHTED, WARM, "Unified GAN (encoder only)", "Codec2 3200")
            if m in decoded}
    plots.image_grid({m: features.to_image(v).numpy() for m, v in mels.items()}, out / "figures" / "spectrograms.png",
                     title="Mel spectrograms (dB), first 3 s of the first test segment")
    rate_quality_plot(means, out / "figures" / "rate_quality.png")
    panels = {"reconstruction MSE (train, validation)": ("g_content", "val_g_content"),
              "generator: adversarial, feature matching": ("g_adv", "g_fm"),
              "discriminator": ("d_loss", "d_real", "d_fake")}
    plots.training_curves({title: {k: history[k] for k in keys if k in history} for title, keys in panels.items()},
                          out / "figures" / "training.png", title="BPGAN training")
