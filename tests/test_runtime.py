"""The light runtime and the shipped models: exported networks against their Keras originals,
the NumPy signal processing against TensorFlow's, the tools run with TensorFlow made
unimportable, every shipped file against its card, and the bad-input rows of models."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from cli_cases import ENTRY, GOLDEN_CODEC, snapshot
from helpers import speech_like

from gansig import models
from gansig.errors import ModelError
from gansig.runtime import dsp
from gansig.runtime.network import EXPORT, load_networks

# The largest difference from the Keras network measured on seeded inputs (untrained smoke
# networks of each paper), relative to the largest output: float32 exports 4.2e-6 (BPGAN's
# generator), float16 weights 3.2e-3 (the same); the tolerances sit just above.
FLOAT32_TOLERANCE = 1e-5
FLOAT16_TOLERANCE = 5e-3
NO_TENSORFLOW = "import sys, runpy; sys.modules['tensorflow'] = sys.modules['keras'] = None; "


def _networks():
    import keras

    from gansig.papers.bpgan import models as bpgan
    from gansig.papers.bpgan.config import PROFILES as BPGAN
    from gansig.papers.film import restorer_net
    from gansig.papers.film.config import PROFILES as FILM
    from gansig.papers.mimo5g import models as mimo5g
    from gansig.papers.mimo5g.config import PROFILES as MIMO5G
    from gansig.papers.sinedenoise import models as sine
    from gansig.papers.specgan.config import PROFILES as SPECGAN
    from gansig.papers.specgan.train import networks

    keras.utils.set_random_seed(0)
    gansig = dataclasses.replace(SPECGAN["smoke"], model="gansig", conditional=True)
    return {"film restorer": restorer_net.generator(FILM["smoke"]), "bpgan encoder": bpgan.encoder(BPGAN["smoke"]),
            "bpgan generator": bpgan.generator(BPGAN["smoke"]), "specgan gansig": networks(gansig)[0],
            "sine denoiser": sine.generator(), "mimo5g generator": mimo5g.generator(MIMO5G["smoke"]),
            "mimo5g autoencoder": mimo5g.autoencoder(MIMO5G["smoke"])}


@pytest.mark.parametrize("float16", [False, True], ids=["float32", "float16"])
def test_every_exported_network_computes_what_its_keras_network_does(tmp_path, float16):
    from gansig.models.export import export_network

    for name, network in _networks().items():
        entry = export_network(network, tmp_path / f"{name.replace(' ', '_')}.onnx", float16=float16)
        relative = entry["max_abs_diff"] / entry["max_abs_output"]
        assert relative < (FLOAT16_TOLERANCE if float16 else FLOAT32_TOLERANCE), (name, entry)
        assert entry["weights"] == ("float16" if float16 else "float32")


def test_numpy_signal_processing_is_tensorflows():
    from gansig.data import features

    x = np.random.default_rng(0).normal(size=(2, 8000)).astype(np.float32)
    for center in (True, False):
        ours, theirs = dsp.stft(x, 512, 128, center=center), features.stft(x, 512, 128, center=center).numpy()
        np.testing.assert_allclose(ours, theirs, atol=2e-5 * np.abs(theirs).max())
    np.testing.assert_allclose(dsp.inverse_stft(ours := dsp.stft(x, 512, 128), 512, 128, length=8000),
                               features.inverse_stft(ours, 512, 128, length=8000).numpy(), atol=1e-5)
    np.testing.assert_allclose(dsp.mel_spectrogram(x, 16000, 512, 128, 64),
                               features.mel_spectrogram(x, 16000, 512, 128, 64).numpy(), rtol=1e-4, atol=1e-4)


def test_every_shipped_model_matches_its_card_and_all_fit_in_40_mb():
    total = 0
    for name in models.SHIPPED:
        assert models.problems(name) == [], name
        card = models.card(name)
        for key in ("what", "trained_by", "data", "exported_by", "scores", "headline", "size_bytes", "files"):
            assert card.get(key), (name, key)
        assert card["trained_by"]["commit"] and card["trained_by"]["command"].startswith("python -m gansig reproduce")
        assert card["scores"]["rows"] and all(r["table"] and r["metric"] for r in card["scores"]["rows"])
        export = json.loads((models.folder(name) / EXPORT).read_text())
        for network, entry in export["networks"].items():
            tolerance = FLOAT16_TOLERANCE if entry["weights"] == "float16" else FLOAT32_TOLERANCE
            assert entry["max_abs_diff"] / entry["max_abs_output"] < 2 * tolerance, (name, network, entry)
        total += models.size(name)
    assert total < 40e6, total


def _tool(tmp_path: Path) -> dict[str, tuple[list[str], Path]]:
    """Each light tool's command line on a file of its own, and what it writes."""
    sf.write(tmp_path / "speech.wav", speech_like(3.0, 16000, seed=1), 16000)
    sf.write(tmp_path / "damaged.wav", speech_like(3.0, 48000, seed=2), 48000)
    sf.write(tmp_path / "sines.wav", np.sin(np.arange(1280) / 5).astype(np.float32) * 0.3, 256)
    shutil.copy(Path(__file__).parent / "golden" / "bpgan_encoder.bpg", tmp_path / "coded.bpg")
    return {"restore": (["gansig.papers.film", "restore", "damaged.wav", "-o", "restored.wav"],
                        tmp_path / "restored.wav"),
            "decode": (["gansig.papers.bpgan", "decode", "coded.bpg", "decoded.wav", "--model", str(GOLDEN_CODEC)],
                       tmp_path / "decoded.wav"),
            "encode --encoder-only": (["gansig.papers.bpgan", "encode", "speech.wav", "speech.bpg", "--encoder-only"],
                                      tmp_path / "speech.bpg"),
            "encode --iterations 0": (["gansig.papers.bpgan", "encode", "speech.wav", "warm.bpg", "--iterations", "0"],
                                      tmp_path / "warm.bpg"),  # the shipped codec's distilled encoder alone
            "generate": (["gansig.papers.specgan", "generate", "-n", "2", "--class", "siren", "--out", "gen"],
                         tmp_path / "gen" / "generated_000_siren.wav"),
            "denoise": (["gansig.papers.sinedenoise", "denoise", "sines.wav", "-o", "clean.wav"],
                        tmp_path / "clean.wav")}


