"""BPGAN on the user's own audio: `train --audio DIR` (a codec of one's own speech) and
`evaluate` (the codec beside the reference codecs on one's files), and their errors (a clear
message, exit status 2, nothing written)."""

import json
import shutil
import subprocess
import sys
import types

import numpy as np
import pytest
import soundfile as sf
from helpers import speech_like

from gansig.papers.bpgan.__main__ import CLI
from gansig.papers.bpgan.codec import Codec, decode_file, encode_file
from gansig.papers.bpgan.train import ORIGIN, _kept_codec

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A smoke codec trained through the CLI on a folder of mixed formats, rates and channels."""
    root = tmp_path_factory.mktemp("own")
    audio = root / "speech"
    (audio / "nested").mkdir(parents=True)
    sf.write(audio / "a.wav", speech_like(4.0, 16000, seed=1), 16000)
    sf.write(audio / "nested" / "b.flac", speech_like(4.0, 22050, seed=2), 22050)
    sf.write(audio / "c.wav", np.stack([speech_like(4.0, 44100, seed=3)] * 2, axis=1), 44100)  # stereo
    (audio / "notes.txt").write_text("not audio, skipped")
    done = subprocess.run([sys.executable, "-m", "gansig.papers.bpgan", "train", "--profile", "smoke", "--quiet",
                           "--audio", str(audio), "--out", str(root / "mine")],
                          capture_output=True, text=True, timeout=600)
    return done, root / "mine" / "models" / "codec"


def test_train_on_a_folder_of_any_audio_then_code_with_it(trained, tmp_path):
    done, model = trained
    assert done.returncode == 0, done.stderr
    assert f"codec written to {model}" in done.stdout and f"--model {model}" in done.stdout
    codec = Codec.load(model, keras=True)  # the search differentiates the Keras generator
    sf.write(tmp_path / "in.wav", speech_like(1.5, 8000, seed=4), 8000)
    decoded = decode_file(codec, encode_file(codec, tmp_path / "in.wav", tmp_path / "x.bpg"), tmp_path / "out.wav")
    assert (sf.info(decoded).samplerate, sf.info(decoded).frames) == (8000, 12000)


@pytest.mark.system_deps
def test_evaluate_scores_the_codec_beside_the_reference_codecs(trained, tmp_path, capsys):
    _, model = trained
    (tmp_path / "test" / "more").mkdir(parents=True)
    sf.write(tmp_path / "test" / "a.wav", speech_like(3.0, 16000, seed=5), 16000)
    sf.write(tmp_path / "test" / "more" / "b.wav", speech_like(3.0, 48000, seed=6), 48000)
    sf.write(tmp_path / "c.flac", speech_like(3.0, 16000, seed=7), 16000)
    plot = tmp_path / "rq.png"
    status = CLI.main(["evaluate", str(tmp_path / "test"), str(tmp_path / "c.flac"), "--model", str(model),
                        "--plot", str(plot)])
    out = capsys.readouterr().out
    assert status == 0 and plot.stat().st_size > 10_000
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ")[1:] for line in out.splitlines() if " | " in line}
    for method in ("BPGAN (warm start: distilled encoder + short search)", "Unified GAN (encoder only)", "Codec2 3200",
                   "Codec2 1200", "Opus 6k", "Opus 9k", "AMR-WB 6.60k", "CELP 8k (Speex NB)"):
        kbps, nb, wb, stoi, ovrl, sig, bak, p808, scored = (cell.strip(" |") for cell in rows[method])
        assert scored == "3" and 0.5 < float(kbps) < 12 and 1 <= float(nb) <= 4.6 and 0 < float(stoi) <= 1, method
        assert all(1 <= float(v) <= 5 for v in (ovrl, sig, bak, p808)), method
    assert float(rows["Codec2 3200"][0]) == pytest.approx(3.2, abs=0.1)


def test_train_refuses_bad_folders_without_writing(tmp_path, capsys):
    small, broken, empty = tmp_path / "small", tmp_path / "broken", tmp_path / "empty"
    for folder in (small, broken, empty):
        folder.mkdir()
    sf.write(small / "a.wav", speech_like(1.0, seed=1), 16000)
    sf.write(broken / "a.wav", speech_like(8.0, seed=1), 16000)
    (broken / "b.wav").write_bytes(b"RIFF not really")
    (empty / "notes.txt").write_text("no audio here")
    out = tmp_path / "out"
    cases = {small: "needs at least 6 (4 for validation and a batch of 2)",
             broken: f"{broken / 'b.wav'}: not a readable audio file",
             tmp_path / "absent": "no such folder",
             empty: "holds no audio files"}
    for folder, message in cases.items():
        status = CLI.main(["train", "--profile", "smoke", "--quiet", "--audio", str(folder), "--out", str(out)])
        stderr = capsys.readouterr().err
        assert status == 2 and message in stderr, (folder, stderr)
        assert not (out / "models").exists(), folder
    assert CLI.main(["train", "--audio", str(small)]) == 2
    assert "--audio needs --out" in capsys.readouterr().err


def test_evaluate_refuses_bad_input(trained, tmp_path, capsys):
    _, model = trained
    (tmp_path / "empty").mkdir()
    (tmp_path / "bad.wav").write_bytes(b"RIFF not really")
    cases = {str(tmp_path / "missing.wav"): "missing.wav: no such file",
             str(tmp_path / "bad.wav"): "bad.wav: not a readable audio file",
             str(tmp_path / "empty"): "holds no audio files"}
    for path, message in cases.items():
        status = CLI.main(["evaluate", path, "--model", str(model), "--plot", str(tmp_path / "rq.png")])
        assert status == 2 and message in capsys.readouterr().err, path
    assert not (tmp_path / "rq.png").exists()
    status = CLI.main(["evaluate", str(tmp_path / "bad.wav"), "--model", str(tmp_path / "no-codec")])
    assert status == 2 and "no-codec" in capsys.readouterr().err


def test_a_finished_codec_is_used_again_not_retrained(trained, tmp_path):
    done, model = trained
    root = model.parents[2]
    first = Codec.load(model).model_id
    again = subprocess.run([sys.executable, "-m", "gansig.papers.bpgan", "train", "--profile", "smoke", "--quiet",
                            "--audio", str(root / "speech"), "--out", str(root / "mine")],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "using the codec this config, seed and code trained" in again.stderr and "training on" not in again.stderr
    assert Codec.load(model).model_id == first
    kept = next((root / "mine" / "checkpoints").glob("*/codec"))
    origin = json.loads((kept / ORIGIN).read_text())
    assert origin["source"] == str(root / "speech") and origin["history"]["g_content"]
    messages = []
    log = types.SimpleNamespace(log=messages.append)
    shutil.copytree(kept, tmp_path / "kept")
    (tmp_path / "kept" / "generator.keras").write_bytes(b"damaged")
    assert _kept_codec(log, tmp_path / "kept") is None
    assert "cannot be used" in messages[-1] and "training again" in messages[-1]
    (tmp_path / "kept" / ORIGIN).unlink()
    assert _kept_codec(log, tmp_path / "kept") is None  # no origin: an unfinished keep
