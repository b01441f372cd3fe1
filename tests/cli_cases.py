"""What the command-line tests share (tests/test_bad_input.py, tests/test_hostile_inputs.py):
the entry points, a folder of hostile inputs made once a session (the ``zoo`` fixture in
conftest.py), the table's row type, and the check that nothing else changed."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import stat
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import numpy as np
import soundfile as sf
from helpers import speech_like

from gansig.cli import run
from gansig.papers.bpgan import bitstream

GOLDEN_CODEC = Path(__file__).parent / "golden" / "bpgan_smoke_codec"


def _gansig(argv):
    from gansig.__main__ import main

    return run(main, argv)


def _data(argv):
    from gansig.data.__main__ import main

    return run(main, argv)


def _paper(name):
    def call(argv):
        import importlib

        return importlib.import_module(f"gansig.papers.{name}.__main__").CLI.main(argv)
    return call


ENTRY = {"gansig": _gansig, "data": _data, **{n: _paper(n) for n in ("mimo5g", "sinedenoise", "bpgan", "film",
                                                                             "specgan")}}


def make_zoo(root: Path) -> Path:
    """A folder of hostile inputs (and a few good ones) in ``root``."""
    good = speech_like(2.0, 16000, seed=3)
    sf.write(root / "good.wav", good, 16000)
    shutil.copy(root / "good.wav", root / "-x.wav")
    shutil.copy(root / "good.wav", root / "audio.bpg")  # audio under a .bpg name
    sf.write(root / "stereo_cancel.wav", np.stack([good, -good], axis=1), 16000, subtype="FLOAT")
    sf.write(root / "silent.wav", np.zeros(32000, np.float32), 16000)
    sf.write(root / "subnormal.wav", np.float32(1e-40) * np.sign(good), 16000, subtype="FLOAT")
    sf.write(root / "nan.wav", np.where(np.arange(len(good)) == 5, np.nan, good).astype(np.float32), 16000,
             subtype="FLOAT")
    sf.write(root / "loud.wav", 4.0 * good / np.abs(good).max(), 16000, subtype="FLOAT")
    sf.write(root / "tiny.wav", good[:160], 16000)
    (root / "empty.wav").write_bytes(b"")
    (root / "junk.wav").write_bytes(np.random.default_rng(0).bytes(5000))
    data = (root / "good.wav").read_bytes()
    (root / "truncated.wav").write_bytes(data[: len(data) // 2])
    (root / "folder.wav").mkdir()
    (root / "emptydir").mkdir()
    os.mkfifo(root / "fifo.wav")
    (root / "link.wav").symlink_to(root / "good.wav")
    (root / "existing.wav").write_bytes(b"precious")
    os.chmod(root / "existing.wav", 0o644)
    (root / "existing.bpg").write_bytes(b"precious too")
    (root / "notes.txt").write_text("a user's notes")
    (root / "foreign").mkdir()
    (root / "foreign" / "thesis.tex").write_text("a user's own work")
    sf.write(root / "one_sample.wav", good[:1], 16000)
    (root / "short_clips").mkdir()
    sf.write(root / "short_clips" / "tiny.wav", good[:160], 16000)
    (root / "one_clip").mkdir()
    sf.write(root / "one_clip" / "clip.wav", speech_like(3.0, 16000, seed=4), 16000)
    for name, clips in {"one_class": {"siren": 20.0}, "thin_class": {"siren": 20.0, "dog": 1.0},
                        "junk_class": {"siren": 20.0, "dog": None}}.items():
        for cls, seconds in clips.items():
            (root / name / cls).mkdir(parents=True)
            if seconds is None:
                (root / name / cls / "bark.wav").write_bytes(b"RIFF junk")
            else:
                sf.write(root / name / cls / "a.wav", speech_like(seconds, 16000, seed=5), 16000)
    (root / "damaged_before").mkdir()
    sf.write(root / "damaged_before" / "clean.wav", good[:1600], 16000)  # the user's own clean.wav
    import json

    (root / "userproj" / "data").mkdir(parents=True)
    (root / "userproj" / "table.json").write_text("{}")
    (root / "userproj" / "thesis.tex").write_text("a user's own work")
    (root / "userproj" / "data" / "recording.wav").write_bytes(b"RIFF precious")
    for paper in ("film", "specgan", "mimo5g"):
        run = root / f"{paper}_results"
        (run / "figures").mkdir(parents=True)
        (run / "figures" / "a.png").write_bytes(b"a figure")
        (run / "table.json").write_text(json.dumps({"paper": paper}))
        (run / "run.json").write_text(json.dumps({"paper": paper, "files": ["figures/a.png", "table.json",
                                                                             "run.json"]}))
    (root / "sine_results").mkdir()
    (root / "sine_results" / "run.json").write_text(json.dumps({"paper": "sinedenoise", "files": ["run.json",
                                                                                                  "table.json"]}))
    (root / "sine_results" / "table.json").write_text("")
    (root / "sine_results" / "NOTES.txt").write_text("the user's notes")

    from gansig.papers.bpgan.codec import Codec

    codec = Codec.load(GOLDEN_CODEC)
    bpg = codec.encode(good, 16000, search=False)
    (root / "good.bpg").write_bytes(bpg)
    (root / "loud.bpg").write_bytes(codec.encode(4.0 * good / np.abs(good).max(), 16000, search=False))
    (root / "truncated.bpg").write_bytes(bpg[:-10])
    (root / "corrupted.bpg").write_bytes(bpg[:30] + bytes([bpg[30] ^ 0xFF]) + bpg[31:])
    header, frames = bitstream.read_stream(BytesIO(bpg))
    frame = next(frames)
    (root / "rate.bpg").write_bytes(bitstream.pack(dataclasses.replace(header, sample_rate=0xFFFFFFFF), [frame]))
    forged = {"gain.bpg": dict(gain=float("nan")), "offset.bpg": dict(offset=float("inf")),
              "length.bpg": dict(n_samples=header.frame_samples + 1), "tiny_gain.bpg": dict(gain=1e-30),
              "big_offset.bpg": dict(offset=1e6), "short_payload.bpg": dict(payload=frame.payload[:4])}
    for name, change in forged.items():
        (root / name).write_bytes(bitstream.pack(header, [dataclasses.replace(frame, **change)]))

    from gansig.papers.sinedenoise import models, tool
    from gansig.papers.sinedenoise.config import PAPER

    tool.save_denoiser(models.generator(), root / "models" / "denoiser", PAPER, input_rms=0.3)

    from gansig.papers.film import restorer_net
    from gansig.papers.film.config import PROFILES as FILM
    from gansig.papers.film.restore import Restorer

    Restorer("gansig", FILM["smoke"], restorer_net.generator(FILM["smoke"])).save(root / "models" / "restorer")


    from gansig.fileio import save_model
    from gansig.papers.specgan import models as specgan_models
    from gansig.papers.specgan.config import PROFILES as SPECGAN
    from gansig.papers.specgan.generate import SpecGenerator
    from gansig.papers.specgan.train import networks

    canonical = dataclasses.replace(SPECGAN["smoke"], model="specgan")
    from gansig.data.inverse import Standardiser

    moments = Standardiser(np.full(128, -4.0, np.float32), np.ones(128, np.float32))
    SpecGenerator(canonical, networks(canonical)[0], moments).save(root / "models" / "specgan")
    gansig = dataclasses.replace(SPECGAN["smoke"], model="gansig", conditional=True)
    SpecGenerator(gansig, networks(gansig)[0]).save(root / "models" / "gansig")
    save_model(specgan_models.classifier(canonical, (129, 32, 1), 10), root / "models" / "classifier.keras")
    (root / "existing.png").write_bytes(b"a user's plot")
    (root / "junk.keras").write_bytes(b"not a zip archive")
    sf.write(root / "loud_within_full_scale.wav", 0.99 * good / np.abs(good).max(), 16000)
    (root / "corrupted_payload.bpg").write_bytes(_damaged_payload(bpg))
    make_report_runs(root / "runs")
    return root


def _damaged_payload(bpg: bytes) -> bytes:
    """A .bpg whose only frame's payload fails its checksum (decoded as silence, with a warning)."""
    header, frames = bitstream.read_stream(BytesIO(bpg))
    frame = next(frames)
    data = bytearray(bitstream.pack(header, [frame]))
    data[-3] ^= 0xFF  # a byte of the last frame's payload
    return bytes(data)


