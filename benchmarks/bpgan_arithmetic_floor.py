"""The least time a BPGAN profile's training can take on this machine: its arithmetic
over the best float32 rate this machine's TensorFlow reaches.

Counts the multiply-accumulates of every convolution of the encoder, generator and
discriminator for one 128x128 patch (forward), estimates a training step from them (a
backward pass costs about twice a forward one: gradients of inputs and of weights; the
discriminator runs on real and generated patches for its own update and on generated
ones for the generator's), and times the best of a few large matrix products as the
machine's ceiling. A convolution computed directly (as TensorFlow's CPU kernels do; no
Winograd transform on AVX2) runs no faster than a large matrix product, so the quotient is
a floor, reached only by a perfect implementation.

Run: .venv/bin/python benchmarks/bpgan_arithmetic_floor.py [--profile quick]
"""

from __future__ import annotations

import argparse
import time

import keras
import numpy as np
import tensorflow as tf

from gansig.papers.bpgan import models
from gansig.papers.bpgan.config import PROFILES


def conv_macs(model: keras.Model, shape: tuple[int, ...]) -> int:
    """Multiply-accumulates of the model's convolutions for one input of ``shape``."""
    counted = []
    for layer in model._flatten_layers(include_self=False, recursive=True):
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.Conv2DTranspose)):
            def counting_call(x, layer=layer, call=layer.call):
                y = call(x)
                kh, kw, c1, c2 = layer.kernel.shape
                # a convolution works at each output position, a transposed one at each input position
                positions = x.shape[1] * x.shape[2] if isinstance(layer, keras.layers.Conv2DTranspose) \
                    else y.shape[1] * y.shape[2]
                counted.append(positions * kh * kw * c1 * c2)
                return y
            layer.call = counting_call
    model(np.zeros((1,) + shape, np.float32))
    return sum(counted)


def best_matmul_gflops(n: int = 1024, repeats: int = 5) -> float:
    """Best float32 rate of an n x n matrix product through TensorFlow (GFLOP/s)."""
    a, b = tf.random.uniform((n, n)), tf.random.uniform((n, n))
    product = tf.function(tf.matmul)
    product(a, b).numpy()
    best = min(_seconds(product, a, b) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def _seconds(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args).numpy()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="quick", choices=sorted(PROFILES))
    parser.add_argument("--patches", type=int, help="training patches per epoch (default: the profile's cap)")
    args = parser.parse_args()
    c = PROFILES[args.profile]
    patches = args.patches or c.train_patches
    if patches is None:
        parser.error(f"the {args.profile} profile takes every patch of its corpus: give --patches")
    e = conv_macs(models.encoder(c), (128, 128, 1))
    g = conv_macs(models.generator(c), (8, 8, c.latent_channels))
    d = conv_macs(models.discriminator(c), (128, 128, 1))
    # Encoder and generator: forward + backward (3x). Discriminator: its own update on real
    # and generated patches (3x each), the generator's update through it (forward + input
    # gradients, 2x); the real patches' features for feature matching come from the pass
    # of the discriminator's update.
    step_flop = 2 * (3 * (e + g) + 8 * d) * c.batch_size
    total_flop = step_flop * c.epochs * -(-patches // c.batch_size)
    gflops = best_matmul_gflops()
    print(f"BPGAN {args.profile}: convolutions per patch (forward) encoder {e / 1e6:.0f} M, generator "
          f"{g / 1e6:.0f} M, discriminator {d / 1e6:.0f} M multiply-accumulates")
    print(f"training step (batch {c.batch_size}): about {step_flop / 1e9:.1f} GFLOP; {c.epochs} epochs of "
          f"{patches} patches: {total_flop / 1e12:.0f} TFLOP")
    print(f"best float32 matrix product here: {gflops:.0f} GFLOP/s -> training takes at least "
          f"{total_flop / gflops / 1e9 / 60:.1f} min (a step at least {step_flop / gflops / 1e6:.0f} ms)")


if __name__ == "__main__":
    main()
