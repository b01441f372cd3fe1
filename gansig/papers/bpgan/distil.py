"""Amortised encoding (a gansig addition): an encoder trained to predict the code the ADMM
search finds, so that ``encode`` can start the search near where it ends and stop after a
few iterations (``config.search_start = "distilled"``, ``config.warm_iterations``).

The targets are the search's own codes: the codec's cold search (from the paper's encoder
``E``, ``config.admm_iterations`` steps, level-weighted as the codec searches) on
``config.distil_patches`` training patches, never the encoder's own output. The loss is
the one coding pays: the search's reconstruction term (``admm_mse_weight`` x the
level-weighted error of ``G(Q(z))`` against the patch, with ``Q`` the nearest centre and a
straight-through gradient) plus ``distil_latent_weight`` x the squared distance of ``z`` to
the searched latent (which puts the start where the search's own path leads). The
distilled encoder has ``E``'s architecture and starts from its weights; the generator is
frozen, so the decoder and the files are unchanged.
"""

from __future__ import annotations

import keras
import numpy as np

from gansig.papers.bpgan import admm, models
from gansig.papers.bpgan.codec import Codec
from gansig.papers.bpgan.config import Config


def search_targets(codec: Codec, patches: np.ndarray) -> np.ndarray:
    """The quantised latents the codec's cold search (from ``E``) finds for ``patches``
    ``[n, 128, 128]``: what the distilled encoder learns to predict."""
    cold = codec.searching(start="encoder")
    return cold.latents(patches)[1]


class StraightThrough(keras.layers.Layer):
    """The nearest of fixed centres in the forward pass, the identity's gradient backward."""

    def __init__(self, centres: np.ndarray, **kwargs):
        super().__init__(**kwargs)
        self.centres = keras.ops.convert_to_tensor(np.asarray(centres, np.float32))

    def call(self, z):
        nearest = keras.ops.take(self.centres, keras.ops.argmin(keras.ops.abs(keras.ops.expand_dims(z, -1) -
                                                                              self.centres), axis=-1))
        return z + keras.ops.stop_gradient(nearest - z)


def distil(codec: Codec, patches: np.ndarray, *, seed: int = 0, verbose: int | str = "auto",
           targets: np.ndarray | None = None) -> tuple[keras.Model, dict]:
    """Train the distilled encoder of a codec (Keras networks) on training ``patches``.

    Args:
        codec: the trained codec (its encoder, generator, centres and search settings).
        patches: ``[n, 128, 128]`` training patches.
        seed: shuffles the batches.
        verbose: Keras ``fit`` verbosity.
        targets: the search's latents of ``patches`` (default: :func:`search_targets`).

    Returns:
        The distilled encoder and its per-epoch training history.
    """
    config: Config = codec.config
    if targets is None:
        targets = search_targets(codec, patches)
    student = models.encoder(config)
    student.set_weights(codec.encoder.get_weights())
    generator = codec.generator
    trainable = generator.trainable
    generator.trainable = False
    try:
        inputs = keras.Input(student.input_shape[1:], name="patch")
        latent = student(inputs)
        patch = generator(StraightThrough(codec.centres, name="nearest_centre")(latent))
        model = keras.Model(inputs, {"patch": patch, "latent": latent}, name="distillation")
        model.compile(optimizer=keras.optimizers.Adam(config.distil_learning_rate),
                      loss={"patch": admm.level_weighted_mse(config.admm_level_power), "latent": "mse"},
                      loss_weights={"patch": config.admm_mse_weight, "latent": config.distil_latent_weight})
        x = np.asarray(patches, np.float32)[..., None]
        order = np.random.default_rng(seed).permutation(len(x))
        keras.utils.set_random_seed(seed)
        history = model.fit(x[order], {"patch": x[order], "latent": np.asarray(targets, np.float32)[order]},
                            batch_size=config.batch_size, epochs=config.distil_epochs, shuffle=True,
                            verbose=verbose)
    finally:
        generator.trainable = trainable
    return student, {k: [float(v) for v in values] for k, values in history.history.items()}

