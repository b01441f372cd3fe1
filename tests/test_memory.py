"""Memory that does not grow with the length or the count: small valid inputs that ask for a
lot of output (a .bpg whose header claims six hours, 100,000 generated clips) are worked
through block by block, under a 2 GB limit, writing as they go.

Each command runs as a real process, watched: its resident memory is sampled (and the
process killed at 2 GB, the limit), the output is left to grow for a while, then the run
is interrupted (Ctrl-C) and must leave nothing half-written behind. (``ulimit -v`` cannot be
the limit: TensorFlow reserves far more address space than it uses.)"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN_CODEC = Path(__file__).parent / "golden" / "bpgan_smoke_codec"
LIMIT_BYTES = 2 * 1024**3


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _watch(argv: list[str], cwd: Path, output_size, *, grow_s: float, timeout_s: float = 600) -> dict:
    """Run ``argv``; once ``output_size()`` first exceeds 4096, let it run ``grow_s`` more
    seconds, then Ctrl-C it. Returns the peak memory, the memory when the output began and
    at the end, the output size then, the exit status and stderr."""
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started, began, rss_at_start, peak, size = time.monotonic(), None, 0, 0, 0
    try:
        while proc.poll() is None and time.monotonic() - started < timeout_s:
            rss = _rss(proc.pid)
            peak = max(peak, rss)
            if peak > LIMIT_BYTES:
                proc.kill()
                break
            size = output_size()
            if began is None and size > 4096:
                began, rss_at_start = time.monotonic(), rss
            if began is not None and time.monotonic() - began > grow_s:
                rss_at_end = rss
                proc.send_signal(signal.SIGINT)
                break
            time.sleep(0.2)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    return {"peak": peak, "at_start": rss_at_start, "at_end": locals().get("rss_at_end", peak), "size": size,
            "status": proc.returncode, "stderr": err, "began": began is not None}


@pytest.mark.slow
def test_decoding_a_file_that_claims_six_hours_stays_in_bounded_memory(tmp_path):
    from gansig.papers.bpgan import bitstream
    from gansig.papers.bpgan.codec import Codec, time_major

    codec = Codec.load(GOLDEN_CODEC)
    header = bitstream.StreamHeader(16000, codec.model_id, codec.config.frame_patches)
    columns = codec.frame_columns(header.frame_samples, header.frame_patches)
    silence = time_major(codec.silence[None])
    payload = codec.symbols.encode(np.resize(silence, (columns, *silence.shape[1:])))  # validly coded symbols
    frames = -(-bitstream.MAX_SECONDS * 16000 // header.frame_samples)  # six hours of full frames
    with open(tmp_path / "six_hours.bpg", "wb") as out:
        out.write(bitstream.stream_header(header))
        for index in range(frames):
            out.write(bitstream.frame_bytes(bitstream.Frame(index, header.frame_samples, 2.0, 0.0, 1.0, payload)))

    def written() -> int:  # the decoder writes into a temporary file beside the output
        return sum(p.stat().st_size for p in tmp_path.glob(".out.*"))

    result = _watch([sys.executable, "-m", "gansig.papers.bpgan", "decode", "six_hours.bpg", "out.wav", "--model",
                     str(GOLDEN_CODEC)], tmp_path, written, grow_s=25)
    assert result["began"], result["stderr"][-2000:]
    assert result["peak"] < LIMIT_BYTES, result
    assert result["size"] > 16000 * 2 * 30, result  # tens of seconds of audio written as it went
    assert result["at_end"] - result["at_start"] < 300 * 1024**2, result  # not growing with the output
    assert result["status"] == 130 and result["stderr"].strip().endswith("interrupted"), result["stderr"][-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["six_hours.bpg"]  # nothing half-written left


@pytest.mark.slow
def test_generating_a_hundred_thousand_clips_stays_in_bounded_memory(tmp_path):
    import dataclasses

    from gansig.data.inverse import Standardiser
    from gansig.papers.specgan.config import PROFILES
    from gansig.papers.specgan.generate import SpecGenerator
    from gansig.papers.specgan.train import networks

    config = dataclasses.replace(PROFILES["smoke"], model="specgan")
    moments = Standardiser(np.full(128, -4.0, np.float32), np.ones(128, np.float32))
    SpecGenerator(config, networks(config)[0], moments).save(tmp_path / "model")
    out = tmp_path / "samples"

    def written() -> int:
        return 4096 * len(list(out.glob("*.wav"))) if out.is_dir() else 0

    result = _watch([sys.executable, "-m", "gansig.papers.specgan", "generate", "-n", "100000", "--out", str(out),
                     "--model", str(tmp_path / "model")], tmp_path, written, grow_s=20)
    assert result["began"], result["stderr"][-2000:]
    assert result["peak"] < LIMIT_BYTES, result
    assert result["size"] >= 4096 * 3 * 64, result  # several blocks written as it went
    assert result["at_end"] - result["at_start"] < 300 * 1024**2, result
    assert result["status"] == 130, result["stderr"][-2000:]
