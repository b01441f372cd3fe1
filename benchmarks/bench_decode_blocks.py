"""BPGAN's waveform reconstruction in blocks against the whole signal at once: quality from
true mels of real speech, and peak memory of a long decode.

Griffin-Lim over a whole file holds several complex spectrograms of the file's length
(about 9 GB for an hour); `frontend.synthesise` rebuilds ~33 s blocks with 32 frames of
context, cross-faded at the joins. This scores the joins where they are densest (blocks of
a few patches) and the default, beside the whole signal, on the same speech; then decodes
random patches of a long signal in a fresh process per variant and reports its peak RSS.

Run: .venv/bin/python benchmarks/bench_decode_blocks.py [--seconds 64] [--memory-seconds 600]
Needs the speech-default corpus (make data).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from gansig import metrics
from gansig.papers.bpgan import data, frontend
from gansig.papers.bpgan.evaluate import RATE, join_segments

WHOLE = 1 << 40  # a block longer than any signal: the whole signal at once


def peak_rss_mb(seconds: float, block_frames: int) -> float:
    """Peak RSS growth (MB) of synthesising ``seconds`` of random patches in a fresh process."""
    code = (
        "import resource, numpy as np\n"
        "from gansig.papers.bpgan import frontend\n"
        f"n = int({seconds} * frontend.RATE)\n"
        "patches = np.random.default_rng(0).uniform(-1, 0, (-(-frontend.n_frames(n) // frontend.PATCH), 128, 128))\n"
        "norm = frontend.Normalisation(1.0, 0.0, 1.0, n)\n"
        "frontend.synthesise(patches[:1], frontend.Normalisation(1.0, 0.0, 1.0, 1000))  # load TF's kernels\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"frontend.synthesise(patches, norm, n_iter=4, block_frames={block_frames})\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(out.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=64.0, help="real test speech scored")
    parser.add_argument("--memory-seconds", type=float, default=600.0, help="length of the memory test")
    args = parser.parse_args()
    items = [i for i in data.utterances("test") if i.real]
    x = join_segments(data.waveforms(items), args.seconds, 1)[0]
    patches, norm = frontend.analyse(x)
    variants = {"whole signal": WHOLE, "blocks of 2 patches (a join every 2 s)": 2 * frontend.PATCH,
                "blocks of 8 patches (every 8 s)": 8 * frontend.PATCH,
                f"default: {frontend.GL_BLOCK_FRAMES // frontend.PATCH} patches": frontend.GL_BLOCK_FRAMES}
    print(f"{len(x) / RATE:.0f} s of real test speech, true mels; Griffin-Lim x100")
    print(f"{'reconstruction':40s} PESQ-WB PESQ-NB   STOI  seconds")
    for name, block in variants.items():
        start = time.perf_counter()
        y = frontend.synthesise(patches, norm, block_frames=block)
        took = time.perf_counter() - start
        print(f"{name:40s} {metrics.pesq(x, y, RATE, 'wb'):7.2f} {metrics.pesq(x, y, RATE, 'nb'):7.2f} "
              f"{metrics.stoi(x, y, RATE):6.3f} {took:8.1f}", flush=True)
    print(f"\npeak RSS growth decoding {args.memory_seconds:.0f} s (fresh process each; 4 iterations, "
          "memory does not depend on them)")
    for name, block in (("whole signal", WHOLE), ("default blocks", frontend.GL_BLOCK_FRAMES)):
        print(f"{name:40s} {peak_rss_mb(args.memory_seconds, block):7.0f} MB", flush=True)


if __name__ == "__main__":
    main()