REPORT_RATES = {"abc": '"abc"', "zero": "0", "null": "null", "negative": "-8000", "huge": "1e12",
                "string-number": '"16000"'}


def make_report_runs(root: Path) -> Path:
    """Results folders for the report: ``good`` (one sound run), one for each bad sample rate
    in its ``audio/index.json`` (:data:`REPORT_RATES`), one whose index holds a lone
    surrogate, one with a truncated ``table.json``, and ``site_with_notes``: a report of
    ``good`` into which a user put a file."""
    import json

    from gansig.listening import Examples
    from gansig.report import build
    from gansig.results import ResultsTable

    good = root / "good" / "mimo5g" / "quick"
    table = ResultsTable("mimo5g", "quick", "hand-made", 0, False)
    table.add("Table II", "50 / GAN", "RMSE", 0.2, n_eval=50)
    table.finish().write(good)
    examples = Examples(good / "audio")
    examples.segment("a tone", {"clean": 0.5 * np.sin(np.arange(8000) / 5)}, 8000)
    examples.write()
    index = (good / "audio" / "index.json").read_text()
    for name, rate in REPORT_RATES.items():
        shutil.copytree(good, root / f"rate-{name}" / "mimo5g" / "quick")
        (root / f"rate-{name}" / "mimo5g" / "quick" / "audio" / "index.json").write_text(
            index.replace('"rate": 8000', f'"rate": {rate}'))
    shutil.copytree(good, root / "surrogate" / "mimo5g" / "quick")
    entries = json.loads(index)
    entries["examples"][0]["system"] = "clean \ud800"
    (root / "surrogate" / "mimo5g" / "quick" / "audio" / "index.json").write_text(json.dumps(entries))
    shutil.copytree(good, root / "truncated" / "mimo5g" / "quick")
    table_json = root / "truncated" / "mimo5g" / "quick" / "table.json"
    table_json.write_text(table_json.read_text()[:200])
    build(root / "good", root / "site_with_notes")
    (root / "site_with_notes" / "notes.txt").write_text("the user's own notes")
    return root


@dataclass
class Case:
    """One row: a command (entry point and arguments, ``{z}`` the zoo and the model names of
    :func:`call`), the exit status and the fragment its last stderr line must hold."""

    id: str
    entry: str
    argv: list[str]
    message: str
    status: int = 2
    env: dict[str, str] = field(default_factory=dict)


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root``: a file's digest and mode, anything else's type."""
    out = {}
    for p in sorted(root.rglob("*")):
        st = p.lstat()
        if stat.S_ISREG(st.st_mode):
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            out[str(p.relative_to(root))] = ("file", digest, stat.S_IMODE(st.st_mode))
        else:
            out[str(p.relative_to(root))] = (stat.S_IFMT(st.st_mode),)
    return out


def call(case: Case, zoo: Path) -> int:
    """Run a case's command in-process; its exit status."""
    models = zoo / "models"
    argv = [a.format(z=zoo, codec=GOLDEN_CODEC, den=models / "denoiser", res=models / "restorer",
                     sg=models / "specgan", gs=models / "gansig", cls=models / "classifier.keras")
            for a in case.argv]
    try:
        return ENTRY[case.entry](argv)
    except SystemExit as exc:  # argparse's errors
        return int(exc.code)


