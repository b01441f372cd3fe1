"""BPGAN speed and the cost of the latent search: encode/decode real-time factors and
ADMM iterations versus quality, then the search's level weighting (admm_level_power: 0 is
the paper's plain MSE) versus quality, with a trained codec on real test speech; with
``--side-by-side``, the codec as people run it (its command line, a process per file)
beside c2enc/c2dec and opusenc/opusdec on 10 s, 60 s and 600 s of real speech: wall time
and peak resident memory of each process, and the ratio to Codec2 3200's time.

Run: .venv/bin/python benchmarks/bench_bpgan.py [--model results/bpgan/quick/models/codec] [--seconds 16]
     .venv/bin/python benchmarks/bench_bpgan.py --side-by-side [--lengths 10,60,600]
(after `make reproduce-bpgan`). The real-time factor is processing time / audio duration
(below 1 is faster than real time), measured side by side on the same audio.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from processes import measured

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
    parser.add_argument("--side-by-side", action="store_true", help="the command-line table beside Codec2 and Opus")
    parser.add_argument("--lengths", default="10,60,600", help="seconds of speech for --side-by-side")
    args = parser.parse_args()
    if args.side_by_side:
        side_by_side(args.model, [float(v) for v in args.lengths.split(",")])
        return
    codec = Codec.load(args.model, keras=True)
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



def real_speech(seconds: float) -> np.ndarray:
    """``seconds`` of real speech at 16 kHz: speech-default's real utterances, test then
    training ones, 0.3 s apart, repeated if they run out."""
    items = [i for split in ("test", "train") for i in data.utterances(split) if i.real]
    pieces, total, gap = [], 0, np.zeros(int(0.3 * RATE), np.float32)
    while total < seconds * RATE:
        for x in data.waveforms(items[:400]):
            pieces += [x, gap]
            total += len(x) + len(gap)
            if total >= seconds * RATE:
                break
    return np.concatenate(pieces)[: int(seconds * RATE)]


def side_by_side(model: str, lengths: list[float]) -> None:
    """The markdown table of ``--side-by-side`` (see the module docstring)."""
    from gansig.data import io

    bpgan = [sys.executable, "-m", "gansig.papers.bpgan"]
    rows = {"BPGAN (the model's search)": [], "BPGAN (encoder only)": ["--encoder-only"],
            "BPGAN (100 iterations, float32: before)": ["--iterations", "100", "--precision", "float32"]}
    print("| audio | codec | encode s | encode RTF | encode peak MB | decode s | decode RTF | decode peak MB "
          "| encode time / Codec2 3200's |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for seconds in lengths:
            x = real_speech(seconds)
            io.save(folder / "in.wav", x, RATE)
            (np.clip(io.resample(x, RATE, 8000), -1, 1) * 32767).astype("<i2").tofile(folder / "in8k.raw")
            results = {}
            for mode in (3200, 1200):
                results[f"Codec2 {mode}"] = (
                    measured(["c2enc", str(mode), str(folder / "in8k.raw"), str(folder / "c.c2")]),
                    measured(["c2dec", str(mode), str(folder / "c.c2"), str(folder / "out.raw")]))
            results["Opus 6k (opusenc)"] = (
                measured(["opusenc", "--quiet", "--bitrate", "6", str(folder / "in.wav"), str(folder / "c.opus")]),
                measured(["opusdec", "--quiet", "--rate", "16000", str(folder / "c.opus"), str(folder / "o.wav")]))
            for name, options in rows.items():
                results[name] = (
                    measured([*bpgan, "encode", str(folder / "in.wav"), str(folder / "c.bpg"), "--model", model,
                              *options]),
                    measured([*bpgan, "decode", str(folder / "c.bpg"), str(folder / "o.wav"), "--model", model]))
            reference = results["Codec2 3200"][0][0]
            for name, ((enc_s, enc_mb), (dec_s, dec_mb)) in results.items():
                print(f"| {seconds:g} s | {name} | {enc_s:.2f} | {enc_s / seconds:.3f} | {enc_mb:.0f} | {dec_s:.2f} | "
                      f"{dec_s / seconds:.3f} | {dec_mb:.0f} | {enc_s / reference:.0f} |", flush=True)


if __name__ == "__main__":
    main()
