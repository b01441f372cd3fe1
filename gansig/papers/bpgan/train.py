"""Training BPGAN's encoder, quantiser and generator against the multi-scale discriminator
with the shared AdversarialModel: least-squares GAN loss + feature matching + MSE.

Schedule: the first third of the epochs without quantisation; then the 16 centres are set
by k-means on the encoder's outputs and quantisation is soft with the temperature rising
from 1 to 101; the last quarter of the epochs is hard (straight-through). The learning
rate falls linearly to zero over the last ``lr_decay_epochs`` (the original's schedule)."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from gansig.data.pipeline import paired_dataset
from gansig.papers.bpgan import admm, models
from gansig.papers.bpgan.config import Config
from gansig.papers.bpgan.quantize import SoftToHardQuantizer, kmeans_centres
from gansig.training import AdversarialModel, LinearDecay, Strategy, standard_callbacks


def codec_network(config: Config) -> tuple[keras.Model, keras.Model, keras.Model, SoftToHardQuantizer]:
    """``patch -> encoder -> quantiser -> generator -> patch`` and its three parts."""
    encoder, generator = models.encoder(config), models.generator(config)
    quantizer = SoftToHardQuantizer(np.linspace(0, 1, config.levels), name="quantizer")
    inputs = keras.Input(encoder.input_shape[1:], name="patch")
    outputs = generator(quantizer(encoder(inputs)))
    return keras.Model(inputs, outputs, name="bpgan"), encoder, generator, quantizer


class QuantizerSchedule(keras.callbacks.Callback):
    """Switch quantisation on after ``plain_epochs`` (centres by k-means on encoder outputs
    of ``sample``), ramp the temperature, and go hard for the last ``hard_epochs``."""

    def __init__(self, config: Config, encoder: keras.Model, quantizer: SoftToHardQuantizer,
                 sample: np.ndarray, plain_epochs: int, hard_epochs: int):
        super().__init__()
        self.config, self.encoder, self.quantizer, self.sample = config, encoder, quantizer, sample
        self.plain_epochs, self.hard_epochs = plain_epochs, hard_epochs

    def on_epoch_begin(self, epoch, logs=None):
        c, q = self.config, self.quantizer
        if epoch < self.plain_epochs:
            q.active.assign(0.0)
            return
        if epoch == self.plain_epochs or not float(q.active.numpy()):
            outputs = self.encoder.predict(self.sample, batch_size=64, verbose=0)
            q.centres.assign(kmeans_centres(outputs, c.levels))
            q.active.assign(1.0)
        soft_epochs = max(1, c.epochs - self.plain_epochs - self.hard_epochs)
        progress = min(1.0, (epoch - self.plain_epochs) / soft_epochs)
        q.temperature.assign(c.temperature_start + progress * (c.temperature_end - c.temperature_start))
        q.hard.assign(1.0 if epoch >= c.epochs - self.hard_epochs else 0.0)


def train(config: Config, patches: np.ndarray, val_patches: np.ndarray, *, seed: int = 0,
          work_dir: Path | None = None, verbose: int | str = "auto") -> tuple[dict, dict]:
    """Train and return ``({"encoder", "generator", "quantizer", "model"}, history)``."""
    network, encoder, generator, quantizer = codec_network(config)
    model = AdversarialModel(network, models.discriminator(config), Strategy(
        gan_loss="lsgan", adversarial_weight=config.adversarial_weight, content_weight=config.mse_weight,
        content_loss=admm.level_weighted_mse(config.train_level_power) if config.train_level_power else "mse",
        feature_matching_weight=config.feature_matching_weight, warmup_epochs=config.gan_warmup_epochs))
    model.compile(g_optimizer=keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1),
                  d_optimizer=keras.optimizers.Adam(config.learning_rate, beta_1=config.beta_1))
    plain = config.epochs // 3
    hard = max(1, config.epochs // 4) if config.epochs > 1 else 0
    rng = np.random.default_rng(seed)
    sample = patches[rng.choice(len(patches), size=min(len(patches), 256), replace=False)]
    schedules = [QuantizerSchedule(config, encoder, quantizer, sample, plain, hard),
                 LinearDecay(config.epochs, min(config.lr_decay_epochs, config.epochs))]
    history = model.fit(
        paired_dataset(patches, patches, config.batch_size, shuffle=True, seed=seed),
        validation_data=paired_dataset(val_patches, val_patches, config.batch_size),
        epochs=config.epochs, verbose=verbose, shuffle=False,
        callbacks=schedules + model.callbacks() + standard_callbacks(work_dir))
    if not float(quantizer.active.numpy()):  # a run too short to reach the quantised phase
        quantizer.centres.assign(kmeans_centres(encoder.predict(sample, verbose=0), config.levels))
        quantizer.active.assign(1.0)
    quantizer.hard.assign(1.0)
    return {"encoder": encoder, "generator": generator, "quantizer": quantizer, "model": model}, history.history
