"""Peak memory of ``specgan generate -n N`` against N: flat, because clips, labels and paths
are made and written a block at a time (before, the labels of all N were built up front:
1.7 GB at N = 10^8, 2.46 GB with ``--class all``).

Each N runs in a fresh process on the same untrained smoke generator (class-conditional, as
the shipped one; ``--class all``, the heaviest case), for ``--seconds`` of generating or to
its end, whichever is first (then Ctrl-C); the peak RSS (VmHWM) is read just before. The
smallest N is the baseline each peak is set against.

Run: .venv/bin/python benchmarks/bench_specgan_generate.py [--seconds 45] [--n 1000 100000 10000000]
"""

from __future__ import annotations

import argparse
import dataclasses
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def peak_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(n: int, model: Path, out: Path, seconds: float) -> tuple[float, int, float]:
    """``generate -n n --class all`` for at most ``seconds`` after its first clip: (peak MB,
    clips written, seconds it ran)."""
    proc = subprocess.Popen([sys.executable, "-m", "gansig.papers.specgan", "generate", "-n", str(n), "--class",
                             "all", "--out", str(out), "--model", str(model)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started, first, peak = time.monotonic(), None, 0.0
    while proc.poll() is None:
        peak = max(peak, peak_mb(proc.pid))
        if first is None and any(out.glob("*.wav")):
            first = time.monotonic()
        if first is not None and time.monotonic() - first > seconds:
            proc.send_signal(signal.SIGINT)
            break
        time.sleep(0.2)
    proc.wait(timeout=120)
    return peak, len(list(out.glob("*.wav"))), time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=45.0, help="generating time per N after its first clip")
    parser.add_argument("--n", type=int, nargs="+", default=[1_000, 100_000, 10_000_000])
    args = parser.parse_args()
    from gansig.papers.specgan.config import PROFILES
    from gansig.papers.specgan.generate import SpecGenerator
    from gansig.papers.specgan.train import networks

    with tempfile.TemporaryDirectory() as tmp:
        config = dataclasses.replace(PROFILES["smoke"], model="gansig", conditional=True)
        model = SpecGenerator(config, networks(config)[0]).save(Path(tmp) / "model")
        rows = [(n, *run(n, model, Path(tmp) / f"out_{n}", args.seconds)) for n in args.n]
    base = rows[0][1]
    print(f"| -n (x 10 classes) | clips written | seconds | peak RSS (MB) | peak / peak at -n {rows[0][0]:,} |")
    print("|---|---|---|---|---|")
    for n, peak, clips, took in rows:
        print(f"| {n:,} | {clips:,} | {took:.0f} | {peak:.0f} | {peak / base:.2f} |")


if __name__ == "__main__":
    main()
