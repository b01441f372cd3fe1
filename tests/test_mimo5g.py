import json

import numpy as np
import pytest

from gansig.listening import read_index
from gansig.papers.mimo5g import data, evaluate, models, reference
from gansig.papers.mimo5g.config import PAPER, PROFILES
from gansig.papers.mimo5g.reproduce import ABLATION


def conv(k, c_in, c_out):
    return k * k * c_in * c_out + c_out


def test_generator_layers_match_section_iii():
    g = models.generator(PAPER)
    assert g.output_shape == (None, 64, 64, 1)
    trainable = (conv(3, 1, 128) + 2 * 128 + conv(3, 128, 64) + 2 * 64   # two conv blocks with BN
                 + conv(3, 64, 64) + conv(3, 64, 32) + conv(3, 32, 1))   # three transposed convs
    assert sum(int(np.prod(w.shape)) for w in g.trainable_weights) == trainable
    strides = [layer.strides for layer in (g.get_layer("down1").conv, g.get_layer("down2").conv)]
    assert strides == [(2, 2), (2, 2)]
    assert g.get_layer("out").activation.__name__ == "tanh"


def test_generator_output_is_on_the_unit_scale():
    out = models.generator(PAPER).predict(np.random.rand(2, 64, 64, 1).astype(np.float32), verbose=0)
    assert out.min() >= 0.0 and out.max() <= 1.0
    raw = models.generator(PROFILES["smoke"].__class__(output_mapping="none"))
    assert raw.layers[-1].name == "out"


def test_discriminator_layers_match_section_iii():
    d = models.discriminator(PAPER)
    assert d.output_shape == (None, 1)
    trainable = conv(3, 1, 64) + conv(3, 64, 128) + conv(3, 128, 256) + (8 * 8 * 256 * 128 + 128) + 129
    assert d.count_params() == trainable
    rates = [d.get_layer(f"conv{i}").dropout for i in (1, 2, 3)]
    assert rates == [0.3, 0.3, 0.4]


def test_features_are_normalised_64x64_and_seeded():
    cfg = PROFILES["smoke"]
    a = data.make_set(cfg, 4, seed=7)
    b = data.make_set(cfg, 4, seed=7)
    np.testing.assert_array_equal(a.noisy_images, b.noisy_images)
    assert a.clean_images.shape == (4, 64, 64, 1)
    for imgs in (a.clean_images, a.noisy_images):
        assert np.allclose(imgs.min(axis=(1, 2, 3)), 0.0) and np.allclose(imgs.max(axis=(1, 2, 3)), 1.0)
    # The sine's mel band is the brightest row of the clean image.
    mel_hz = data.features.mel_to_hz(np.linspace(data.features.hz_to_mel(0), data.features.hz_to_mel(
        cfg.sample_rate / 2), cfg.n_mels + 2))[1:-1]
    brightest = np.argmax(a.clean_images[0, :, 32, 0])
    assert abs(brightest - np.argmin(np.abs(mel_hz - a.frequencies[0]))) <= 2


def test_noisy_input_scores_worse_than_a_perfect_denoiser():
    s = data.make_set(PROFILES["smoke"], 8, seed=1)
    perfect = evaluate.scores(s.clean_images, s.clean_images)
    noisy = evaluate.scores(s.clean_images, s.noisy_images)
    assert perfect == {"RMSE": 0.0, "MSE": 0.0}
    assert noisy["RMSE"] > 0.1 and noisy["MSE"] == pytest.approx(noisy["RMSE"] ** 2)


def test_a_denoised_image_is_made_audible_as_a_gain_on_the_noisy_stft():
    """The clean image made audible as a gain on the clean STFT gives the clean sine back; as a
    gain on the noisy STFT, far closer to the sine than the noisy input is."""
    cfg = PROFILES["smoke"]
    s = data.make_set(cfg, 3, seed=5)
    for phases_of, floor in ((s.clean, 0.99), (s.noisy, 0.95)):
        y = evaluate.image_audio(s.clean_images, phases_of, cfg)
        assert y.shape == s.clean.shape
        for a, b in zip(y, s.clean, strict=True):
            assert np.corrcoef(a, b)[0, 1] > floor
    assert max(np.corrcoef(a, b)[0, 1] for a, b in zip(s.noisy, s.clean, strict=True)) < 0.9


@pytest.mark.slow
def test_smoke_reproduction_end_to_end(smoke):
    out, table = smoke("mimo5g")
    cfg = PROFILES["smoke"]
    methods = ["GAN", "Autoencoder", ABLATION, "Noisy input", *evaluate.BASELINES]
    for steps in cfg.test_steps:
        for method in methods:
            for metric in ("RMSE", "MSE"):
                row = table.get(reference.TABLE_II, f"{steps} / {method}", metric)
                assert np.isfinite(row.measured) and row.measured >= 0 and row.n_eval == steps
    gan_summary = table.get(reference.SUMMARY, "GAN", "RMSE")
    assert gan_summary.reference == reference.REFERENCE[reference.SUMMARY]["GAN"]["RMSE"]
    assert table.get(reference.INFERENCE, "GAN", reference.INFERENCE_MS).measured > 0
    assert not table.comparable
    for name in ("table.md", "table.csv", "table.json", "figures/fig3_4_raw.png", "figures/fig5_7_8_denoised.png",
                 "figures/fig6_training.png", "models/generator.keras", "models/autoencoder.keras",
                 "audio/example1_noisy.wav", "audio/example1_gan.wav", "audio/example1_wiener.wav"):
        assert (out / name).is_file(), name
    examples, _ = read_index(out / "audio")
    assert {e.system for e in examples} >= {"clean", "noisy", "GAN", "Autoencoder", "Wiener"}
    assert all((out / "audio" / e.file).is_file() for e in examples)
    saved = json.loads((out / "table.json").read_text())
    assert saved["profile"] == "smoke" and saved["config"]["epochs"] == cfg.epochs
