"""Training both models with the shared AdversarialModel.

As reported (B3): BCE on the discriminator's sigmoid output (read as logits when
``double_sigmoid``, as the report's ``from_logits=True`` loss did), real targets 0.9,
instance noise 0.02 on the reals, a one-sided gradient penalty of 25 on clean reals, two
generator updates per discriminator update, the dynamic loss weighting, the clipping the
report computed but never applied (``apply_clipping``), Adam 4e-4, batch 8, z ~ N(0, 1).

Canonical SpecGAN (Donahue): WGAN-GP with lambda 10, five critic steps per generator step,
Adam 1e-4 with betas 0.5 / 0.9, batch 64, z ~ U(-1, 1); optionally conditioned on the class.

gansig (class-conditional, for little data): hinge loss, a spectrally normalised projection
discriminator behind DiffAugment, two time-scale Adam rates with betas 0 / 0.9, one
discriminator update per generator update, an EMA of the generator's weights, z ~ N(0, 1).
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from gansig.papers.specgan import frontend, models
from gansig.papers.specgan.classifier import labelled_windows
from gansig.papers.specgan.config import Config
from gansig.papers.specgan.data import CLASSES, Split, report_subset
from gansig.training import AdversarialModel, Strategy, distribute, quiet, standard_callbacks

CLIP_VALUE = 0.5  # the report's clip_by_value(-0.5, 0.5)


def strategy(config: Config) -> Strategy:
    """The run's adversarial strategy."""
    if config.model == "report":
        return Strategy(gan_loss="bce", logits=config.double_sigmoid, label_smoothing=1.0 - config.real_label,
                        instance_noise=config.instance_noise, gradient_penalty=config.report_gradient_penalty,
                        penalty="one-sided", generator_steps=config.generator_steps,
                        dynamic_weighting=config.dynamic_weighting,
                        clip_value=CLIP_VALUE if config.apply_clipping else None, content_loss="none",
                        latent_dim=config.report_latent)
    if config.model == "gansig":
        return Strategy(gan_loss="hinge", content_loss="none", latent_dim=config.gansig_latent,
                        generator_average=config.gansig_average)
    return Strategy(gan_loss="wgan", gradient_penalty=config.specgan_gradient_penalty, critic_steps=config.critic_steps,
                    content_loss="none", latent_dim=config.specgan_latent, latent_distribution="uniform")


def n_classes(config: Config) -> int:
    """Classes the generator is conditioned on (0: unconditional)."""
    return len(config.classes) if config.conditional else 0


def networks(config: Config) -> tuple[keras.Model, keras.Model]:
    """A fresh generator and discriminator of the run's model."""
    if config.model == "report":
        return models.report_generator(config), models.report_discriminator(config)
    if config.model == "gansig":
        k = n_classes(config)
        return models.gansig_generator(config, k), models.gansig_discriminator(config, k)
    return models.specgan_generator(config, n_classes(config)), models.specgan_discriminator(config, n_classes(config))


def training_images(config: Config, split: Split, seed: int) -> tuple[np.ndarray, np.ndarray | None, dict]:
    """The run's training images, their labels (conditional runs) and what inverting its
    images needs (the canonical model's moments).

    The report's: its subset of the target class, time-shifted once. The canonical's:
    ``windows_per_clip`` random windows of each target-class clip (of every clip when
    conditional), normalised with their own moments.
    """
    rng = np.random.default_rng(seed)
    if config.model == "report":
        return frontend.report_images(report_subset(split.wide, config), config, rng), None, {}
    if config.conditional:
        clips, labels = split.narrow, split.labels
    else:
        target = CLASSES.index(config.target_class)
        clips, labels = split.of_class(target), np.full(len(split.of_class(target)), target)
    windows, labels = labelled_windows(clips, labels, config, rng)
    if config.model == "gansig":
        return frontend.gansig_images(windows, config), labels, {}
    moments = frontend.fit_moments(windows, config)
    images = frontend.specgan_images(windows, config, moments)
    return images, (labels if config.conditional else None), {"moments": moments.to_dict()}


def schedule(config: Config, n_images: int) -> tuple[int, int]:
    """``(steps per epoch, epochs)``: the report's epochs over its images; the canonical
    model's generator updates (a step: ``critic_steps`` critic updates, then the generator's)
    in epochs of ``steps_per_epoch``."""
    if config.model == "report":
        return max(1, n_images // config.report_batch_size), config.report_epochs
    if config.model == "gansig":
        return config.steps_per_epoch, max(1, -(-config.gansig_updates // config.steps_per_epoch))
    return config.steps_per_epoch, max(1, -(-config.specgan_updates // config.steps_per_epoch))


def _rates_and_batch(config: Config) -> tuple[dict, dict, int]:
    """The generator's and discriminator's Adam settings and the batch a training step takes."""
    if config.model == "report":
        rates = dict(learning_rate=config.report_lr, beta_1=config.report_beta_1)
        return rates, rates, config.report_batch_size
    if config.model == "gansig":  # two time-scales
        return (dict(learning_rate=config.gansig_g_lr, beta_1=0.0, beta_2=0.9),
                dict(learning_rate=config.gansig_d_lr, beta_1=0.0, beta_2=0.9), config.gansig_batch_size)
    rates = dict(learning_rate=config.specgan_lr, beta_1=config.specgan_betas[0], beta_2=config.specgan_betas[1])
    return rates, rates, config.specgan_batch_size * config.critic_steps  # a critic batch per critic step


def train_gan(config: Config, images: np.ndarray, labels: np.ndarray | None, work_dir: Path, seed: int,
              verbose: int | str = "auto") -> tuple[dict[str, keras.Model], dict]:
    """Train the run's model on its images.

    Returns:
        ``({"generator", "discriminator"}, history)``.
    """
    with distribute.scope():  # one device, or several (--strategy)
        g, d = networks(config)
        model = AdversarialModel(g, d, strategy(config))
        g_rates, d_rates, batch = _rates_and_batch(config)
        model.compile(g_optimizer=keras.optimizers.Adam(**g_rates), d_optimizer=keras.optimizers.Adam(**d_rates))
        data = images if labels is None else (images, labels.astype(np.int32))
        dataset = (tf.data.Dataset.from_tensor_slices(data).cache().shuffle(len(images), seed=seed)
                   .repeat().batch(min(batch, len(images)), drop_remainder=True).prefetch(tf.data.AUTOTUNE))
        steps, epochs = schedule(config, len(images))
        with quiet.double_sigmoid_is_intended(config.double_sigmoid):  # the report's, faithfully
            history = model.fit(dataset, steps_per_epoch=steps, epochs=epochs, verbose=verbose, shuffle=False,
                                callbacks=model.callbacks() + standard_callbacks(work_dir))
    return {"generator": g, "discriminator": d}, history.history
