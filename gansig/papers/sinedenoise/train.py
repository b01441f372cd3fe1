"""Training with the shared AdversarialModel: generator alone for ``warmup_epochs``, then
generator and discriminator together, with step decay and early stopping."""

from __future__ import annotations

from pathlib import Path

import keras

from gansig.data.pipeline import paired_dataset
from gansig.papers.sinedenoise import models
from gansig.papers.sinedenoise.config import Config
from gansig.papers.sinedenoise.data import Split
from gansig.training import AdversarialModel, StepDecay, Strategy, distribute, standard_callbacks


def strategy(config: Config) -> Strategy:
    """G = 3 x BCE(D(G(x)), real) + 9 x L1(G(x), clean); D = BCE(real) + BCE(fake).

    Like the public code (``.eval()`` on the other network), each network is updated with
    its partner in inference mode when ``config.partner_inference_mode``.
    """
    return Strategy(gan_loss="bce", adversarial_weight=config.adversarial_weight, content_loss="l1",
                    content_weight=config.content_weight, warmup_epochs=config.warmup_epochs,
                    partner_inference_mode=config.partner_inference_mode)


def train(config: Config, train_split: Split, val_split: Split, *, seed: int = 0,
          work_dir: Path | None = None, verbose: int | str = "auto") -> tuple[AdversarialModel, dict]:
    """Train the denoiser; early stopping restores the best validation epoch's weights.

    Returns:
        The model and its history (per-epoch metrics; ``len`` = epochs actually run).
    """
    with distribute.scope():  # one device, or several (--strategy)
        model = AdversarialModel(models.generator(), models.discriminator(), strategy(config))
        model.compile(g_optimizer=keras.optimizers.Adam(config.g_learning_rate),
                      d_optimizer=keras.optimizers.Adam(config.d_learning_rate))
        callbacks = model.callbacks() + [StepDecay(config.lr_decay_every, config.lr_decay_factor)]
        # "then G and D together up to 200 epochs or until patience (50) is reached": the
        # patience, and the choice of the best epoch, apply to the adversarial phase.
        callbacks += standard_callbacks(work_dir, monitor="val_g_content", patience=config.patience,
                                        start_from_epoch=config.warmup_epochs)
        history = model.fit(
            paired_dataset(train_split.inputs(), train_split.targets(), config.batch_size, shuffle=True, seed=seed),
            validation_data=paired_dataset(val_split.inputs(), val_split.targets(), config.batch_size),
            epochs=config.max_epochs, verbose=verbose, shuffle=False, callbacks=callbacks)
    return model, history.history
