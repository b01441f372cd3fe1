"""`python -m gansig.papers.bpgan train --audio DIR`: a codec of the user's own audio, and
its errors (clear message, exit status 2, nothing written)."""

import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf
from helpers import speech_like

from gansig.cli import run
from gansig.papers.bpgan.__main__ import main
from gansig.papers.bpgan.codec import Codec, decode_file, encode_file

CLI = [sys.executable, "-m", "gansig.papers.bpgan", "train", "--profile", "smoke", "--quiet"]


def train(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_train_on_a_folder_of_any_audio_then_code_with_it(tmp_path):
    audio = tmp_path / "speech"
    (audio / "nested").mkdir(parents=True)
    sf.write(audio / "a.wav", speech_like(4.0, 16000, seed=1), 16000)
    sf.write(audio / "nested" / "b.flac", speech_like(4.0, 22050, seed=2), 22050)
    sf.write(audio / "c.wav", np.stack([speech_like(4.0, 44100, seed=3)] * 2, axis=1), 44100)  # stereo
    (audio / "notes.txt").write_text("not audio, skipped")
    out = tmp_path / "mine"
    done = train("--audio", str(audio), "--out", str(out))
    assert done.returncode == 0, done.stderr
    model = out / "models" / "codec"
    assert f"codec written to {model}" in done.stdout and f"--model {model}" in done.stdout
    codec = Codec.load(model)
    sf.write(tmp_path / "in.wav", speech_like(1.5, 8000, seed=4), 8000)
    decoded = decode_file(codec, encode_file(codec, tmp_path / "in.wav", tmp_path / "x.bpg"), tmp_path / "out.wav")
    assert (sf.info(decoded).samplerate, sf.info(decoded).frames) == (8000, 12000)


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
        status = run(main, ["train", "--profile", "smoke", "--quiet", "--audio", str(folder), "--out", str(out)])
        stderr = capsys.readouterr().err
        assert status == 2 and message in stderr, (folder, stderr)
        assert not (out / "models").exists(), folder
    with pytest.raises(SystemExit) as refused:
        main(["train", "--audio", str(small)])
    assert refused.value.code == 2 and "--audio needs --out" in capsys.readouterr().err
