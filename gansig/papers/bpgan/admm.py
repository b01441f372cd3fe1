"""Encoding as search: the latent code whose quantised value the generator turns into the
closest spectrogram, found by back-propagating through the generator with ADMM.

From ``z0 = E(x)``: minimise ``w * MSE(G(z), x) + rho/2 * ||z - Z + eta||^2`` by Adam over
``z``, with ``Z = Q(z + eta)`` (nearest centres) and ``eta += z - Z`` after every step; the
code sent is ``Q(z)``. All patches are searched at once, the whole loop is one compiled
graph (traced once per generator), and it stops early once the loss no longer improves.

The paper's error is the plain MSE over the patch. :func:`level_weights` lets the search
weigh each bin by its level instead (a gansig addition, like the perceptual weighting of
a CELP coder's analysis-by-synthesis): the decoder and the file format are unchanged.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from gansig.papers.bpgan.quantize import quantise


@dataclass
class SearchResult:
    """Symbols and quantised latents found, and the loss per iteration."""

    symbols: np.ndarray
    latents: np.ndarray
    losses: list[float]


def level_weights(patches, power: float, floor: float = 0.01):
    """Per-bin weights of a patch's reconstruction error: ``s ** power + floor`` with ``s``
    the bin's level scaled to [0, 1] (patches are in [-1, 1]), normalised to a mean of 1 in
    each patch so the balance against the other loss terms stays the paper's. ``power = 0``
    gives equal weights (the paper's MSE).

    Why: the log-mel error of a bin 60 dB below the peak counts as much as that of a
    formant in plain MSE, although it is inaudible; measured on the quick codec, ``power``
    3 raised PESQ-NB on real test speech from 2.11 to 2.27 (papers/bpgan/README.md).

    Args:
        patches: ``[n, ...]`` target patches, a NumPy array or a tensor.
        power: the exponent ``p``.
        floor: the weight's floor (keeps silence in the error).

    Returns:
        Weights shaped like ``patches``, a float32 tensor.
    """
    x = keras.ops.convert_to_tensor(patches, "float32")
    if power == 0:
        return keras.ops.ones_like(x)
    w = ((keras.ops.clip(x, -1.0, 1.0) + 1.0) / 2.0) ** power + floor
    return w / keras.ops.mean(w, axis=tuple(range(1, len(x.shape))), keepdims=True)


def level_weighted_mse(power: float):
    """The squared error weighted by :func:`level_weights` of the target, as a content loss
    ``(target, output) -> scalar`` (training with the search's weighting)."""
    def loss(target, output):
        return keras.ops.mean(level_weights(target, power) * keras.ops.square(output - target))
    return loss


def admm_search(generator: keras.Model, targets: np.ndarray, z0: np.ndarray, centres: np.ndarray, *,
                iterations: int = 250, learning_rate: float = 0.05, mse_weight: float = 15.0, rho: float = 1e-3,
                tolerance: float = 1e-5, patience: int = 10, free: np.ndarray | None = None,
                weights: np.ndarray | tf.Tensor | None = None) -> SearchResult:
    """Search the quantised latents of ``targets`` (a batch of patches) from ``z0``.

    Args:
        generator: latent -> patch.
        targets: ``[n, ...]`` patches to encode.
        z0: ``[n, ...]`` initial latents (the encoder's output).
        centres: the quantiser's sorted centres.
        iterations: maximum Adam steps.
        learning_rate: Adam's step size on the latents.
        mse_weight: weight of the reconstruction error.
        rho: ADMM penalty.
        tolerance: stop when the loss improved by less than this fraction over ``patience`` steps.
        patience: see ``tolerance``.
        free: ``z0``-shaped booleans, the latents the search may change; the others keep
            their ``z0`` values, which must be centres (default: all free).
        weights: ``targets``-shaped weights of the squared error (default: all 1, the
            paper's MSE); see :func:`level_weights`.

    Returns:
        The symbols and latents of ``Q(z)`` and the loss history.
    """
    x = tf.constant(np.asarray(targets, np.float32))
    w = tf.ones_like(x) if weights is None else tf.convert_to_tensor(weights, tf.float32)
    fixed = tf.constant(np.asarray(z0, np.float32))
    free = tf.constant(np.ones(fixed.shape, bool) if free is None else np.asarray(free, bool))
    settings = (tf.constant(v, tf.float32) for v in (learning_rate, mse_weight, rho, tolerance))
    z, losses, steps = _compiled_search(generator)(x, w, fixed, free, tf.constant(np.asarray(centres, np.float32)),
                                                   int(iterations), tf.constant(patience), *settings)
    symbols, latents = quantise(z.numpy(), np.asarray(centres, np.float32))
    return SearchResult(symbols, latents.astype(np.float32), [float(v) for v in losses.numpy()[:int(steps)]])


# Keras' Adam defaults (the search's optimiser, written out so the loop is one graph).
_BETA_1, _BETA_2, _EPSILON = 0.9, 0.999, 1e-7
_compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
JIT = False  # compile the search loop with XLA (measured slower on CPU: benchmarks/bench_bpgan_search.py)


def native_bfloat16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX-BF16; Linux's
    /proc/cpuinfo), where a bfloat16 search is faster instead of emulated."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            flags = next((line for line in info if line.startswith("flags")), "").split()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def _compiled_search(generator: keras.Model):
    """The whole search loop of ``generator`` as one compiled graph, traced once per
    generator (and again only for a new patch shape or iteration count), not once per call;
    the loss history (a tensor of the iteration count's length, for XLA) and the early exit
    stay in the graph, so no step waits on Python."""
    if JIT in _compiled.get(generator, {}):
        return _compiled[generator][JIT]

    @tf.function(reduce_retracing=True, jit_compile=JIT)
    def search(x, w, fixed, free, centres, iterations, patience, learning_rate, mse_weight, rho, tolerance):
        lo, hi = tf.reduce_min(centres), tf.reduce_max(centres)
        x_axes, z_axes = list(range(1, len(x.shape))), list(range(1, len(fixed.shape)))
        count = tf.cast(tf.shape(x)[0], tf.float32)

        def nearest(v):
            return tf.gather(centres, tf.argmin(tf.abs(v[..., None] - centres), axis=-1))

        def step(i, z, eta, m, v, losses, stop):
            zq = nearest(z + eta)
            with tf.GradientTape() as tape:
                tape.watch(z)
                output = tf.cast(generator(z, training=False), x.dtype)  # a bfloat16 generator's too
                mse = tf.reduce_mean(w * tf.square(output - x), axis=x_axes)
                penalty = tf.reduce_sum(tf.square(z - zq + eta), axis=z_axes)
                loss = tf.reduce_sum(mse_weight * mse + rho / 2 * penalty)  # patches stay independent
            gradient = tape.gradient(loss, z)
            t = tf.cast(i + 1, tf.float32)
            alpha = learning_rate * tf.sqrt(1 - tf.pow(_BETA_2, t)) / (1 - tf.pow(_BETA_1, t))
            m += (gradient - m) * (1 - _BETA_1)
            v += (tf.square(gradient) - v) * (1 - _BETA_2)
            z = tf.where(free, tf.clip_by_value(z - m * alpha / (tf.sqrt(v) + _EPSILON), lo, hi), fixed)
            eta += z - nearest(z + eta)
            loss /= count
            losses = tf.tensor_scatter_nd_update(losses, [[i]], [loss])
            before = losses[tf.maximum(i - patience, 0)]
            stop = (i >= patience) & (before - loss < tolerance * tf.abs(before))
            return i + 1, z, eta, m, v, losses, stop

        zeros = tf.zeros_like(fixed)
        state = (tf.constant(0), fixed, zeros, zeros, zeros, tf.zeros([iterations]), tf.constant(False))
        steps, z, *_, losses, _ = tf.while_loop(lambda i, *rest: (i < iterations) & ~rest[-1], step, state)
        return z, losses, steps

    _compiled.setdefault(generator, {})[JIT] = search
    return search
