"""What the command-line benchmarks share: the cost of one command run as its own process."""

from __future__ import annotations

import subprocess


def measured(command: list[str], cwd: str | None = None) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (MB) of one process running ``command``.

    GNU time runs it: Linux carries a process's high-water mark across ``exec``, so a child
    forked by this (large) Python would report this Python's memory as its own; the child
    forked by ``time`` starts from ``time``'s 2 MB.

    Raises:
        SystemExit: the command failed (the end of its standard error).
    """
    done = subprocess.run(["/usr/bin/time", "-f", "%e %M", *command], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, cwd=cwd)
    if done.returncode:
        raise SystemExit(f"{' '.join(command[:4])} ...: failed\n{done.stderr[-2000:]}")
    seconds, kilobytes = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(kilobytes) / 1024