@pytest.mark.parametrize("tool", ["restore", "decode", "encode --encoder-only", "encode --iterations 0", "generate",
                                  "denoise"])
def test_the_light_tools_run_with_tensorflow_unimportable(tmp_path, tool):
    (module, *argv), written = _tool(tmp_path)[tool]
    code = NO_TENSORFLOW + f"sys.argv = {[module, *argv]!r}; runpy.run_module({module!r}, run_name='__main__')"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert written.is_file() and "Traceback" not in done.stderr
    if "--model" not in argv:
        assert "model: the shipped" in done.stderr  # the default says which model and its score


# ---- bad input: models --------------------------------------------------------------------


@pytest.fixture
def exported(tmp_path, zoo):
    """A copy of the zoo's exported smoke restorer."""
    return Path(shutil.copytree(zoo / "models" / "restorer", tmp_path / "restorer"))


def _restore(model: Path, zoo: Path, capsys) -> tuple[int, str]:
    status = ENTRY["film"](["restore", str(zoo / "good.wav"), "-o", str(model.parent / "out.wav"), "--model",
                            str(model)])
    return status, capsys.readouterr().err.strip().splitlines()[-1]


def test_a_damaged_model_is_refused_by_name_and_nothing_is_written(exported, zoo, capsys):
    onnx = exported / "generator.onnx"
    data = onnx.read_bytes()
    for damage, message in ((lambda: onnx.write_bytes(data[: len(data) // 2]), "generator.onnx: altered or damaged"),
                            (lambda: onnx.write_bytes(data[:-1] + bytes([data[-1] ^ 1])), "altered or damaged"),
                            (onnx.unlink, "generator.onnx: missing (listed in export.json)")):
        onnx.write_bytes(data)
        damage()
        before = snapshot(exported.parent)
        status, line = _restore(exported, zoo, capsys)
        assert status == 2 and message in line and "Traceback" not in line, line
        assert snapshot(exported.parent) == before


def test_an_export_of_another_version_and_a_keras_only_folder_are_refused(exported, zoo, capsys):
    record = json.loads((exported / EXPORT).read_text())
    (exported / EXPORT).write_text(json.dumps({**record, "format": "gansig.export/0"}))
    status, line = _restore(exported, zoo, capsys)
    assert status == 2 and "exported by another version of gansig" in line and "models export" in line
    (exported / EXPORT).unlink()
    (exported / "generator.onnx").unlink()
    status, line = _restore(exported, zoo, capsys)
    assert status == 2 and "holds the Keras network(s) generator.keras but no export" in line
    assert f"python -m gansig models export {exported}" in line


def test_verify_names_an_altered_shipped_file_and_fails(tmp_path, monkeypatch, capsys):
    root = tmp_path / "models"
    shutil.copytree(models.ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(models, "ROOT", root)
    assert ENTRY["gansig"](["models", "verify"]) == 0
    onnx = root / "sine-denoiser" / "generator.onnx"
    onnx.write_bytes(onnx.read_bytes()[:-8])
    (root / "mimo5g-gan" / "stray.txt").write_text("x")
    assert ENTRY["gansig"](["models", "verify"]) == 2
    err = capsys.readouterr().err
    assert "sine-denoiser/generator.onnx: altered or damaged" in err and "stray.txt: not listed on its card" in err
    with pytest.raises(ModelError, match="generator.onnx: altered or damaged"):
        models.default("sine-denoiser")


def test_an_exported_network_keeps_its_free_dimensions_and_names_only_its_networks(exported):
    bins = json.loads((exported / "restorer.json").read_text())["config"]["n_fft"] // 2 + 1
    generator = load_networks(exported, ["generator"])["generator"]
    assert generator.input_shapes == [(None, None, bins), (None, None, bins)]  # any batch, any length
    assert generator(np.zeros((3, 17, bins)), np.ones((3, 17, bins))).shape == (3, 17, bins)
    with pytest.raises(ModelError, match="lists no network 'discriminator'"):
        load_networks(exported, ["discriminator"])
