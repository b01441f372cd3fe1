"""Train the 1-D denoiser, compare it with the low-pass filter on the validation set, and
set the public code's reported figures beside ours."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gansig import plots
from gansig.listening import Examples
from gansig.papers.sinedenoise import data, evaluate, models, reference, tool, train
from gansig.papers.sinedenoise.config import PROFILES, Config
from gansig.reproduction import Trained, start
from gansig.results import ResultsTable
from gansig.seeding import derive

NAME = "sinedenoise"
DATASET = "sums of 3 sines in white noise at -2 dB (the project's recipe), generated from the seed"


def reproduce(profile: str = "paper", out_dir: str | Path | None = None, seed: int = 0,
              verbose: int | str = "auto", **overrides) -> ResultsTable:
    """Train, evaluate, write and print the table.

    Args:
        profile: ``"paper"`` (default; ~5-10 min on a 2-core CPU), ``"quick"`` or ``"smoke"``.
        out_dir: results directory (default ``results/sinedenoise/PROFILE``).
        seed: seed of the data, the weights and the shuffling.
        verbose: Keras ``fit`` verbosity.
        **overrides: config fields to change (see ``config.Config``).

    Returns:
        The results table (also written to ``out_dir``).
    """
    run = start(NAME, PROFILES, profile, out_dir, seed, DATASET, overrides, references=reference.REFERENCE)
    config: Config = run.config
    out, table = run.out, run.table

    train_split, val_split = data.make_splits(config, derive(seed, "signals"))
    run.log(f"profile {profile}: {len(train_split.clean)} training and {len(val_split.clean)} validation signals; "
            f"generator alone for {config.warmup_epochs} epochs, then with the discriminator up to "
            f"{config.max_epochs} epochs (early-stopping patience {config.patience})")

    def networks(folder: Path):
        model, history = train.train(config, train_split, val_split, seed=seed, work_dir=folder, verbose=verbose)
        return Trained({"generator": model.generator, "discriminator": model.discriminator}, history)

    nets, history, _ = run.trained("gan", networks)
    epochs_run = len(history["g_loss"])
    adversarial_phase = history["val_g_content"][config.warmup_epochs:]
    best_epoch = config.warmup_epochs + int(np.argmin(adversarial_phase)) + 1 if adversarial_phase else epochs_run

    clean, noisy = val_split.clean, val_split.noisy
    estimates = {
        "Noisy input": noisy,
        "Low-pass filter": evaluate.lowpass(config, noisy),
        reference.DENOISER: np.asarray(nets["generator"].predict(val_split.inputs(), verbose=0))[..., 0],
    }
    for method, estimate in estimates.items():
        items = evaluate.per_signal(clean, noisy, estimate)
        for metric, value in evaluate.scores(config, clean, noisy, estimate).items():
            known = table.reference(reference.TABLE, method, metric) is not None
            table.add(reference.TABLE, method, metric, value, n_eval=len(clean), items=items.get(metric),
                      note=reference.SOURCE if known else "")
    for name in ("generator", "discriminator"):
        table.add("Model size", name, "trainable parameters", models.trainable_parameters(nets[name]))
    table.add("Training", "schedule", "epochs run", epochs_run,
              note="early stopping on validation L1 once the discriminator has joined")
    table.add("Training", "schedule", "best epoch", best_epoch, note=reference.SOURCE)

    _verdict(table, estimates, config)
    run.log("writing figures and the model")
    _figures(config, val_split, estimates, history, out / "figures")
    _signals(config, val_split, estimates, out / "audio")
    input_rms = float(np.sqrt(np.mean(train_split.noisy**2)))
    tool.save_denoiser(nets["generator"], out / "models", config, input_rms)

    return run.finish()


def _verdict(table: ResultsTable, estimates: dict, config: Config) -> None:
    """A sentence saying, from the measurements, where each method wins."""
    lo, hi = config.in_band_hz
    inside = f"Residual noise {lo:g}-{hi:g} Hz (dB re signal)"
    outside = "Residual noise {:g}-{:g} Hz (dB re signal)".format(*config.out_band_hz)
    get = lambda m, k: table.get(reference.TABLE, m, k).measured  # noqa: E731
    methods = {"denoiser": reference.DENOISER, "low-pass filter": "Low-pass filter"}

    def winner(metric: str) -> str:
        (best, best_value), (other, other_value) = sorted(((name, get(m, metric)) for name, m in methods.items()),
                                                          key=lambda item: item[1])
        return f"the {best} leaves less noise ({best_value:.1f} dB vs the {other}'s {other_value:.1f} dB)"

    table.notes.append(f"In band ({lo:g}-{hi:g} Hz) {winner(inside)}; out of band ({config.out_band_hz[0]:g}-"
                       f"{config.out_band_hz[1]:g} Hz) {winner(outside)}.")


SIGNALS_SHOWN = 4  # validation examples in the listening panel


def _signals(config: Config, val: data.Split, estimates: dict, audio: Path) -> None:
    """The first validation examples as signals (for plots, not for listening): clean, mixed,
    denoised, low-pass filtered."""
    examples = Examples(audio)
    for i in range(min(SIGNALS_SHOWN, config.figure_examples, len(val.clean))):
        examples.segment(f"example {i + 1}", {"clean": val.clean[i], "mixed (noisy input)": val.noisy[i],
                                              "denoiser": estimates[reference.DENOISER][i],
                                              "low-pass filter": estimates["Low-pass filter"][i]},
                         config.sample_rate, stem=f"example{i + 1}", kind="signal",
                         caption=f"validation example {i + 1}: a sine mixture in white noise, "
                                 f"{len(val.clean[i]) / config.sample_rate:g} s at {config.sample_rate} Hz")
    examples.write()


def _figures(config: Config, val: data.Split, estimates: dict, history: dict, figures: Path) -> None:
    k = min(config.figure_examples, len(val.clean))
    columns = {"clean": val.clean[:k], "mixed": val.noisy[:k],
               "denoised": estimates[reference.DENOISER][:k], "low-pass": estimates["Low-pass filter"][:k]}
    plots.traces(columns, figures / "validation_examples.png", rate=config.sample_rate, spectra=True,
                 title="Validation examples: time domain (left) and magnitude spectra (right)")
    plots.training_curves({"generator": {k: v for k, v in history.items() if k.startswith(("g_", "val_"))},
                           "discriminator": {k: v for k, v in history.items() if k.startswith("d_")}},
                          figures / "training.png", title="Training curves (the discriminator joins at epoch "
                                                          f"{config.warmup_epochs + 1})")
