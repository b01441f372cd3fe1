"""BPGAN against Codec2 3200 on real test speech that Table 3 does not score.

The quick table scores six 8 s segments per subset, which is little audio for PESQ. This
codes the next N real test segments (same joining and levelling as `reproduce`) with a
trained codec's default encoder and with Codec2 3200, and prints the means, the paired
PESQ-NB difference with its standard error, and how often BPGAN is ahead.

Run: .venv/bin/python benchmarks/bpgan_more_segments.py [--model results/bpgan/quick/models/codec] [--segments 24]
(after `make reproduce-bpgan`).
"""

from __future__ import annotations

import argparse

import numpy as np

from gansig import metrics
from gansig.baselines import codecs
from gansig.papers.bpgan import data
from gansig.papers.bpgan.codec import Codec
from gansig.papers.bpgan.evaluate import RATE, join_segments, score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="results/bpgan/quick/models/codec")
    parser.add_argument("--segments", type=int, default=24)
    parser.add_argument("--skip", type=int, default=6, help="segments the table scores (not repeated here)")
    args = parser.parse_args()
    codec = Codec.load(args.model, keras=True)
    items = [i for i in data.utterances("test") if i.real]
    segments = join_segments(data.waveforms(items), codec.config.test_segment_s, None)
    segments = segments[args.skip:args.skip + args.segments]
    results = {"BPGAN": [], "Codec2 3200": []}
    n_bytes = {name: 0 for name in results}
    for x in segments:
        coded = codec.encode(x, RATE)
        reference = codecs.codec2(x, RATE, 3200)
        n_bytes["BPGAN"] += len(coded)
        n_bytes["Codec2 3200"] += reference.n_bytes
        results["BPGAN"].append(list(score(x, codec.decode(coded)[0]).values()))
        results["Codec2 3200"].append(list(score(x, reference.decoded).values()))
    seconds = sum(len(x) for x in segments) / RATE
    print(f"{len(segments)} real test segments after the table's {args.skip} ({seconds:.0f} s); model {args.model}")
    for name, rows in results.items():
        nb, wb, st = np.mean(rows, axis=0)
        print(f"  {name:12s} {metrics.kbps(n_bytes[name], seconds):.3f} kbit/s  PESQ-NB {nb:.3f}  PESQ-WB {wb:.3f}"
              f"  STOI {st:.3f}")
    diff = np.array(results["BPGAN"])[:, 0] - np.array(results["Codec2 3200"])[:, 0]
    print(f"  PESQ-NB, BPGAN - Codec2 3200: {diff.mean():+.3f} (standard error "
          f"{diff.std(ddof=1) / np.sqrt(len(diff)):.3f}); BPGAN ahead on {np.sum(diff > 0)} of {len(diff)}")


if __name__ == "__main__":
    main()
