import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from gansig.errors import AudioError, ModelError
from gansig.papers.sinedenoise import data, evaluate, models, reference, tool
from gansig.papers.sinedenoise.config import PAPER, PROFILES


def test_parameter_counts_match_the_public_code():
    sizes = reference.REFERENCE["Model size"]
    assert models.trainable_parameters(models.generator()) == sizes["generator"]["trainable parameters"] == 282_177
    assert models.trainable_parameters(models.discriminator()) == sizes["discriminator"]["trainable parameters"] \
        == 10_577


def test_generator_and_discriminator_shapes():
    g, d = models.generator(), models.discriminator()
    assert g.output_shape == (None, 256, 1)
    assert d.output_shape == (None, 1)
    assert [g.get_layer(f"enc{i}").conv.kernel_size for i in (1, 4)] == [(64,), (64,)]
    assert d.get_layer("conv2").output.shape[1] == 64


def test_data_recipe():
    train, val = data.make_splits(PAPER, seed=1)
    assert train.clean.shape == (1600, 256) and val.clean.shape == (200, 256)
    assert np.all((train.frequencies >= 10) & (train.frequencies <= 64))
    # -2 dB: project out the (scaled) clean part; what is left is the noise.
    a = np.sum(train.noisy * train.clean, axis=1) / np.sum(train.clean**2, axis=1)
    noise = train.noisy - a[:, None] * train.clean
    snr = 10 * np.log10(np.sum((a[:, None] * train.clean) ** 2, axis=1) / np.sum(noise**2, axis=1))
    assert np.median(snr) == pytest.approx(-2.0, abs=0.3)
    again, _ = data.make_splits(PAPER, seed=1)
    np.testing.assert_array_equal(again.noisy, train.noisy)


def test_lowpass_wins_out_of_band_but_not_in_band():
    _, val = data.make_splits(PAPER, seed=2)
    filtered = evaluate.lowpass(PAPER, val.noisy)
    noisy_scores = evaluate.scores(PAPER, val.clean, val.noisy, val.noisy)
    lp_scores = evaluate.scores(PAPER, val.clean, val.noisy, filtered)
    inside, outside = "Residual noise 10-64 Hz (dB re signal)", "Residual noise 64-128 Hz (dB re signal)"
    assert lp_scores[outside] < noisy_scores[outside] - 10
    assert lp_scores[inside] == pytest.approx(noisy_scores[inside], abs=0.5)
    assert noisy_scores["SNR improvement (dB)"] == pytest.approx(0.0, abs=1e-9)
    assert lp_scores["SNR improvement (dB)"] > 1.0


def test_band_residual_by_hand():
    t = np.arange(256) / 256
    clean = np.sin(2 * np.pi * 20 * t)[None]
    estimate = clean + 0.1 * np.sin(2 * np.pi * 100 * t)[None]
    assert evaluate.band_residual_db(clean, estimate, 256, (64, 128)) == pytest.approx(-20.0, abs=1e-6)
    assert evaluate.band_residual_db(clean, estimate, 256, (10, 64)) < -200


def test_denoise_signal_is_exact_for_an_identity_model():
    import keras

    identity = keras.Sequential([keras.Input((256, 1)), keras.layers.Identity()])
    x = np.random.default_rng(0).normal(size=1000).astype(np.float32)
    network = lambda frames: identity.predict(frames, verbose=0)  # noqa: E731
    np.testing.assert_allclose(tool.denoise_signal(network, x, input_rms=0.4), x, atol=1e-5)
    assert tool.denoise_signal(network, np.zeros(10, np.float32), 0.4).tolist() == [0.0] * 10


@pytest.fixture(scope="module")
def trained(smoke):
    return smoke("sinedenoise")


@pytest.mark.slow
def test_smoke_reproduction_end_to_end(trained):
    out, table = trained
    for method in ("Noisy input", "Low-pass filter", "Denoiser (GAN generator)"):
        for metric in ("MSE", "SNR improvement (dB)", "Distortion (dB)"):
            row = table.get("Validation set: noisy input vs low-pass filter vs denoiser", method, metric)
            assert np.isfinite(row.measured) and row.n_eval == PROFILES["smoke"].n_val
    assert table.get("Model size", "generator", "trainable parameters").measured == 282_177
    assert table.get("Validation set: noisy input vs low-pass filter vs denoiser", "Denoiser (GAN generator)",
                     "MSE").reference == 0.0304
    assert any("In band" in note for note in table.notes)
    for name in ("table.md", "figures/validation_examples.png", "figures/training.png", "models/generator.keras",
                 "models/generator.json"):
        assert (out / name).is_file(), name


@pytest.mark.slow
def test_denoise_cli_round_trips_any_length_and_rate(trained, tmp_path):
    out, _ = trained
    model = out / "models" / "generator.keras"
    rate = 1000
    t = np.arange(int(2.3 * rate)) / rate
    x = 0.3 * np.sin(2 * np.pi * 30 * t) + 0.1 * np.random.default_rng(0).normal(size=t.size)
    sf.write(tmp_path / "in.wav", x, rate)
    cmd = [sys.executable, "-m", "gansig.papers.sinedenoise", "denoise", str(tmp_path / "in.wav"), "-o",
           str(tmp_path / "out.wav"), "--model", str(model)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "resampled" in done.stderr
    y, y_rate = sf.read(tmp_path / "out.wav")
    assert y_rate == rate and len(y) == len(x) and np.all(np.isfinite(y))


@pytest.mark.slow
def test_denoise_errors_are_clean(trained, tmp_path):
    out, _ = trained
    model = out / "models" / "generator.keras"
    sf.write(tmp_path / "low.wav", np.ones(100) * 0.1, 100)
    with pytest.raises(AudioError, match="cannot hold"):
        tool.denoise_file(tmp_path / "low.wav", tmp_path / "o.wav", model)
    with pytest.raises(ModelError, match="no trained denoiser"):
        tool.denoise_file(tmp_path / "low.wav", tmp_path / "o.wav", tmp_path / "none.keras")
    done = subprocess.run([sys.executable, "-m", "gansig.papers.sinedenoise", "denoise", str(tmp_path / "nope.wav"),
                           "-o", str(tmp_path / "o.wav"), "--model", str(model)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2 and "nope.wav: no such file" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "o.wav").exists()
