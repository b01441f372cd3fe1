import librosa
import numpy as np
import pytest
import tensorflow as tf

from gansig.data import features as F

SR = 22050


@pytest.fixture
def wave(rng):
    t = np.arange(SR) / SR
    return (np.sin(2 * np.pi * 440 * t) + 0.3 * rng.normal(size=SR)).astype(np.float32)


def test_stft_magnitude_matches_librosa(wave):
    ours = F.magnitude(wave, 2048, 512).numpy()[0].T
    ref = np.abs(librosa.stft(wave, n_fft=2048, hop_length=512))
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, atol=1e-5 * ref.max())


def test_batched_stft_equals_per_example(wave):
    batch = np.stack([wave, wave[::-1].copy()])
    together = F.magnitude(batch, 512, 128).numpy()
    alone = F.magnitude(batch[1], 512, 128).numpy()[0]
    np.testing.assert_allclose(together[1], alone, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("n_mels,fmax", [(64, None), (128, 8000.0)])
def test_mel_filterbank_matches_librosa(n_mels, fmax):
    ours = F.mel_filterbank(16000, 512, n_mels, 0.0, fmax)
    ref = librosa.filters.mel(sr=16000, n_fft=512, n_mels=n_mels, fmax=fmax).T
    np.testing.assert_allclose(ours, ref, atol=1e-6)


def test_htk_mel_scale_round_trip():
    hz = np.array([0.0, 100.0, 1000.0, 7999.0])
    for htk in (False, True):
        np.testing.assert_allclose(F.mel_to_hz(F.hz_to_mel(hz, htk), htk), hz, atol=1e-6)
    assert F.hz_to_mel(1000.0, htk=True) == pytest.approx(1000.0, abs=0.1)


def test_mel_db_and_mfcc_match_librosa(wave):
    mel = F.mel_spectrogram(wave, SR, 2048, 512, 64)
    ref_mel = librosa.feature.melspectrogram(y=wave, sr=SR, n_fft=2048, hop_length=512, n_mels=64)
    np.testing.assert_allclose(mel.numpy()[0].T, ref_mel, atol=1e-5 * ref_mel.max())
    np.testing.assert_allclose(F.power_to_db(mel).numpy()[0].T, librosa.power_to_db(ref_mel), atol=1e-3)
    ref_mfcc = librosa.feature.mfcc(y=wave, sr=SR, n_fft=2048, hop_length=512, n_mels=64, n_mfcc=20)
    np.testing.assert_allclose(F.mfcc(wave, SR, 2048, 512, 64, 20).numpy()[0].T, ref_mfcc, atol=1e-2)


def test_amplitude_db_and_inverse(wave):
    mag = np.abs(librosa.stft(wave, n_fft=512, hop_length=128)).T[None]
    np.testing.assert_allclose(F.amplitude_to_db(mag).numpy()[0].T,
                               librosa.amplitude_to_db(mag[0].T), atol=1e-3)
    power = mag**2 + 1e-3
    np.testing.assert_allclose(F.db_to_power(F.power_to_db(power, top_db=None)).numpy(), power, rtol=1e-4)


def test_top_db_floor_is_per_example():
    s = np.stack([np.full((4, 3), 1.0), np.full((4, 3), 1e-3)]).astype(np.float32)
    s[:, 0, 0] *= 1e12
    db = F.power_to_db(s, top_db=80.0).numpy()
    assert db[0].min() == pytest.approx(db[0].max() - 80.0, abs=1e-3)
    assert db[1].min() == pytest.approx(db[1].max() - 80.0, abs=1e-3)


def test_inverse_stft_matches_librosa_and_reconstructs(wave):
    rebuilt = F.inverse_stft(F.stft(wave, 512, 128), 512, 128, length=len(wave)).numpy()[0]
    ref = librosa.istft(librosa.stft(wave, n_fft=512, hop_length=128), hop_length=128, length=len(wave))
    np.testing.assert_allclose(rebuilt, ref, atol=1e-5)
    np.testing.assert_allclose(rebuilt, wave, atol=1e-5)


def test_griffin_lim_is_seeded_and_converges(wave):
    mag = F.magnitude(wave, 512, 128)
    a = F.griffin_lim(mag, 512, 128, n_iter=16, seed=3, length=len(wave))
    b = F.griffin_lim(mag, 512, 128, n_iter=16, seed=3, length=len(wave))
    np.testing.assert_array_equal(a, b)
    # Spectral convergence: the rebuilt magnitude is close to the target.
    rebuilt = F.magnitude(a, 512, 128).numpy()
    convergence = np.linalg.norm(rebuilt - mag.numpy()) / np.linalg.norm(mag.numpy())
    assert convergence < 0.2


def test_minmax_round_trip_and_image_layout(rng):
    x = rng.normal(size=(3, 10, 7)).astype(np.float32) * 5 + 2
    y, lo, hi = F.minmax_normalise(x)
    assert np.allclose(y.numpy().min(axis=(1, 2)), 0) and np.allclose(y.numpy().max(axis=(1, 2)), 1)
    np.testing.assert_allclose(F.minmax_denormalise(y, lo, hi).numpy(), x, atol=1e-5)
    img = F.to_image(x)
    assert img.shape == (3, 7, 10, 1)
    np.testing.assert_allclose(F.from_image(img).numpy(), x)
    assert F.to_image(x, (64, 64)).shape == (3, 64, 64, 1)


def test_griffin_lim_starts_the_first_frames_from_given_phases(wave):
    spec = F.stft(wave, 512, 128)
    mag = tf.abs(spec)
    given = F.griffin_lim(mag, 512, 128, n_iter=0, length=len(wave), first_angles=spec)[0]
    np.testing.assert_allclose(given, wave, atol=1e-4)  # all frames given: the signal itself
    half = F.griffin_lim(mag, 512, 128, n_iter=0, length=len(wave), first_angles=spec[:, :20])[0]
    np.testing.assert_allclose(half[: 18 * 128], wave[: 18 * 128], atol=1e-4)  # frames 0-19 given
    assert not np.allclose(half[-1000:], wave[-1000:], atol=1e-2)  # the rest random
