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

import numpy as np

from gansig import metrics
from gansig.papers.bpgan import admm, data
from gansig.papers.bpgan.codec import Codec
from gansig.papers.bpgan.evaluate import RATE, join_segments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="results/bpgan/quick/models/codec")
    parser.add_argument("--segments", type=int, default=6, help="real test segments of 8 s")
    parser.add_argument("--skip", type=int, default=0, help="segments skipped first (6: those Table 3 scores)")
    parser.add_argument("--variants", default="all", help="names separated by semicolons, or all")
    args = parser.parse_args()
    codec = Codec.load(args.model, keras=True)
    items = [i for i in data.utterances("test") if i.real]
    segments = join_segments(data.waveforms(items), codec.config.test_segment_s, None)
    segments = segments[args.skip:args.skip + args.segments]
    seconds = sum(len(x) for x in segments) / RATE
    print(f"{len(segments)} segments, {seconds:.0f} s of real test speech; model {args.model}")
    base = codec.config
    today = dict(admm_iterations=100, admm_precision="float32")  # the quick codec's search before this bench
    variants = {
        "100 it. (before)": today,
        "encoder only": dict(today, search=False),
        "50 it.": dict(today, admm_iterations=50),
        "25 it.": dict(today, admm_iterations=25),
        "10 it.": dict(today, admm_iterations=10),
        "tolerance 1e-3": dict(today, admm_tolerance=1e-3),
        "XLA": dict(today, jit=True),
        "bf16": dict(today, admm_precision="bfloat16"),
        "one frame a patch": dict(today, frame_patches=1),
        "frames of 32 patches": dict(today, frame_patches=32),
        "25 it., step 0.1": dict(today, admm_iterations=25, admm_learning_rate=0.1),
        "15 it., step 0.15": dict(today, admm_iterations=15, admm_learning_rate=0.15),
        "10 it., step 0.2": dict(today, admm_iterations=10, admm_learning_rate=0.2),
        "bf16, 50 it., frames of 32": dict(admm_precision="bfloat16", admm_iterations=50, frame_patches=32),
        "bf16, 50 it. (the new default)": dict(admm_precision="bfloat16", admm_iterations=50),
    }
    chosen = variants if args.variants == "all" else {k: variants[k] for k in args.variants.split(";")}
    print(f"{'variant':>30s} {'encode RTF':>10s} {'PESQ-NB':>8s} {'kbps':>6s}")
    for name, settings in chosen.items():
        settings = dict(settings)
        search = settings.pop("search", True)
        admm.JIT = settings.pop("jit", False)
        codec.config = dataclasses.replace(base, **settings)
        codec.encode(segments[0], RATE, search=search)  # warm up: trace the graphs for these shapes
        start = time.perf_counter()
        coded = [codec.encode(x, RATE, search=search) for x in segments]
        elapsed = time.perf_counter() - start
        nb = np.mean([metrics.pesq(x, codec.decode(c)[0], RATE, "nb") for x, c in zip(segments, coded, strict=True)])
        kbps = metrics.kbps(sum(len(c) for c in coded), seconds)
        print(f"{name:>30s} {elapsed / seconds:10.3f} {nb:8.3f} {kbps:6.2f}", flush=True)
    admm.JIT = False


if __name__ == "__main__":
    main()
