import numpy as np
import pytest

from gansig.data import signals


def test_sines_have_the_requested_frequency():
    x = signals.sines(np.array([50.0, 120.0]), fs=1000, duration=1.0)
    assert x.shape == (2, 1000) and x.dtype == np.float32
    peaks = np.argmax(np.abs(np.fft.rfft(x, axis=1)), axis=1)
    assert list(peaks) == [50, 120]


def test_sine_mixture_sums_components():
    x = signals.sines(np.array([[10.0, 20.0, 30.0]]), fs=256, duration=1.0)
    spectrum = np.abs(np.fft.rfft(x[0]))
    assert sorted(np.argsort(spectrum)[-3:]) == [10, 20, 30]
    assert np.max(np.abs(x)) <= 3.0


@pytest.mark.parametrize("snr", [-2.0, 0.0, 10.0])
def test_mix_at_snr_hits_the_ratio(rng, snr):
    s = signals.sines(rng.uniform(10, 60, size=(4, 3)), fs=256, duration=1.0)
    n = signals.white_noise(rng, s.shape, 0.5)
    for preserve in (False, True):
        mixed = signals.mix_at_snr(s, n, snr, preserve_energy=preserve)
        scale = 1 / np.sqrt(1 + signals.noise_gain_for_snr(s, n, snr) ** 2) if preserve else 1.0
        noise_part = mixed - s * scale
        measured = 10 * np.log10(np.sum((s * scale) ** 2, axis=1) / np.sum(noise_part**2, axis=1))
        np.testing.assert_allclose(measured, snr, atol=1e-3)


def test_scaled_mix_is_the_plain_mix_over_sqrt_one_plus_g_squared(rng):
    s = signals.sines(rng.uniform(10, 60, size=(5, 3)), fs=256, duration=1.0) / 3
    n = signals.white_noise(rng, s.shape, 0.5)
    g = signals.noise_gain_for_snr(s, n, -2.0)
    scaled = signals.mix_at_snr(s, n, -2.0, preserve_energy=True)
    np.testing.assert_allclose(scaled * np.sqrt(1 + g**2), signals.mix_at_snr(s, n, -2.0), rtol=1e-5, atol=1e-6)


def test_white_noise_is_seeded():
    a = signals.white_noise(np.random.default_rng(5), (3, 100), 0.5)
    b = signals.white_noise(np.random.default_rng(5), (3, 100), 0.5)
    np.testing.assert_array_equal(a, b)
    assert np.std(signals.white_noise(np.random.default_rng(0), (100000,), 0.5)) == pytest.approx(0.5, rel=0.02)
