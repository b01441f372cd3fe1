"""BPGAN's smoke reproduction end to end on a reduced speech-default (needs `make system-deps`)."""

import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

pytestmark = [pytest.mark.slow, pytest.mark.system_deps]


@pytest.fixture(scope="module")
def run(smoke):
    return smoke("bpgan")


def test_table_3_rows(run):
    _, table = run
    for subset in ("real speech", "all test speech"):
        name = f"Table 3 — {subset}"
        for method in ("Original (16-bit PCM)", "BPGAN (ADMM)", "BPGAN (ADMM, level-weighted search)",
                       "Unified GAN (encoder only)", "CELP 8k (Speex NB)", "Opus 9k", "AMR-WB 6.60k", "Opus 6k",
                       "Codec2 3200", "Codec2 1200"):
            kbps = table.get(name, method, "bitrate (kbps, from the bytes)").measured
            assert np.isfinite(kbps) and kbps > 0
            assert table.get(name, method, "MUSHRA").measured is None
            for metric in ("DNSMOS OVRL", "DNSMOS SIG", "DNSMOS BAK", "DNSMOS P.808"):
                assert 1 <= table.get(name, method, metric).measured <= 5, (method, metric)
    original = table.get("Table 3 — real speech", "Original (16-bit PCM)", "PESQ-NB (raw P.862)")
    assert original.reference == 4.50 and original.measured > 4.4
    assert table.get("Table 3 — real speech", "Original (16-bit PCM)", "bitrate (kbps, from the bytes)").measured == 256
    assert table.get("Table 3 — real speech", "BPGAN (ADMM)", "PESQ-NB (raw P.862)").reference == 3.26
    assert table.get("Table 3 — real speech", "BPGAN (ADMM, level-weighted search)", "PESQ-NB (raw P.862)").reference \
        is None  # beyond the paper


def test_cli_round_trip_with_the_trained_codec(run, tmp_path):
    out, _ = run
    t = np.arange(int(1.5 * 22050)) / 22050
    sf.write(tmp_path / "in.wav", 0.1 * np.sin(2 * np.pi * 220 * t) * (t % 0.5 < 0.3), 22050)
    model = str(out / "models" / "codec")
    cli = [sys.executable, "-m", "gansig.papers.bpgan"]
    enc = subprocess.run(cli + ["encode", str(tmp_path / "in.wav"), str(tmp_path / "x.bpg"), "--model", model],
                         capture_output=True, text=True, timeout=300)
    assert enc.returncode == 0, enc.stderr
    dec = subprocess.run(cli + ["decode", str(tmp_path / "x.bpg"), str(tmp_path / "out.wav"), "--model", model],
                         capture_output=True, text=True, timeout=300)
    assert dec.returncode == 0, dec.stderr
    info = sf.info(tmp_path / "out.wav")
    assert (info.samplerate, info.frames) == (22050, len(t))
    described = subprocess.run(cli + ["info", str(tmp_path / "x.bpg"), "--model", model],
                               capture_output=True, text=True, timeout=300)
    size = (tmp_path / "x.bpg").stat().st_size
    assert described.returncode == 0, described.stderr
    assert "sample rate (Hz): 22050" in described.stdout and "duration (s): 1.5" in described.stdout
    assert f"bytes: {size}" in described.stdout and f"(kbit/s): {round(8 * size / 1.5 / 1000, 3)}" in described.stdout
    assert "decodes with" in described.stdout and described.stdout.rstrip().endswith("yes")
    fast = subprocess.run(cli + ["encode", str(tmp_path / "in.wav"), str(tmp_path / "f.bpg"), "--model", model,
                                 "--iterations", "2"], capture_output=True, text=True, timeout=300)
    assert fast.returncode == 0 and (tmp_path / "f.bpg").stat().st_size > 52, fast.stderr
    argv = ["gansig.papers.bpgan", "encode", str(tmp_path / "in.wav"), str(tmp_path / "n.bpg"), "--model", model,
            "--iterations", "0"]  # the distilled encoder alone: no search, so no TensorFlow
    none = subprocess.run([sys.executable, "-c", "import sys, runpy; sys.modules['tensorflow'] = sys.modules['keras'] "
                           f"= None; sys.argv = {argv!r}; runpy.run_module({argv[0]!r}, run_name='__main__')"],
                          capture_output=True, text=True, timeout=300)
    assert none.returncode == 0 and (tmp_path / "n.bpg").stat().st_size > 52, none.stderr
    many = subprocess.run(cli + ["encode", str(tmp_path / "in.wav"), str(tmp_path / "m.bpg"), "--model", model,
                                 "--iterations", "1001"], capture_output=True, text=True, timeout=300)
    assert many.returncode == 2 and "between 0 and 1,000" in many.stderr and not (tmp_path / "m.bpg").exists()
    (tmp_path / "bad.bpg").write_bytes(b"BPGN\x03" + b"\0" * 9)  # version 3, its header cut short
    bad = subprocess.run(cli + ["decode", str(tmp_path / "bad.bpg"), str(tmp_path / "o.wav"), "--model", model],
                         capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "truncated" in bad.stderr and "Traceback" not in bad.stderr
    bad_info = subprocess.run(cli + ["info", str(tmp_path / "in.wav")], capture_output=True, text=True, timeout=300)
    assert bad_info.returncode == 2 and "not a .bpg file" in bad_info.stderr and "Traceback" not in bad_info.stderr
    assert not (tmp_path / "o.wav").exists()
