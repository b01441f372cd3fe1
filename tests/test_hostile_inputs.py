"""The hostile-input trial of issue 41, kept as rows: every case that lost a user's data,
crashed with a traceback, or exited 0 with a wrong result, each with the command, its input,
the exit status, the message's fragment and the check that no file outside the expected
output changed (the working folder hashed before and after). The cases whose right answer
writes something (``--force``, ``--keep-going``, decoding, pipes) follow as tests of their own.

Classes (the closing note counts the rows of each): data loss, tracebacks, exit 0 with a
wrong result, pipes, memory (``tests/test_memory.py``, ``benchmarks/bench_specgan_generate.py``)
and the confusing ones.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import sys

import numpy as np
import pytest
import soundfile as sf
from cli_cases import ENTRY, GOLDEN_CODEC, REPORT_RATES, Case, call, snapshot
from helpers import speech_like

LONG = "x" * 300  # a name longer than any Linux file system takes (255 bytes)

CASES = [
    # ---- data loss: an existing file is written over only with --force; a report replaces only its own files ----
    Case("encode-over-a-users-file", "bpgan", ["encode", "{z}/good.wav", "{z}/existing.bpg", "--model", "{codec}"],
         "existing.bpg: exists; add --force to write over it"),
    Case("decode-over-a-users-file", "bpgan", ["decode", "{z}/good.bpg", "{z}/existing.wav", "--model", "{codec}"],
         "existing.wav: exists; add --force to write over it"),
    Case("evaluate-plot-over-a-users-file", "bpgan", ["evaluate", "{z}/good.wav", "--plot", "{z}/existing.png",
                                                      "--model", "{codec}"], "existing.png: exists; add --force"),
    Case("denoise-over-a-users-file", "sinedenoise", ["denoise", "{z}/good.wav", "-o", "{z}/existing.wav", "--model",
                                                      "{den}"], "existing.wav: exists; add --force"),
    Case("restore-over-a-users-file", "film", ["restore", "{z}/good.wav", "-o", "{z}/existing.wav", "--model",
                                               "{res}"], "existing.wav: exists; add --force"),
    Case("damage-over-a-users-file", "film", ["damage", "{z}/good.wav", "{z}/damaged_before"],
         "already holds clean.wav; give another folder, or --force to write over them"),
    Case("report-over-a-file-the-user-added", "gansig", ["report", "--results", "{z}/runs/good", "--out",
                                                         "{z}/runs/site_with_notes"],
         "holds files that no report wrote (notes.txt)"),
    Case("report-over-a-users-folder", "gansig", ["report", "--results", "{z}/runs/good", "--out", "{z}/foreign"],
         "holds files that are not a gansig report (thesis.tex)"),
    # ---- tracebacks: every count has an upper bound; names, files and fields are checked ----
    Case("encode-iterations-without-bound", "bpgan", ["encode", "{z}/good.wav", "{z}/o.bpg", "--iterations",
                                                      "99999999999", "--model", "{codec}"],
         "must be between 0 and 1,000, got 99,999,999,999"),
    Case("encode-iterations-in-hex", "bpgan", ["encode", "{z}/good.wav", "{z}/o.bpg", "--iterations", "0x10",
                                               "--model", "{codec}"], "not a decimal integer: '0x10'"),
    Case("generate-four-billion-clips", "specgan", ["generate", "-n", "4000000000", "--out", "{z}/o", "--model",
                                                    "{gs}"], "must be between 1 and 10,000,000"),
    Case("specgan-evaluate-windows-without-bound", "specgan", ["evaluate", "{z}/one_clip", "{z}/one_clip", "-n",
                                                               "99999999", "--classifier", "{cls}"],
         "must be between 1 and 16,384"),
    Case("data-build-without-bound", "data", ["build", "--max-per-source", "99999999999"],
         "must be between 1 and 100,000"),
    Case("seed-in-hex", "sinedenoise", ["reproduce", "--seed", "0x10", "--out", "{z}/o"],
         "not a decimal integer: '0x10'"),
    *[Case(f"report-index-rate-{name}", "gansig", ["report", "--results", f"{{z}}/runs/rate-{name}", "--out",
                                                   "{z}/site"], "index.json: example 0: rate=")
      for name in REPORT_RATES],
    Case("report-index-with-a-lone-surrogate", "gansig", ["report", "--results", "{z}/runs/surrogate", "--out",
                                                          "{z}/site"], "system: holds text that is not valid UTF-8"),
    Case("report-out-through-a-file", "gansig", ["report", "--results", "{z}/runs/good", "--out",
                                                 "{z}/notes.txt/site"], "notes.txt is not a writable folder"),
    Case("report-out-name-too-long", "gansig", ["report", "--results", "{z}/runs/good", "--out", "{z}/" + LONG],
         "a name of 300 bytes; this file system takes at most 255"),
    Case("reproduce-out-name-too-long", "sinedenoise", ["reproduce", "--profile", "smoke", "--out", "{z}/" + LONG],
         "a name of 300 bytes; this file system takes at most 255"),
    Case("encode-out-name-too-long", "bpgan", ["encode", "{z}/good.wav", "{z}/" + LONG + ".bpg", "--model",
                                               "{codec}"], "a name of 304 bytes"),
    # ---- exit 0 with a wrong result ----
    Case("report-a-truncated-table", "gansig", ["report", "--results", "{z}/runs/truncated", "--out", "{z}/site"],
         "or add --keep-going to list it as broken (nothing was written)"),
    Case("damage-one-sample", "film", ["damage", "{z}/one_sample.wav", "{z}/new_damaged"],
         "one_sample.wav: too short to make the damaged set of"),
    Case("bpgan-train-on-a-folder-with-an-unreadable-file", "bpgan", ["train", "--audio", "{z}/junk_class", "--out",
                                                                      "{z}/o", "--profile", "smoke"],
         "bark.wav: not a readable audio file"),
    Case("decode-a-file-whose-every-frame-is-damaged", "bpgan", ["decode", "{z}/corrupted_payload.bpg", "{z}/o.wav",
                                                                 "--model", "{codec}"],
         "every frame is damaged"),
    # ---- confusing ----
    Case("set-a-field-this-paper-names-otherwise", "sinedenoise", ["reproduce", "--set", "epochs=3", "--out",
                                                                   "{z}/o"],
         "unknown config field 'epochs' for this paper; did you mean max_epochs or warmup_epochs?"),
    Case("set-a-number-in-hex", "sinedenoise", ["reproduce", "--set", "max_epochs=0x10", "--out", "{z}/o"],
         "write numbers in decimal"),
    Case("set-a-count-without-bound", "sinedenoise", ["reproduce", "--set", "batch_size=99999999999", "--out",
                                                      "{z}/o"],
         "batch_size=99999999999: must be between 1 and 1,000,000"),
    Case("set-a-field-twice", "sinedenoise", ["reproduce", "--set", "max_epochs=5", "--set", "max_epochs=6",
                                              "--out", "{z}/o"], "--set max_epochs is given twice"),
    Case("specgan-evaluate-names-the-folder-before-the-classifier", "specgan",
         ["evaluate", "{z}/missing", "{z}/emptydir", "--classifier", "{z}/missing.keras"], "missing: no such folder"),
    Case("a-keras-file-that-is-not-one", "specgan", ["evaluate", "{z}/one_clip", "{z}/one_clip", "--classifier",
                                                     "{z}/junk.keras"], "junk.keras: not a Keras model file"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile_input_is_refused_by_name_and_changes_nothing(case, zoo, capsys, monkeypatch):
    monkeypatch.chdir(zoo)
    before = snapshot(zoo)
    status = call(case, zoo)
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("usage:") and "%|" not in line]
    assert status == case.status, err
    assert "Traceback" not in err
    assert lines and case.message in lines[-1], err
    assert snapshot(zoo) == before, "something was written or changed"


# ---- data loss: --force is the one way to write over a file ----


def test_force_writes_over_an_existing_output(zoo, tmp_path, capsys):
    (tmp_path / "mine.bpg").write_bytes(b"old")
    (tmp_path / "mine.wav").write_bytes(b"old")
    codec = ["--model", str(GOLDEN_CODEC)]
    assert ENTRY["bpgan"](["encode", str(zoo / "good.wav"), str(tmp_path / "mine.bpg"), "--encoder-only", "--force",
                           *codec]) == 0
    assert (tmp_path / "mine.bpg").read_bytes()[:4] != b"old"
    assert ENTRY["bpgan"](["decode", str(tmp_path / "mine.bpg"), str(tmp_path / "mine.wav"), "-f", *codec]) == 0
    assert sf.info(tmp_path / "mine.wav").frames == sf.info(zoo / "good.wav").frames
    capsys.readouterr()


# ---- exit 0 with a wrong result: decoding keeps the decoded signal's own level ----


def test_decode_to_a_file_and_to_a_pipe_carry_the_same_audio_and_clip_nothing(zoo, tmp_path, capsys, monkeypatch):
    from gansig.papers.bpgan.codec import Codec

    codec = Codec.load(GOLDEN_CODEC)
    loud, rate = sf.read(zoo / "loud_within_full_scale.wav", dtype="float32")
    (tmp_path / "x.bpg").write_bytes(codec.encode(loud, rate, search=False))
    decoded, _ = codec.decode((tmp_path / "x.bpg").read_bytes())
    assert np.abs(decoded).max() > 1.0  # the smoke codec overshoots a signal near full scale: the case at hand
    models = ["--model", str(GOLDEN_CODEC)]
    assert ENTRY["bpgan"](["decode", str(tmp_path / "x.bpg"), str(tmp_path / "x.wav"), *models]) == 0
    as_file, _ = sf.read(tmp_path / "x.wav", dtype="float32")
    assert sf.info(tmp_path / "x.wav").subtype == "FLOAT"  # above full scale: float, nothing clipped
    out = _fake_stdio(monkeypatch, b"")
    assert ENTRY["bpgan"](["decode", str(tmp_path / "x.bpg"), "-", *models]) == 0
    as_pipe, _ = sf.read(io.BytesIO(out.getvalue()), dtype="float32")
    np.testing.assert_allclose(as_file, decoded, atol=1e-6)
    np.testing.assert_allclose(as_pipe, as_file, atol=1e-6)
    assert ENTRY["bpgan"](["decode", str(tmp_path / "x.bpg"), str(tmp_path / "x.flac"), *models]) == 0
    err = capsys.readouterr().err
    assert "x.flac: the audio peaks at +" in err and "scaled down by" in err and "not clipped" in err
    as_flac, _ = sf.read(tmp_path / "x.flac", dtype="float32")
    peak = np.abs(decoded).max()
    np.testing.assert_allclose(as_flac, decoded / peak, atol=2 / 32768)  # scaled, the shape kept


def test_a_damaged_frame_is_said_alike_by_info_and_decode(zoo, tmp_path, capsys):
    from gansig.papers.bpgan import bitstream
    from gansig.papers.bpgan.codec import Codec

    codec = Codec.load(GOLDEN_CODEC)
    data = bytearray(codec.encode(speech_like(12.0, 16000, seed=8), 16000, search=False))
    _, frames = bitstream.read_stream(io.BytesIO(bytes(data)))
    first = next(frames)
    data[first.position + 40] ^= 0xFF  # inside the first of two frames' payload
    (tmp_path / "damaged.bpg").write_bytes(bytes(data))
    models = ["--model", str(GOLDEN_CODEC)]
    assert ENTRY["bpgan"](["info", str(tmp_path / "damaged.bpg"), *models]) == 0
    said = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert said.endswith("yes, around the damage listed above (1 of 2 frame(s) as silence)"), said
    assert ENTRY["bpgan"](["decode", str(tmp_path / "damaged.bpg"), str(tmp_path / "d.wav"), *models]) == 0
    assert "warning:" in capsys.readouterr().err
    assert ENTRY["bpgan"](["info", str(zoo / "corrupted_payload.bpg"), *models]) == 0
    assert capsys.readouterr().out.rstrip().endswith("no (every frame is damaged)")


# ---- pipes: nothing on standard output before the input is known to be good ----


def _fake_stdio(monkeypatch, stdin: bytes) -> io.BytesIO:
    """Standard input holding ``stdin`` and a standard output whose bytes are returned."""
    out = io.BytesIO()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, write_through=True))
    return out


def _wav_header(code: int, channels: int, bits: int, rate: int = 16000) -> bytes:
    align = channels * bits // 8  # a 16-bit field: a hostile header's wraps
    fmt = struct.pack("<HHIIHH", code, channels, rate, rate * align & 0xFFFFFFFF, align & 0xFFFF, bits)
    return b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + \
        struct.pack("<I", 0xFFFFFFFF)


PIPES = {
    "header-only-wav": (["encode", "-", "-"], _wav_header(1, 1, 16), "cannot encode an empty, silent"),
    "65535-channel-wav": (["encode", "-", "-"], _wav_header(1, 65535, 16) + bytes(65535 * 2 * 3),
                          "cannot encode an empty, silent"),
    "nan-float-wav": (["encode", "-", "-"], _wav_header(3, 1, 32) + np.full(20000, np.nan, "<f4").tobytes(),
                      "contains NaN or infinite samples"),
    "truncated-bpg": (["decode", "-", "-"], None, "holds no whole frame"),
}


@pytest.mark.parametrize("name", PIPES)
def test_a_refused_pipe_writes_nothing_to_standard_output(name, zoo, capsys, monkeypatch):
    argv, stdin, message = PIPES[name]
    if stdin is None:
        stdin = (zoo / "good.bpg").read_bytes()[:100]
    out = _fake_stdio(monkeypatch, stdin)
    assert ENTRY["bpgan"]([*argv, "--model", str(GOLDEN_CODEC)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err, err
    assert out.getvalue() == b""


def test_a_wav_stream_says_its_length_is_unknown_as_sox_does(zoo, monkeypatch, capsys):
    from gansig.data.io import STREAM_DATA_SIZE

    out = _fake_stdio(monkeypatch, b"")
    assert ENTRY["bpgan"](["decode", str(zoo / "good.bpg"), "-", "--model", str(GOLDEN_CODEC)]) == 0
    data = out.getvalue()
    riff, size = struct.unpack("<I", data[4:8])[0], struct.unpack("<I", data[data.index(b"data") + 4:][:4])[0]
    assert size == STREAM_DATA_SIZE == 0x7FFFF000 and riff == size + data.index(b"data") and data[:4] == b"RIFF"
    assert (len(data) - data.index(b"data") - 8) // 4 == sf.info(zoo / "good.wav").frames
    if shutil.which("sox"):
        import subprocess

        done = subprocess.run(["sox", "-t", "wav", "-", "-n", "stat"], input=data, capture_output=True, timeout=60)
        assert b"Samples read:" in done.stderr and str(sf.info(zoo / "good.wav").frames).encode() in done.stderr


# ---- the report: broken runs, odd names, links out of a run ----


def test_keep_going_lists_a_broken_run_as_broken(zoo, tmp_path, capsys):
    results = tmp_path / "results"
    shutil.copytree(zoo / "runs" / "good", results)
    shutil.copytree(zoo / "runs" / "truncated" / "mimo5g" / "quick", results / "mimo5g" / "broken")
    assert ENTRY["gansig"](["report", "--results", str(results), "--out", str(tmp_path / "site")]) == 2
    assert not (tmp_path / "site").exists()
    assert ENTRY["gansig"](["report", "--results", str(results), "--out", str(tmp_path / "site"), "--keep-going"]) == 0
    err = capsys.readouterr().err
    assert "broken/table.json" in err and "listed as broken" in err
    index = (tmp_path / "site" / "index.html").read_text()
    assert "table.json" in index and 'href="mimo5g/quick.html"' in index  # the good run still has its page


def test_odd_figure_names_and_links_out_of_a_run(zoo, tmp_path, capsys):
    results = tmp_path / "results"
    shutil.copytree(zoo / "runs" / "good", results)
    figures = results / "mimo5g" / "quick" / "figures"
    figures.mkdir()
    shutil.copy(zoo / "existing.png", os.fsdecode(bytes(figures) + b"/caf\xe9.png"))  # a Latin-1 name
    (figures / "hostname.png").symlink_to("/etc/hostname")
    assert ENTRY["gansig"](["report", "--results", str(results), "--out", str(tmp_path / "site")]) == 0
    err = capsys.readouterr().err
    assert "hostname.png: not a regular file inside the run; left out" in err
    published = sorted(p.name for p in (tmp_path / "site" / "mimo5g" / "quick" / "figures").iterdir())
    assert published == ["caf\ufffd.png"]
    assert "caf\ufffd.png" in (tmp_path / "site" / "mimo5g" / "quick.html").read_text(encoding="utf-8")


# ---- exit 0 with a wrong result: a kept network is reused only for the data it was trained on ----


def test_a_changed_training_file_trains_the_network_again(tmp_path, capsys):
    audio = tmp_path / "speech"
    audio.mkdir()
    for k in range(2):
        sf.write(audio / f"{k}.wav", speech_like(20.0, 16000, seed=k), 16000)
    argv = ["train", "--audio", str(audio), "--out", str(tmp_path / "codec"), "--profile", "smoke", "--quiet"]
    assert ENTRY["bpgan"](argv) == 0
    assert "training on" in capsys.readouterr().err
    assert ENTRY["bpgan"](argv) == 0
    assert "using the codec this config, seed and code trained on this audio earlier" in capsys.readouterr().err
    sf.write(audio / "1.wav", speech_like(20.0, 16000, seed=9), 16000)  # one file changed, same size
    assert ENTRY["bpgan"](argv) == 0
    assert "training on" in capsys.readouterr().err


def test_every_count_option_says_its_bound_in_its_help(capsys):
    for entry, verb, option in (("bpgan", "encode", "0-1000"), ("specgan", "generate", "1-10,000,000"),
                                ("specgan", "evaluate", "1-16,384")):
        with pytest.raises(SystemExit):
            ENTRY[entry]([verb, "--help"])
        assert option in " ".join(capsys.readouterr().out.split())


def test_a_run_file_is_checked_field_by_field(tmp_path):
    from gansig.results import ResultsTable

    table = ResultsTable("mimo5g", "quick", "hand-made", 0, False)
    table.add("T", "r", "m", float("nan"))  # a value that is not finite is kept as not measured
    assert table.rows[0].measured is None and "not finite" in table.rows[0].note
    table.write(tmp_path)
    data = json.loads((tmp_path / "table.json").read_text())
    for field, value, message in (("seed", "0", "seed='0': must be an integer"), ("notes", [1], "notes=[1]: must be"),
                                  ("rows", [{"table": "T"}], "row 0: lacks the field(s) row, metric, measured")):
        (tmp_path / "table.json").write_text(json.dumps({**data, field: value}))
        with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
            ResultsTable.from_json(tmp_path / "table.json")
