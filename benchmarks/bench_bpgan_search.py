"""Where the ADMM latent search's time goes, and what buys it back at equal quality: the
iteration count, the early-exit tolerance, the whole loop compiled by XLA, the generator in
bfloat16 (AMX / AVX-512 BF16 where the CPU has them), and the patches searched together.

Each variant encodes the same real test speech (the Table 3 segments of real speech, or
``--segments`` of them) side by side with the codec's default search, and is scored on
PESQ-NB against the original; the encode real-time factor is encoding time / audio time.

Run: .venv/bin/python benchmarks/bench_bpgan_search.py [--model results/bpgan/quick/models/codec]
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import keras
import numpy as np

from gansig import metrics
from gansig.papers.bpgan import admm, data, models
from gansig.papers.bpgan.codec import Codec
from gansig.papers.bpgan.evaluate import RATE, join_segments


def bf16_generator(codec: Codec) -> keras.Model:
    """The codec's generator rebuilt to compute in bfloat16 (weights kept in float32)."""
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        twin = models.generator(codec.config)
    finally:
        keras.config.set_dtype_policy("float32")
    twin.set_weights(codec.generator.get_weights())
    return twin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="results/bpgan/quick/models/codec")
    parser.add_argument("--segments", type=int, default=6, help="real test segments of 8 s")
    parser.add_argument("--variants", default="all", help="comma-separated names, or all")
    args = parser.parse_args()
    codec = Codec.load(args.model)
    items = [i for i in data.utterances("test") if i.real]
    segments = join_segments(data.waveforms(items), codec.config.test_segment_s, args.segments)
    seconds = sum(len(x) for x in segments) / RATE
    print(f"{len(segments)} segments, {seconds:.0f} s of real test speech; model {args.model}")
    base = codec.config
    variants = {
        "default (100 it.)": dict(),
        "encoder only": dict(search=False),
        "50 it.": dict(admm_iterations=50),
        "25 it.": dict(admm_iterations=25),
        "10 it.": dict(admm_iterations=10),
        "tolerance 1e-3": dict(admm_tolerance=1e-3),
        "XLA": dict(jit=True),
        "bf16": dict(bf16=True),
        "XLA + bf16": dict(jit=True, bf16=True),
        "XLA + bf16, 25 it.": dict(jit=True, bf16=True, admm_iterations=25),
        "one frame a patch": dict(frame_patches=1),
    }
    chosen = variants if args.variants == "all" else {k: variants[k] for k in args.variants.split(",")}
    generator = codec.generator
    bf16 = bf16_generator(codec)
    print(f"{'variant':>22s} {'encode RTF':>10s} {'PESQ-NB':>8s} {'kbps':>6s}")
    for name, settings in chosen.items():
        settings = dict(settings)
        search = settings.pop("search", True)
        admm.JIT = settings.pop("jit", False)
        codec.generator = bf16 if settings.pop("bf16", False) else generator
        codec.config = dataclasses.replace(base, **settings)
        codec.encode(segments[0], RATE, search=search)  # warm up: trace the graphs for these shapes
        start = time.perf_counter()
        coded = [codec.encode(x, RATE, search=search) for x in segments]
        elapsed = time.perf_counter() - start
        codec.generator = generator
        nb = np.mean([metrics.pesq(x, codec.decode(c)[0], RATE, "nb") for x, c in zip(segments, coded, strict=True)])
        kbps = metrics.kbps(sum(len(c) for c in coded), seconds)
        print(f"{name:>22s} {elapsed / seconds:10.3f} {nb:8.3f} {kbps:6.2f}", flush=True)
    admm.JIT = False


if __name__ == "__main__":
    main()
