import numpy as np
import pytest

from gansig import baselines, metrics
from gansig.data import signals

FS = 8000


@pytest.fixture
def noisy_sine(rng):
    clean = signals.sines(np.array([440.0, 1200.0]), FS, 1.0)
    noisy = clean + signals.white_noise(rng, clean.shape, 0.3)
    return clean, noisy


def test_lowpass_keeps_the_band_and_removes_the_rest():
    fs = 256
    low = signals.sines(np.array([20.0]), fs, 4.0)
    high = signals.sines(np.array([110.0]), fs, 4.0)
    out_low = baselines.butterworth_lowpass(low, fs, 64, 90)
    out_high = baselines.butterworth_lowpass(high, fs, 64, 90)
    mid = slice(fs, 3 * fs)  # away from the edges
    assert np.std(out_low[0, mid]) == pytest.approx(np.std(low[0, mid]), rel=0.01)
    assert np.std(out_high[0, mid]) < 1e-3 * np.std(high[0, mid])


@pytest.mark.parametrize("method", ["wiener", "spectral_subtraction"])
def test_stft_denoisers_raise_the_snr(noisy_sine, method):
    clean, noisy = noisy_sine
    out = getattr(baselines, method)(noisy, FS)
    assert out.shape == noisy.shape
    assert np.all(metrics.snr_improvement_db(clean, noisy, out) > 5.0)


def test_wavelet_raises_the_snr(noisy_sine):
    clean, noisy = noisy_sine
    assert np.all(metrics.snr_improvement_db(clean, noisy, baselines.wavelet_threshold(noisy)) > 0.5)
    assert np.all(metrics.snr_improvement_db(clean, noisy, baselines.wavelet_threshold(noisy, rule="visu")) < 0)


def test_spectral_gating_needs_a_noise_reference_for_steady_tones(noisy_sine, rng):
    clean, noisy = noisy_sine
    reference = signals.white_noise(rng, (FS,), 0.3)
    with_reference = baselines.spectral_gating(noisy, FS, noise=reference)
    assert np.all(metrics.snr_improvement_db(clean, noisy, with_reference) > 3.0)
    # Noise statistics from the signal itself take the steady tone for noise.
    assert np.all(metrics.snr_improvement_db(clean, noisy, baselines.spectral_gating(noisy, FS)) < 0.0)


def test_noise_psd_estimates_white_noise_level(rng):
    power = rng.exponential(2.0, size=(257, 400))
    power[10] += 1000.0  # a sine in one bin does not move the estimate
    assert np.median(baselines.noise_psd(power, "white")) == pytest.approx(2.0, rel=0.05)
    per_bin = baselines.noise_psd(power, "per_bin")
    assert per_bin.shape == (257, 1) and np.median(per_bin) == pytest.approx(2.0, rel=0.1)
    with pytest.raises(ValueError):
        baselines.noise_psd(power, "oracle")


def test_one_dimensional_input_keeps_its_shape(noisy_sine):
    _, noisy = noisy_sine
    assert baselines.wiener(noisy[0], FS).shape == noisy[0].shape
