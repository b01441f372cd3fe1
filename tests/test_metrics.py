import numpy as np
import pytest

from gansig import metrics
from gansig.errors import AudioError


def test_mse_rmse_by_hand():
    ref = np.array([[0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    est = np.array([[1.0, -1.0, 1.0, -1.0], [1.0, 1.0, 1.0, 3.0]])
    np.testing.assert_allclose(metrics.mse(ref, est), [1.0, 1.0])
    np.testing.assert_allclose(metrics.rmse(ref, est), [1.0, 1.0])
    assert metrics.mse(np.zeros(3), np.array([3.0, 0, 0]))[0] == pytest.approx(3.0)


def test_kbps_by_hand():
    assert metrics.kbps(250, 1.0) == 2.0  # 2,000 bits in a second
    assert metrics.kbps(52 + 198, 0.5) == 4.0  # header bytes count like any other


def test_snr_and_improvement_by_hand():
    ref = np.array([3.0, 4.0])            # power sum 25
    est = np.array([3.0, 3.0])            # error sum 1 -> 10 log10(25) dB
    assert metrics.snr_db(ref, est)[0] == pytest.approx(10 * np.log10(25))
    noisy = np.array([3.0, 6.0])          # error sum 4
    assert metrics.snr_improvement_db(ref, noisy, est)[0] == pytest.approx(10 * np.log10(4))


def test_distortion_db_by_hand():
    ref = np.array([1.0, -1.0, 1.0, -1.0])  # power 1
    est = ref + 0.1                          # MSE 0.01 -> 20 dB
    assert metrics.distortion_db(ref, est)[0] == pytest.approx(20.0)


def test_lsd_by_hand():
    ref = np.ones((1, 2, 4))
    est = np.full((1, 2, 4), 10.0)          # every bin 10 dB off
    assert metrics.lsd(ref, est)[0] == pytest.approx(10.0, abs=1e-6)
    assert metrics.lsd(ref[0], ref[0])[0] == pytest.approx(0.0)


@pytest.fixture(scope="module")
def speechlike():
    rng = np.random.default_rng(0)
    rate = 16000
    t = np.arange(3 * rate) / rate
    envelope = 0.5 * (1 + np.sin(2 * np.pi * 3 * t)) ** 2
    carrier = sum(np.sin(2 * np.pi * f * t) / k for k, f in enumerate((150, 300, 450, 900, 1800), 1))
    return (0.1 * envelope * carrier + 0.002 * rng.normal(size=t.size)).astype(np.float32), rate


def test_pesq_and_stoi_rank_clean_above_noisy(speechlike):
    x, rate = speechlike
    noisy = x + 0.05 * np.random.default_rng(1).normal(size=x.size).astype(np.float32)
    for mode in ("nb", "wb"):
        clean_score = metrics.pesq(x, x, rate, mode)
        assert clean_score > 4.0
        assert metrics.pesq(x, noisy, rate, mode) < clean_score - 1.0
    assert metrics.stoi(x, x, rate) == pytest.approx(1.0, abs=1e-6)
    assert metrics.stoi(x, noisy, rate) < 0.9


def test_pesq_errors_are_audio_errors(speechlike):
    x, rate = speechlike
    with pytest.raises(AudioError, match="PESQ"):
        metrics.pesq(x[:100], x[:100], rate, "wb")
    with pytest.raises(ValueError):
        metrics.pesq(x, x, rate, "xx")


def test_dnsmos_rates_clean_speech_above_noisy_speech():
    from helpers import speech_like

    clean = speech_like(4.0, 16000, seed=2)
    noisy = clean + 0.05 * np.random.default_rng(0).normal(size=clean.size).astype(np.float32)
    a, b = metrics.dnsmos(clean, 16000), metrics.dnsmos(noisy, 16000)
    assert set(a) == set(metrics.DNSMOS_METRICS)
    assert all(1.0 <= v <= 5.0 for v in (*a.values(), *b.values()))
    assert a["DNSMOS BAK"] > b["DNSMOS BAK"] + 1.0 and a["DNSMOS OVRL"] > b["DNSMOS OVRL"]
    assert metrics.dnsmos(clean[::2], 8000)["DNSMOS OVRL"] == pytest.approx(a["DNSMOS OVRL"], abs=0.6)
