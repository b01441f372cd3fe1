"""Batched in-graph mel spectrograms (tf.signal) against a per-example librosa loop.

Run: .venv/bin/python benchmarks/bench_features.py [--n 512]
Prints both timings and their ratio, measured side by side on the same signals.
"""

from __future__ import annotations

import argparse
import time

import librosa
import numpy as np
import tensorflow as tf

from gansig.data import features


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=512, help="signals of 1.5 s at 22.05 kHz")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    x = np.random.default_rng(0).normal(size=(args.n, 33075)).astype(np.float32)
    fn = tf.function(lambda b: features.power_to_db(features.mel_spectrogram(b, 22050, 2048, 512, 64)))
    fn(x[:8])  # trace

    def ours():
        return fn(x).numpy()

    def reference():
        return np.stack([librosa.power_to_db(librosa.feature.melspectrogram(
            y=row, sr=22050, n_fft=2048, hop_length=512, n_mels=64)) for row in x])

    timings = {}
    for name, run in (("tf.signal batched", ours), ("librosa loop", reference)):
        best = float("inf")
        for _ in range(args.repeats):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        timings[name] = best
        print(f"{name:18s} {best:7.3f} s  ({1e3 * best / args.n:.2f} ms per signal)")
    print(f"speed-up: {timings['librosa loop'] / timings['tf.signal batched']:.1f}x")


if __name__ == "__main__":
    main()
