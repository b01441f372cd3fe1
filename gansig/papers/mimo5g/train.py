"""Training the GAN (shared AdversarialModel) and the autoencoder baseline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import keras

from gansig.data.pipeline import paired_dataset
from gansig.papers.mimo5g import models
from gansig.papers.mimo5g.config import Config
from gansig.papers.mimo5g.data import SignalSet
from gansig.training import AdversarialModel, Strategy, distribute, standard_callbacks


def strategy(config: Config) -> Strategy:
    """The adversarial strategy the config describes (BCE GAN plus a content term)."""
    return Strategy(gan_loss="bce", content_loss=config.content_loss, content_weight=config.content_weight,
                    adversarial_weight=config.adversarial_weight, label_smoothing=config.label_smoothing)


def train_gan(config: Config, train: SignalSet, val: SignalSet, *, seed: int = 0,
              work_dir: Path | None = None, verbose: int | str = "auto") -> tuple[AdversarialModel, dict]:
    """Train generator and discriminator on (noisy, clean) spectrogram pairs (resumable
    state in ``work_dir``).

    Returns:
        The trained model and its history (per-epoch metrics).
    """
    with distribute.scope():  # one device, or several (--strategy)
        model = AdversarialModel(models.generator(config), models.discriminator(config), strategy(config))
        model.compile(g_optimizer=keras.optimizers.Adam(config.g_learning_rate, beta_1=config.beta_1),
                      d_optimizer=keras.optimizers.Adam(config.d_learning_rate, beta_1=config.beta_1))
        history = model.fit(
            paired_dataset(train.noisy_images, train.clean_images, config.batch_size, shuffle=True, seed=seed),
            validation_data=paired_dataset(val.noisy_images, val.clean_images, config.batch_size),
            epochs=config.epochs, verbose=verbose, shuffle=False,  # the dataset reshuffles itself
            callbacks=model.callbacks() + standard_callbacks(
                work_dir, monitor="val_g_content",
                patience=config.early_stopping_patience))
    return model, history.history


def train_autoencoder(config: Config, train: SignalSet, val: SignalSet, *, seed: int = 0,
                      work_dir: Path | None = None, verbose: int | str = "auto",
                      build: Callable[[], keras.Model] | None = None) -> tuple[keras.Model, dict]:
    """Train an autoencoder with binary cross-entropy (the paper's loss), ``ae_epochs`` epochs.

    Args:
        build: makes the network to train (outputs in [0, 1]); the autoencoder baseline when None.
    """
    with distribute.scope():  # one device, or several (--strategy)
        model = models.autoencoder(config) if build is None else build()
        model.compile(optimizer=keras.optimizers.Adam(config.ae_learning_rate), loss="binary_crossentropy",
                      metrics=["mse"])
        history = model.fit(
            paired_dataset(train.noisy_images, train.clean_images, config.batch_size, shuffle=True, seed=seed),
            validation_data=paired_dataset(val.noisy_images, val.clean_images, config.batch_size),
            epochs=config.ae_epochs, verbose=verbose, shuffle=False,
            callbacks=standard_callbacks(work_dir))
    return model, history.history
