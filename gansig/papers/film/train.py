"""Training the thesis's experiments with the shared AdversarialModel: BCE with logits
(section 4.1.1), Adam(0.5, 0.999), the experiment's generator steps per discriminator step,
label targets that change along the chain, discriminator skipping with its counter, the
100 x MSE content term; a chain that continues another starts from its networks.

Epochs are the thesis's, on the profile's clock (:meth:`Config.scaled`): a chain runs from
its start (0, or the epoch of the chain it continues) to its end, at least one epoch, and
keeps its networks at every epoch a row or a branch needs.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from gansig.data.pipeline import paired_dataset
from gansig.papers.film import models
from gansig.papers.film.config import Config
from gansig.profiles import Checkpoint, RunSpec, run_config
from gansig.training import AdversarialModel, EpochCheckpoints, LabelSchedule, RateSteps, Strategy, distribute, quiet
from gansig.training.callbacks import standard_callbacks


def strategy(config: Config) -> Strategy:
    """The experiment's adversarial strategy."""
    _, real, fake = config.labels[0]
    return Strategy(gan_loss="bce", logits=True, content_loss="mse", content_weight=config.content_weight,
                    generator_steps=config.generator_steps, label_smoothing=1.0 - real, fake_label=fake,
                    d_skip_below=config.d_skip_below,
                    d_skip_max=config.d_skip_max if config.d_skip_below is not None else None)


def span(base: Config, runs: dict[str, RunSpec | Checkpoint], chain: str) -> tuple[int, int]:
    """``(start, end)`` epochs of a chain on the profile's clock: a branch starts where the
    chain it continues kept its networks; every chain runs at least one epoch."""
    spec, config = runs[chain], run_config(base, runs, chain)
    start = 0 if spec.start_from is None else checkpoint_epoch(base, runs, spec.start_from)
    return start, max(start + 1, config.scaled(config.epochs))


def checkpoint_epoch(base: Config, runs: dict[str, RunSpec | Checkpoint], checkpoint: Checkpoint) -> int:
    """The epoch (profile's clock) a checkpoint names, inside its chain's span."""
    start, end = span(base, runs, checkpoint.run)
    return min(end, max(start + 1, run_config(base, runs, checkpoint.run).scaled(checkpoint.epoch)))


def kept_epochs(base: Config, runs: dict[str, RunSpec | Checkpoint], chain: str) -> list[int]:
    """The epochs of ``chain`` whose networks rows or branches use (its end is kept anyway)."""
    start, end = span(base, runs, chain)
    named = [spec.start_from for spec in runs.values() if isinstance(spec, RunSpec) and spec.start_from]
    named += [spec for spec in runs.values() if isinstance(spec, Checkpoint)]
    return sorted({checkpoint_epoch(base, runs, c) for c in named if c.run == chain} - {end})


def train_chain(config: Config, inputs: np.ndarray, targets: np.ndarray, *, start: int, end: int,
                keep: list[int], work_dir: Path, seed: int, verbose: int | str = "auto",
                start_networks: dict[str, keras.Model] | None = None) -> tuple[dict, dict]:
    """Train one chain from epoch ``start`` to ``end``; keep its networks at ``keep``.

    Args:
        config: the chain's config.
        inputs: damaged training images.
        targets: the target images beside them.
        start: the first epoch (0, or where a continued chain left off).
        end: the last epoch.
        keep: epochs whose networks are saved (``work_dir/epochs``).
        work_dir: resumable state.
        seed: seed of the shuffling.
        verbose: Keras ``fit`` verbosity.
        start_networks: the generator and discriminator a branch continues from.

    Returns:
        ``({"generator", "discriminator"}, history)``.
    """
    shape = inputs.shape[1:]
    with distribute.scope():  # one device, or several (--strategy)
        g, d = models.generator(config, shape), models.discriminator(config, shape)
        if start_networks is not None:
            g.set_weights(start_networks["generator"].get_weights())
            d.set_weights(start_networks["discriminator"].get_weights())
        model = AdversarialModel(g, d, strategy(config))
        model.compile(g_optimizer=keras.optimizers.Adam(config.g_lr, beta_1=config.beta_1, beta_2=0.999, epsilon=1e-8),
                      d_optimizer=keras.optimizers.Adam(config.d_lr, beta_1=config.beta_1, beta_2=0.999, epsilon=1e-8))
        pairs = len(inputs) if config.max_pairs is None else min(config.max_pairs, len(inputs))
        steps = max(1, -(-pairs // config.batch_size))
        dataset = paired_dataset(inputs, targets, config.batch_size, shuffle=True, seed=seed).repeat()
        schedules = [LabelSchedule({config.scaled(e): (r, f) for e, r, f in config.labels}),
                     RateSteps({config.scaled(e): rate for e, rate in config.lr_steps}),
                     EpochCheckpoints(work_dir / "epochs", keep, {"generator": "generator",
                                                                   "discriminator": "discriminator"})]
        with quiet.double_sigmoid_is_intended(config.d_sigmoid):  # Exp 1-2's, faithfully
            history = model.fit(dataset, steps_per_epoch=steps, initial_epoch=start, epochs=end, verbose=verbose,
                                shuffle=False, callbacks=schedules + model.callbacks() + standard_callbacks(work_dir))
    return {"generator": g, "discriminator": d}, history.history
