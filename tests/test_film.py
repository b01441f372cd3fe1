"""Paper 3 (film restoration): the layer tables' parameter counts, the damage, the front ends,
the chains behind Table 5.1's rows, the shared bandwidth-extension pieces, and the restorer
as a tool."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf

from gansig import metrics
from gansig.baselines import band_replication, detect_cutoff
from gansig.papers.film import data, frontend, models, reference, restoring, train
from gansig.papers.film.config import PAPER, PROFILES, ROWS, RUNS
from gansig.papers.film.damage import derive_film_set, remove_above
from gansig.profiles import Checkpoint, run_config

RATE = 48_000


def harmonic(seconds=2.0, seed=0, noise_dbfs=-30.0):
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    x = sum(np.sin(2 * np.pi * 220 * k * t + rng.uniform(0, 6)) / k for k in range(1, 60)) * 0.05
    return (x * (1 + 0.5 * np.sin(2 * np.pi * 1.3 * t)) + 10 ** (noise_dbfs / 20) * rng.normal(size=t.size)).astype(
        np.float32)


@pytest.mark.parametrize("g,d,extra", [("g1", "d1", {}), ("g3", "d3", {"d_dropout": 0.25}), ("g5", "d5", {})])
def test_parameter_counts_are_the_printed_tables(g, d, extra):
    config = dataclasses.replace(PAPER, generator=g, discriminator=d, **extra)
    shape = frontend.shape(config)
    assert shape == (1025, 47, 2)
    generator, discriminator = models.generator(config, shape), models.discriminator(config, shape)
    assert models.trainable_parameters(generator) == reference.PARAMETERS[g]
    assert models.trainable_parameters(discriminator) == reference.PARAMETERS[d]
    assert generator.output_shape == (None, 1025, 47, 2) and discriminator.output_shape == (None, 1)
    assert [discriminator.get_layer(f"conv{i}").output.shape[1:3] for i in (1, 2, 3)] == [(513, 24), (257, 12),
                                                                                           (129, 6)]


def test_pytorch_defaults_are_reproduced():
    g = models.generator(PAPER, frontend.shape(PAPER))
    assert g.get_layer("act1").negative_slope == pytest.approx(0.01)
    assert (g.get_layer("norm1").momentum, g.get_layer("norm1").epsilon) == (0.9, 1e-5)
    assert isinstance(g.get_layer("act2"), __import__("keras").layers.ELU)
    assert not g.get_layer("conv1").use_bias and g.get_layer("conv1").kernel_size == (3, 5)
    layer_norm = models.generator(dataclasses.replace(PAPER, norm="layer"), frontend.shape(PAPER))
    assert type(layer_norm.get_layer("norm1")).__name__ == "GroupNormalization"  # per-channel affine


def test_the_24_rows_are_checkpoints_of_the_experiments_chains():
    assert len(ROWS) == 24 and ROWS[0] == "1" and ROWS[-1] == "11_6"
    assert set(reference.REFERENCE[reference.TABLE]) == {reference.row_name(r) for r in ROWS}
    for profile in ("paper", "quick"):
        base = PROFILES[profile]
        for row in ROWS:
            cp = RUNS[row]
            start, end = train.span(base, RUNS, cp.run)
            assert start < train.checkpoint_epoch(base, RUNS, cp) <= end, (profile, row)
    paper = PROFILES["paper"]
    assert train.span(paper, RUNS, "exp6d") == (19000, 32000) and train.kept_epochs(paper, RUNS, "exp6d") == [28000]
    assert train.span(paper, RUNS, "exp6b") == (17500, 19000)
    quick = PROFILES["quick"]
    epochs = [train.checkpoint_epoch(quick, RUNS, RUNS[r]) for r in ("10_1", "10_2", "10_3")]
    assert epochs == sorted(set(epochs))  # the three checkpoints of one chain stay apart on the quick clock
    exp9 = run_config(paper, RUNS, "exp9")
    assert (exp9.content_weight, exp9.g_slope, exp9.d_skip_below, exp9.generator_steps) == (100.0, 0.3, 0.1, 2)
    assert run_config(paper, RUNS, "exp11").norm == "layer" and isinstance(RUNS["11_6"], Checkpoint)


def test_damage_set_and_filters():
    clean = harmonic(1.0, noise_dbfs=-120)
    derived = derive_film_set(clean, PAPER, seed=1)
    assert list(derived) == ["clean", "noise", "noisy", "cut_150", "cut_250", "cut_500", "cut_1000", "cut_1500",
                             "cut_2000", "cut_3000"]
    assert 20 * np.log10(np.sqrt(np.mean(derived["noise"] ** 2))) == pytest.approx(-30.0, abs=0.1)
    freqs = np.fft.rfftfreq(RATE, 1 / RATE)
    spectrum = np.abs(np.fft.rfft(derived["cut_1000"]))
    assert spectrum[freqs > 1000].max() < 1e-6 * spectrum.max()
    butter = np.abs(np.fft.rfft(remove_above(derived["noisy"], RATE, 1000, "butterworth", 8)))
    assert butter[(freqs > 2000)].max() < 1e-3 * butter.max() < butter[(freqs > 1000) & (freqs < 1100)].max()


@pytest.mark.parametrize("front_end", ["stft", "logstft", "logmfcc"])
def test_front_ends_have_the_thesis_shapes_and_invert(front_end):
    config = dataclasses.replace(PAPER, front_end=front_end, griffin_lim_iters=8)
    x = harmonic(1.0)[None, : frontend.segment_samples(config)]
    images = frontend.analyse(x, config)
    assert images.shape[1:] == frontend.shape(config) == ((40, 47, 1) if front_end == "logmfcc" else (1025, 47, 2))
    y = frontend.synthesise(images, config)
    assert y.shape == x.shape
    if front_end != "logmfcc":
        np.testing.assert_allclose(y, x, atol=1e-4)  # exact up to float error
    else:
        rebuilt = frontend.analyse(y, config)
        assert np.corrcoef(rebuilt.ravel(), images.ravel())[0, 1] > 0.9  # the cepstra survive Griffin-Lim
    assert frontend.shape(dataclasses.replace(PAPER, segment_s=2.0)) == (1025, 188, 2)


def test_training_pairs_and_the_held_out_split():
    config = dataclasses.replace(PAPER, clip_seconds=None)
    clean = harmonic(5.0)
    train_part, heldout = data.film_set(clean, config, 0, config.cutoffs_hz)
    assert len(train_part.clean) == 4 * RATE and len(heldout.clean) == RATE
    assert np.std(heldout.target - heldout.clean) == pytest.approx(10 ** (-30 / 20), rel=0.02)  # the noise
    assert set(heldout.damaged) == set(config.cutoffs_hz) and len(heldout.damaged[2000.0]) == RATE
    early = dataclasses.replace(config, segment_s=2.0, all_cuts=True)
    inputs, targets = data.training_pairs(train_part, early)
    assert inputs.shape == (7 * 2, 1025, 188, 2) and targets.shape == inputs.shape
    inputs, _ = data.training_pairs(train_part, config)
    assert inputs.shape == (8, 1025, 47, 2)


def test_band_replication_and_the_cutoff_detector():
    x = harmonic(3.0)
    cut = remove_above(x, RATE, 2000)
    assert detect_cutoff(cut, RATE) == pytest.approx(2000, abs=60)
    assert detect_cutoff(x, RATE) == RATE / 2
    bwe = band_replication(cut, RATE, 2000)
    assert metrics.log_spectral_distance(x, bwe, RATE) < 0.3 * metrics.log_spectral_distance(x, cut, RATE)
    low = (0, 1900)
    assert metrics.log_spectral_distance(cut, bwe, RATE, band=low) < 0.05  # the kept band is kept


def test_log_spectral_distance_by_hand():
    x = harmonic(1.0)
    assert metrics.log_spectral_distance(x, x, RATE) == pytest.approx(0.0, abs=1e-9)
    assert metrics.log_spectral_distance(x, 2 * x, RATE) == pytest.approx(2 * np.log10(2), rel=1e-3)
    assert metrics.log_spectral_distance(x, 2 * x, RATE, form="db") == pytest.approx(20 * np.log10(2), rel=1e-3)
    assert metrics.log_spectral_distance(x, np.zeros_like(x), RATE) > 6  # the floor: 1e-8 power


def test_visqol_separates_bandwidths():
    x = harmonic(4.0)
    same = metrics.visqol(x, x, RATE)
    assert same > 4.5 and metrics.visqol(x, remove_above(x, RATE, 2000), RATE) < same - 1.0


@pytest.mark.slow
@pytest.mark.system_deps
def test_the_smoke_run_restores_a_long_file_from_the_command_line(smoke, tmp_path):
    out, table = smoke("film")
    assert table.get(reference.TABLE, reference.row_name("11_6"), reference.SNR).run == "11_6"
    assert table.get(reference.TABLE, "Experiment 5", reference.MSE).reference == 0.0199
    for name in ("figures/spectrograms_baselines.png", "figures/spectrograms_thesis_rows.png", "audio/gansig.wav",
                 "models/gansig/restorer.json"):
        assert (out / name).is_file(), name
    rate, seconds = 44_100, 60.0  # three of the restorer's 20 s blocks, stereo, another rate
    clip = np.tile(remove_above(harmonic(3.0), RATE, 2000), int(seconds / 3))
    stereo = np.stack([clip, 0.5 * clip], axis=1)[: int(seconds * RATE)]
    from gansig.data import io

    sf.write(tmp_path / "damaged.flac", io.resample(stereo, RATE, rate), rate)
    done = subprocess.run([sys.executable, "-m", "gansig.papers.film", "restore", str(tmp_path / "damaged.flac"), "-o",
                           str(tmp_path / "restored.wav"), "--model", str(out / "models" / "gansig")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    info = sf.info(tmp_path / "restored.wav")
    assert (info.samplerate, info.channels) == (RATE, 2) and info.frames == pytest.approx(seconds * RATE, abs=2)
    y, _ = sf.read(tmp_path / "restored.wav", frames=10 * RATE)
    above = np.abs(np.fft.rfft(y[:, 0]))[np.fft.rfftfreq(len(y), 1 / RATE) > 4000]
    assert np.all(np.isfinite(y)) and above.mean() > 1e-4  # a band was restored


def test_the_restorers_damage_is_drawn_per_example_and_reproducibly():
    from gansig.papers.film import restorer_net

    config = PROFILES["smoke"]
    clips = [harmonic(1.0, seed=s, noise_dbfs=-90) for s in range(12)]
    a = restorer_net.training_examples(clips, config, seed=3)
    b = restorer_net.training_examples(clips, config, seed=3)
    c = restorer_net.training_examples(clips, config, seed=4)
    assert a[3] == b[3] and np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert a[3] != c[3]
    damages = a[3]
    assert len(set(damages)) == len(clips)  # one draw per example
    lo, hi = config.restorer_cutoff_range_hz
    assert all(lo <= d.cutoff_hz <= hi for d in damages)
    assert {d.lowpass for d in damages} == {"brickwall", "butterworth"}
    assert any(d.noise_dbfs is None for d in damages)  # the noise-free share (20 %) is drawn too
    assert all(d.noise_dbfs is None or -70 <= d.noise_dbfs <= -25 for d in damages)
    assert {d.noise_before_cut for d in damages} == {True, False}


def test_the_restorer_extends_a_harmonic_tone_with_harmonics_not_noise():
    """A known answer: trained on harmonic tones cut at 2 kHz, the restorer puts the band's
    energy of an unseen tone (another phase and modulation) at the missing harmonics."""
    from gansig.papers.film import restorer_net

    config = dataclasses.replace(PROFILES["smoke"], restorer_channels=64, restorer_blocks=2, restorer_epochs=25,
                                 restorer_crop_frames=32, restorer_batch_size=8, restorer_cutoff_range_hz=(2000.0,
                                 2000.0), restorer_brickwall_share=1.0, restorer_noise_free_share=1.0,
                                 restorer_level_range_db=(-6.0, 0.0), restorer_phase_iters=8)
    clips = [harmonic(3.0, seed=s, noise_dbfs=-90) for s in range(16)]
    g, history, ratio = restorer_net.train(config, clips, seed=0, verbose=0)
    assert history["g_content"][-1] < history["g_content"][0]
    tone = harmonic(3.0, seed=99, noise_dbfs=-90)
    restored = restoring.restore(g, remove_above(tone, RATE, 2000), config, 2000.0, ratio, strength=2.0)
    spectrum = np.abs(np.fft.rfft(restored * np.hanning(len(restored)))) ** 2
    freqs = np.fft.rfftfreq(len(restored), 1 / RATE)

    def energy(f):
        return spectrum[np.abs(freqs - f) < 15].sum()

    harmonics = [k * 220 for k in range(11, 28)]  # 2420 ... 5940 Hz, all above the cut
    on = sum(energy(f) for f in harmonics)
    between = sum(energy(f + 110) for f in harmonics)
    assert on > 4 * between, (on, between)  # peaks at the harmonics: not a flat noise floor
    assert on > 1e-3 * sum(energy(k * 220) for k in range(1, 9))  # and the band is really there


def test_the_band_level_rule_and_strength():
    from gansig.papers.film import restorer_net

    rho = 10 ** (0.25 / 10)
    # Nothing removed, an unbiased prediction: the band may add rho - 1 of its own energy.
    assert restoring.band_gain(0.0, 1.0, 1.0, 0.25) == pytest.approx(np.sqrt(rho - 1))
    # A prediction 10 dB short of the truth's energy may be written louder; never above 1.
    assert restoring.band_gain(0.0, 1.0, 0.1, 0.25) == pytest.approx(min(1.0, np.sqrt(10 * (rho - 1))))
    assert restoring.band_gain(5.0, 1.0, 1.0, 0.25) == 1.0  # the denoiser won back more than the band costs
    g = restoring.band_gain(0.0, 1.0, 1.0, 0.25)
    assert restoring.band_gain(0.0, 1.0, 1.0, 0.25, strength=0.5) == pytest.approx(g / 2)
    assert restoring.band_gain(0.0, 1.0, 1.0, 0.25, strength=2.0) == 1.0
    assert restoring.band_gain(0.0, 1.0, 1.0, 0.25, strength=0.0) == 0.0
    config = PROFILES["smoke"]
    x = remove_above(harmonic(1.0), RATE, 2000)
    untrained = restorer_net.generator(config)
    assert np.array_equal(restoring.restore(untrained, x, config, 2000.0, strength=0.0), x)  # 0: as it was
