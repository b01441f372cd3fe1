"""Paper 4 (SpecGAN street music): the report's layer tables' parameter counts, both front
ends and their inverses, the scores, the report's training tricks in the shared trainer,
and the generator and the scores as tools."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import keras
import numpy as np
import pytest
import soundfile as sf

from gansig import metrics
from gansig.errors import ConfigError
from gansig.papers.specgan import frontend, models, reference, scores, train
from gansig.papers.specgan.__main__ import CLASS_NAMES
from gansig.papers.specgan.config import PAPER, PROFILES
from gansig.profiles import derive
from gansig.training import AdversarialModel, Strategy

SMOKE = PROFILES["smoke"]


def tone(seconds, rate, hz=1000.0, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * hz * t) + 1e-3 * rng.normal(size=t.size)).astype(np.float32)


def cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """``python -m gansig.papers.specgan ARGS``, its output captured."""
    return subprocess.run([sys.executable, "-m", "gansig.papers.specgan", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_parameter_counts_are_the_report_tables_and_donahues():
    assert models.count_parameters(models.report_generator(PAPER)) == reference.PARAMETERS["report_generator"]
    assert models.count_parameters(models.report_discriminator(PAPER)) == reference.PARAMETERS["report_discriminator"]
    assert models.count_parameters(models.specgan_generator(PAPER)) == reference.PARAMETERS["specgan_generator"]
    assert models.count_parameters(models.specgan_discriminator(PAPER)) == reference.PARAMETERS[
        "specgan_discriminator"]
    assert models.report_generator(PAPER).output_shape == (None, 256, 256, 1)
    assert models.specgan_generator(PAPER).output_shape == (None, 128, 128, 1)


def test_the_conditional_model_takes_a_label_and_saves():
    config = dataclasses.replace(SMOKE, model="specgan", conditional=True)
    g, d = train.networks(config)
    z, labels = np.zeros((2, config.specgan_latent), np.float32), np.array([0, 9], np.int32)
    images = g([z, labels])
    assert images.shape == (2, 128, 128, 1) and d([images, keras.ops.convert_to_tensor(labels)]).shape == (2, 1)
    assert not np.allclose(images[0], images[1])  # the label changes the output


def test_the_gansig_model_is_a_projection_gan_with_spectral_norm_and_diff_augment():
    config = dataclasses.replace(PROFILES["quick"], model="gansig", conditional=True)
    g, d = train.networks(config)
    z = np.random.default_rng(0).normal(size=(2, config.gansig_latent)).astype(np.float32)
    images = g([np.concatenate([z, z]), np.array([0, 1, 0, 1], np.int32)])
    assert images.shape == (4, 64, 128, 1) and np.abs(images).max() <= 1
    assert not np.allclose(images[0], images[1]) and np.allclose(images[0], images[2])  # the class changes it
    kinds = {type(layer).__name__ for layer in d.layers}
    assert {"DiffAugment", "SpectralNormalization", "Embedding", "Dot"} <= kinds
    assert d([images, keras.ops.convert_to_tensor(np.array([0, 1, 0, 1], np.int32))]).shape == (4, 1)
    s = train.strategy(config)
    assert s.gan_loss == "hinge" and s.generator_average == config.gansig_average and s.critic_steps == 1


def test_gansig_images_invert_to_audio_with_the_same_log_mel():
    config = dataclasses.replace(SMOKE, model="gansig", conditional=True, gansig_mels=64,
                                 gansig_griffin_lim_iters=32)
    sweep = np.sin(2 * np.pi * np.cumsum(np.linspace(300, 3000, 16384)) / 16000).astype(np.float32)[None]
    images = frontend.gansig_images(sweep, config)
    assert images.shape == (1, 64, 128, 1) and images.max() == pytest.approx(1.0)
    again = frontend.gansig_images(frontend.gansig_audio(images, config), config)
    loud = images > 0  # within 40 dB of the maximum
    assert np.mean(np.abs(again - images)[loud]) < 0.15  # 6 dB: the mel pseudo-inverse smears a sweep a little
    assert np.mean(np.abs(again - images)[loud]) < 0.3 * np.mean(np.abs(np.roll(images, 8, axis=1) - images)[loud])


def test_report_front_end_is_64_by_173_resized_and_inverts_a_tone():
    config = dataclasses.replace(PAPER, image_size=64)
    assert config.frames == 173 and config.clip_samples == 88_376
    x = tone(4.008, config.rate)[None]
    images = frontend.report_images(x, config)
    assert images.shape == (1, 64, 64, 1) and images.min() >= -1 and images.max() <= 1
    assert images.max() == pytest.approx(1.0, abs=0.02)  # dB against the clip's maximum: the peak is 0 dB
    audio = frontend.report_audio(images, config)
    spectrum = np.abs(np.fft.rfft(audio[0]))
    peak_hz = np.argmax(spectrum) * config.rate / audio.shape[1]
    assert abs(peak_hz - 1000) < 60  # a mel band's width around 1 kHz
    window = frontend.report_windows(images, config, np.random.default_rng(0))
    assert window.shape == (1, config.specgan_samples)


def test_png_quantisation_keeps_256_levels_per_image():
    config = dataclasses.replace(SMOKE, png_quantise=True)
    images = frontend.report_images(tone(4.008, config.rate)[None] + tone(4.008, config.rate, 3000)[None], config)
    assert len(np.unique(np.round((images + 1) * 127.5))) <= 256 and images.min() == -1 and images.max() == 1


def test_canonical_front_end_round_trips_within_griffin_lim():
    config = PAPER
    rng = np.random.default_rng(0)
    t = np.arange(16_384) / 16_000
    bursts = [np.sin(2 * np.pi * hz * t) * (np.abs(t - at) < 0.15) for hz, at in ((440, 0.2), (880, 0.5),
                                                                                  (1500, 0.8), (3000, 0.4))]
    windows = (0.3 * np.stack(bursts) + 0.01 * rng.normal(size=(4, t.size))).astype(np.float32)
    moments = frontend.fit_moments(windows, config)
    images = frontend.specgan_images(windows, config, moments)
    assert images.shape == (4, 128, 128, 1) and np.abs(images).max() <= 1
    back = frontend.specgan_audio(images, config, moments)  # peak-normalised: the level moves, the shape not
    again = frontend.specgan_images(back, config, moments)
    assert np.corrcoef(again.ravel(), images.ravel())[0, 1] > 0.8  # Griffin-Lim's 16 iterations: close, not exact
    assert frontend.windows([windows[0][:1000]], 16_384, rng, 3).shape == (3, 16_384)  # a short clip is padded


def test_frechet_distance_kid_and_inception_score():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(4000, 4)), rng.normal(size=(4000, 4))
    assert metrics.frechet_distance(a, b) < 0.02
    assert metrics.frechet_distance(a, b + [3, 0, 0, 0]) == pytest.approx(9, abs=0.2)
    same = metrics.kernel_inception_distance(a, b, rng, subsets=10, subset_size=500)
    apart = metrics.kernel_inception_distance(a, b + 1, rng, subsets=10, subset_size=500)
    assert abs(same) < 0.01 < apart
    confident = np.eye(10)[np.arange(1000) % 10]
    assert metrics.inception_score(confident) == pytest.approx(10, rel=1e-3)
    assert metrics.inception_score(np.full((1000, 10), 0.1)) == pytest.approx(1.0)
    images = rng.uniform(-1, 1, size=(20, 8, 8, 1))
    assert scores.nearest_rmse(images[:5], images) == pytest.approx(0, abs=1e-6)
    assert scores.pixel_rmse(images, -images, rng) > 0.5
    assert scores.diversity_rmse(np.repeat(images[:1], 10, axis=0), rng) == 0 < scores.diversity_rmse(images, rng)


def test_inception_features_take_a_weights_file(tmp_path):
    model = keras.applications.InceptionV3(include_top=False, weights=None, pooling="avg", input_shape=(299, 299, 3))
    model.save_weights(tmp_path / "inception.weights.h5")
    images = np.random.default_rng(0).uniform(-1, 1, size=(2, 64, 64, 1)).astype(np.float32)
    assert scores.inception_features(images, tmp_path / "inception.weights.h5").shape == (2, 2048)
    with pytest.raises(ConfigError, match="no such InceptionV3 weights file"):
        scores.inception_features(images, tmp_path / "missing.h5")
    (tmp_path / "junk.h5").write_bytes(b"junk")
    with pytest.raises(ConfigError, match="cannot load as InceptionV3 weights"):
        scores.inception_features(images, tmp_path / "junk.h5")


def test_dynamic_weighting_and_clipping_are_strategy_fields():
    with pytest.raises(ValueError, match="dynamic_weighting"):
        Strategy(gan_loss="wgan", dynamic_weighting=True)
    config = dataclasses.replace(SMOKE, apply_clipping=True)
    s = train.strategy(config)
    assert s.dynamic_weighting and s.clip_value == 0.5 and s.logits and s.penalty == "one-sided"
    assert s.label_smoothing == pytest.approx(0.1) and s.generator_steps == 2 and s.instance_noise == 0.02
    g, d = train.networks(config)
    model = AdversarialModel(g, d, s)
    real, fake = [keras.ops.convert_to_tensor([[0.9], [0.7]])], [keras.ops.convert_to_tensor([[0.2], [0.4]])]
    total, _ = model.discriminator_loss(real, fake)
    # (1 - mean D(real)) * real loss + mean D(fake) * fake loss
    real_loss = model._score_loss(real, model.real_label)
    fake_loss = model._score_loss(fake, model.fake_label)
    assert float(total) == pytest.approx(float((1 - 0.8) * real_loss + 0.3 * fake_loss), rel=1e-5)
    canonical = train.strategy(dataclasses.replace(SMOKE, model="specgan"))
    assert canonical.gan_loss == "wgan" and canonical.critic_steps == 2 and canonical.latent_distribution == "uniform"


def test_config_refuses_inconsistent_choices():
    with pytest.raises(ConfigError, match="multiple"):
        derive(PAPER, {"image_size": 100})
    with pytest.raises(ConfigError, match="not conditional"):
        derive(PAPER, {"conditional": True})
    with pytest.raises(ConfigError, match="gansig model is class-conditional"):
        derive(PAPER, {"model": "gansig"})
    with pytest.raises(ConfigError, match="multiples of 16"):
        derive(PAPER, {"model": "gansig", "conditional": True, "gansig_mels": 40})
    with pytest.raises(ConfigError, match="128"):
        derive(PAPER, {"specgan_samples": 8192})


@pytest.mark.slow
@pytest.mark.system_deps
def test_generate_and_evaluate_from_the_command_line(smoke, tmp_path):
    out, table = smoke("specgan")
    assert table.get(reference.CLASSIFIER, "held-out accuracy (test fold, ten classes)", reference.ACCURACY)
    assert table.get(reference.REPORT_TABLE, reference.REPORT_MODEL, reference.RMSE).reference == 0.5487
    assert (out / "figures" / "real_vs_generated.png").is_file() and (out / "models" / "classifier.keras").is_file()
    done = cli("generate", "-n", "3", "--out", str(tmp_path / "gen"), "--model", str(out / "models" / "conditional"),
               "--class", "siren")
    assert done.returncode == 0, done.stderr
    wavs = sorted((tmp_path / "gen").glob("*.wav"))
    assert len(wavs) == 3 and all("siren" in p.name for p in wavs) and (tmp_path / "gen" / "generated.png").is_file()
    x, rate = sf.read(wavs[0])
    assert rate == 16_000 and len(x) == 16_384
    before = {p.name: p.read_bytes() for p in (tmp_path / "gen").iterdir()}
    again = cli("generate", "-n", "2", "--out", str(tmp_path / "gen"), "--model", str(out / "models" / "conditional"),
                "--class", "siren")
    assert again.returncode == 0, again.stderr
    assert all((tmp_path / "gen" / name).read_bytes() == data for name, data in before.items())  # none replaced
    added = sorted(p.name for p in (tmp_path / "gen").iterdir() if p.name not in before)
    assert added == ["generated_003.png", "generated_003_siren.wav", "generated_004_siren.wav"], added
    done = cli("evaluate", str(out / "audio"), str(tmp_path / "gen"), "-n", "32", "--classifier",
               str(out / "models" / "classifier.keras"))
    assert done.returncode == 0, done.stderr
    assert "N = 32 windows" in done.stdout and "| generated |" in done.stdout
    unconditional = cli("generate", "-n", "2", "--out", str(tmp_path / "x"), "--model", str(out / "models" / "specgan"),
                        "--class", "siren")
    assert unconditional.returncode != 0 and "not class-conditional" in unconditional.stderr
    assert "Traceback" not in unconditional.stderr


@pytest.mark.slow
@pytest.mark.system_deps
def test_gansig_generates_every_class_trains_on_labelled_folders_and_scores_per_class(smoke, tmp_path):
    import shutil

    out, table = smoke("specgan")
    assert table.get(reference.CRITERIA, reference.GANSIG, reference.FIT) is not None
    assert table.get(reference.PER_CLASS, "siren", reference.FD_RATIO) is not None
    assert (out / "figures" / "classifier_confusion.png").is_file() and (out / "audio" / "real_siren_00.wav").is_file()
    done = cli("generate", "-n", "1", "--out", str(tmp_path / "gen"), "--model", str(out / "models" / "gansig"),
               "--class", "all")
    assert done.returncode == 0, done.stderr
    wavs = sorted((tmp_path / "gen").glob("*.wav"))
    assert len(wavs) == 10 and {p.stem.split("_", 2)[2] for p in wavs} == set(CLASS_NAMES)
    labelled, generated = tmp_path / "labelled", tmp_path / "generated"
    for cls in ("siren", "dog_bark"):
        for folder in (labelled / cls, generated / cls):
            folder.mkdir(parents=True)
        for k in range(2):
            shutil.copy(out / "audio" / f"real_{cls}_{k:02d}.wav", labelled / cls)
        shutil.copy(next(p for p in wavs if p.stem.endswith(cls)), generated / cls)
    done = cli("evaluate", str(labelled), str(generated), "--n-per-class", "8", "--classifier",
               str(out / "models" / "classifier.keras"))
    assert done.returncode == 0, done.stderr
    assert "| dog_bark |" in done.stdout and "| siren |" in done.stdout and "FD / floor" in done.stdout
    done = cli("train", "--audio", str(labelled), "--out", str(tmp_path / "mine"), "--profile", "smoke", "--set",
               "clip_ms=500", timeout=600)
    assert done.returncode == 0, done.stderr
    model = tmp_path / "mine" / "models" / "gansig"
    done = cli("generate", "-n", "1", "--out", str(tmp_path / "mine_gen"), "--model", str(model), "--class", "dog_bark")
    assert done.returncode == 0, done.stderr
    assert [p.name for p in (tmp_path / "mine_gen").glob("*.wav")] == ["generated_000_dog_bark.wav"]


def test_per_class_scores_fail_a_copier_and_put_real_test_clips_at_the_floor():
    rng = np.random.default_rng(0)
    centre = rng.normal(size=8)
    real_train = centre + rng.normal(size=(300, 8))
    real_test = centre + rng.normal(size=(200, 8))
    probabilities = np.eye(3)[np.full(200, 1)]  # the classifier names class 1 for every window
    honest = scores.class_scores(real_test, probabilities, 1, real_train, real_test)
    assert honest.fd == pytest.approx(honest.floor) and honest.fd_ratio == pytest.approx(1.0)
    assert honest.diversity == pytest.approx(1.0) and honest.novelty == pytest.approx(1.0) and honest.fit == 1.0
    copies = real_train[7] + 1e-3 * rng.normal(size=(200, 8))  # one training clip, again and again
    copier = scores.class_scores(copies, probabilities, 1, real_train, real_test)
    assert copier.diversity < 0.01 and copier.novelty < 0.01 and copier.fd_ratio > 3
    assert scores.class_scores(real_test, np.eye(3)[np.full(200, 2)], 1, real_train, real_test).fit == 0.0
    with pytest.raises(ValueError, match="more than 8"):
        scores.class_scores(real_test[:8], probabilities[:8], 1, real_train, real_test)


def test_mean_pairwise_and_nearest_distances_by_hand():
    points = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 4.0]])
    assert scores.mean_pairwise_distance(points) == pytest.approx((5 + 4 + 3) / 3)
    assert scores.nearest_distance(np.array([[0.0, 1.0], [3.0, 3.0]]), points) == pytest.approx((1 + 1) / 2)


def test_the_classifier_sees_every_class_as_often():
    from gansig.papers.specgan.classifier import balanced

    labels = np.array([0] * 50 + [1] * 5 + [2] * 5)
    x = np.arange(60)
    xb, lb = balanced(x, labels, np.random.default_rng(0))
    assert len(lb) == 60 and np.bincount(lb).tolist() == [20, 20, 20]
    assert np.array_equal(labels[xb], lb)  # rows kept with their labels
    assert len(set(xb[lb == 0])) == 20  # the large class is not repeated
