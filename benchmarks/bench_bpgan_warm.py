"""BPGAN's rate-quality-speed curve over the search's iterations K, from a cold start (the
paper's encoder E) and from a warm one (the distilled encoder, papers/bpgan/distil.py),
beside Codec2 3200 and Opus 6k (the lowest rate of the table's Opus rows).

Each point encodes the same real test speech: Table 3's segments of real speech (the first
``--table`` joined 8 s segments) and the next ``--further`` ones, as ``reproduce`` joins and
levels them; it is scored on PESQ-NB, PESQ-WB and STOI against the original, and the
encode real-time factor is encoding time / audio time (after a warm-up encode that traces
the search's graph). Writes a JSON of every point and the plot papers/bpgan/warm_start.png.

Run: .venv/bin/python benchmarks/bench_bpgan_warm.py [--model results/bpgan/quick/models/codec]
(after `make reproduce-bpgan`; the codec must have a distilled encoder).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from gansig import metrics, plots
from gansig.baselines import codecs
from gansig.papers.bpgan import data
from gansig.papers.bpgan.codec import Codec
from gansig.papers.bpgan.evaluate import RATE, join_segments
from gansig.plots import plt

METRICS = ("PESQ-NB", "PESQ-WB", "STOI")


def scores(originals: list[np.ndarray], decoded: list[np.ndarray]) -> dict[str, float]:
    """Mean PESQ-NB, PESQ-WB and STOI of decoded segments against their originals."""
    rows = [(metrics.pesq(x, y, RATE, "nb"), metrics.pesq(x, y, RATE, "wb"), metrics.stoi(x, y, RATE))
            for x, y in zip(originals, decoded, strict=True)]
    return dict(zip(METRICS, (float(v) for v in np.mean(rows, axis=0)), strict=True))


def point(codec: Codec, sets: dict[str, list[np.ndarray]]) -> dict:
    """Encode every set with ``codec``'s search; its real-time factor and each set's scores."""
    codec.encode(next(iter(sets.values()))[0], RATE)  # warm up: trace the search for these shapes
    result, elapsed, seconds = {}, 0.0, 0.0
    for name, segments in sets.items():
        start = time.perf_counter()
        coded = [codec.encode(x, RATE) for x in segments]
        elapsed += time.perf_counter() - start
        length = sum(len(x) for x in segments) / RATE
        seconds += length
        result[name] = {"kbps": metrics.kbps(sum(len(c) for c in coded), length),
                        **scores(segments, [codec.decode(c)[0] for c in coded])}
    return {"rtf": elapsed / seconds, **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="results/bpgan/quick/models/codec")
    parser.add_argument("--iterations", default="0,2,5,10,25,50", help="the values of K, comma-separated")
    parser.add_argument("--starts", default="encoder,distilled")
    parser.add_argument("--table", type=int, default=6, help="Table 3's real segments (scored first)")
    parser.add_argument("--further", type=int, default=24, help="real segments after them")
    parser.add_argument("--json", default="benchmarks/bpgan_warm.json")
    parser.add_argument("--plot", default="papers/bpgan/warm_start.png")
    args = parser.parse_args()
    codec = Codec.load(args.model, keras=True)
    items = [i for i in data.utterances("test") if i.real]
    segments = join_segments(data.waveforms(items), codec.config.test_segment_s, None)
    sets = {name: xs for name, xs in (("table", segments[:args.table]),
                                      ("further", segments[args.table:args.table + args.further])) if xs}
    print(f"model {args.model}; {', '.join(f'{len(v)} {k} segments' for k, v in sets.items())}", flush=True)
    references = {}
    for name, run in (("Codec2 3200", lambda x: codecs.codec2(x, RATE, 3200)), ("Opus 6k", lambda x: codecs.opus(
            x, RATE, 6))):
        references[name] = {}
        for subset, xs in sets.items():
            coded = [run(x) for x in xs]
            length = sum(len(x) for x in xs) / RATE
            references[name][subset] = {"kbps": metrics.kbps(sum(c.n_bytes for c in coded), length),
                                        **scores(xs, [c.decoded for c in coded])}
    curve = []
    header = f"{'start':>9s} {'K':>3s} {'RTF':>6s} " + " ".join(f"{s[:5]:>5s} kbps  NB    WB   STOI" for s in sets)
    print(header, flush=True)
    for start in args.starts.split(","):
        for k in (int(v) for v in args.iterations.split(",")):
            measured = point(codec.searching(start=start, iterations=k), sets)
            curve.append({"start": start, "iterations": k, **measured})
            print(f"{start:>9s} {k:3d} {measured['rtf']:6.3f} " + " ".join(
                f"{'':5s} {measured[s]['kbps']:4.2f} {measured[s]['PESQ-NB']:.2f} {measured[s]['PESQ-WB']:.2f} "
                f"{measured[s]['STOI']:.3f}" for s in sets), flush=True)
    for name, by_set in references.items():
        print(f"{name:>13s} {'':6s} " + " ".join(f"{'':5s} {by_set[s]['kbps']:4.2f} {by_set[s]['PESQ-NB']:.2f} "
                                                 f"{by_set[s]['PESQ-WB']:.2f} {by_set[s]['STOI']:.3f}" for s in sets))
    Path(args.json).write_text(json.dumps({"model": args.model, "segments": {k: len(v) for k, v in sets.items()},
                                           "curve": curve, "references": references}, indent=1), encoding="utf-8")
    plot(curve, references, sets, Path(args.plot))
    print(f"wrote {args.json} and {args.plot}")


def plot(curve: list[dict], references: dict, sets: dict, path: Path) -> None:
    """PESQ-NB against the encode real-time factor, one line per start and segment set,
    the reference codecs as horizontal lines."""
    fig, axes = plt.subplots(1, len(sets), figsize=(5.5 * len(sets), 4), sharey=True, squeeze=False)
    for ax, subset in zip(axes[0], sets, strict=True):
        for start, style in (("encoder", "o--"), ("distilled", "s-")):
            points = [p for p in curve if p["start"] == start]
            if not points:
                continue
            ax.plot([p["rtf"] for p in points], [p[subset]["PESQ-NB"] for p in points], style,
                    label=f"{'cold (E)' if start == 'encoder' else 'warm (distilled)'} start")
            for p in points:
                ax.annotate(f"K={p['iterations']}", (p["rtf"], p[subset]["PESQ-NB"]), fontsize=7,
                            textcoords="offset points", xytext=(3, 3))
        for (name, by_set), colour in zip(references.items(), ("grey", "tab:red"), strict=True):
            ax.axhline(by_set[subset]["PESQ-NB"], color=colour, lw=1, ls=":",
                       label=f"{name} ({by_set[subset]['kbps']:.1f} kbit/s)")
        ax.set_xscale("log")
        ax.set_xlabel("encode real-time factor (2 CPU cores; lower is faster)")
        ax.set_title(f"{subset} segments ({len(sets[subset])} x 8 s)")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("PESQ-NB (raw P.862)")
    axes[0][0].legend(fontsize=7)
    fig.suptitle("BPGAN encoding: quality against speed over the search's iterations K")
    plots.save(fig, path)


if __name__ == "__main__":
    main()
