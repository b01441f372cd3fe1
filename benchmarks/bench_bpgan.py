"""BPGAN speed and the cost of the latent search: encode/decode real-time factors and
ADMM iterations versus quality, then the search's level weighting (admm_level_power: 0 is
the paper's plain MSE) versus quality, with a trained codec on real test speech.

Run: .venv/bin/python benchmarks/bench_bpgan.py [--model results/bpgan/quick/models/codec] [--seconds 16]
(after `make reproduce-bpgan`). The real-time factor is processing time / audio duration
(below 1 is faster than real time), measured side by side on the same audio.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

from gansig import metrics
from gansig.papers.bpgan import data
from gansig.papers.bpgan.codec import Codec
from gansig.papers.bpgan.evaluate import RATE, join_segments, score


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="results/bpgan/quick/models/codec")
    parser.add_argument("--seconds", type=float, default=16.0, help="real test speech to code")
    args = parser.parse_args()
    codec = Codec.load(args.model)
    items = [i for i in data.utterances("test") if i.real]
    x = join_segments(data.waveforms(items[:200]), args.seconds, 1)[0]
    duration = len(x) / RATE
    print(f"{duration:.1f} s of real test speech; model {args.model}")
    codec.encode(x[: RATE], RATE)  # warm up (graph tracing)
    default = codec.config
    print(f"{'ADMM iterations':>16s} {'encode RTF':>10s} {'kbps':>6s} {'PESQ-WB':>8s} {'PESQ-NB':>8s} {'STOI':>6s}")
    decode_rtf = None
    for iterations in (0, 10, 25, 50, 100, 250):
        codec.config = dataclasses.replace(default, admm_iterations=iterations, admm_tolerance=0.0)
        coded, t_enc = timed(lambda n=iterations: codec.encode(x, RATE, search=n > 0))
        (y, _), t_dec = timed(lambda c=coded: codec.decode(c))
        decode_rtf = t_dec / duration
        print(f"{iterations:>16d} {t_enc / duration:10.2f} {scores(x, coded, y, duration)}")
    print(f"decode RTF (generator + 100 Griffin-Lim iterations): {decode_rtf:.2f}")
    print(f"\n{'level power':>16s} {'encode RTF':>10s} {'kbps':>6s} {'PESQ-WB':>8s} {'PESQ-NB':>8s} {'STOI':>6s}")
    for power in (0.0, 1.0, 2.0, 3.0, 5.0):
        codec.config = dataclasses.replace(default, admm_level_power=power)
        coded, t_enc = timed(lambda: codec.encode(x, RATE))
        print(f"{power:>16.0f} {t_enc / duration:10.2f} {scores(x, coded, codec.decode(coded)[0], duration)}")


def scores(x, coded: bytes, y, duration: float) -> str:
    """Measured rate, PESQ-WB, PESQ-NB and STOI as one row."""
    nb, wb, stoi = score(x, y).values()
    return f"{metrics.kbps(len(coded), duration):6.2f} {wb:8.2f} {nb:8.2f} {stoi:6.3f}"


if __name__ == "__main__":
    main()
