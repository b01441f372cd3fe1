"""gansig.data.inverse: each way back from a feature, against librosa where it has one."""

import librosa
import numpy as np
import pytest

from gansig.data import features as F
from gansig.data import inverse


@pytest.fixture
def wave(rng):
    t = np.arange(16000) / 16000
    return (np.sin(2 * np.pi * 440 * t) * (1 + np.sin(2 * np.pi * 3 * t)) + 0.3 * rng.normal(size=16000)).astype(
        np.float32)


@pytest.mark.parametrize("hop", [None, 3, 5])
def test_frames_join_back_exactly(rng, hop):
    x = rng.normal(size=(23, 4)).astype(np.float32)
    windows = inverse.frame(x, 5, hop)
    step = hop or 5
    assert windows.shape[1:] == (5, 4) and len(windows) == -(-(23 - 5) // step) + 1
    np.testing.assert_array_equal(windows[1], np.pad(x, ((0, 10), (0, 0)))[step:step + 5])
    np.testing.assert_allclose(inverse.overlap_add(windows, hop)[:23], x, rtol=1e-6)
    assert len(inverse.frame(x, 5, hop, pad=False)) == (23 - 5) // step + 1


def test_frames_match_librosa_where_it_frames(rng):
    x = rng.normal(size=40).astype(np.float32)
    ours = inverse.frame(x, 8, 4, pad=False)
    np.testing.assert_array_equal(ours, librosa.util.frame(x, frame_length=8, hop_length=4).T)


def test_log_scaling_is_inverted_exactly_above_its_floor(rng):
    x = rng.uniform(1e-3, 2.0, size=(50, 7)).astype(np.float32)
    y = inverse.log_compress(x, -10.0, x.max())
    assert y.max() == pytest.approx(1.0) and y.min() >= -1.0
    np.testing.assert_allclose(inverse.log_expand(y, -10.0, x.max()), x, rtol=1e-5)
    floored = inverse.log_compress(np.array([0.0, 1e-9]), -10.0, 1.0)
    np.testing.assert_allclose(floored, [-1.0, -1.0])


def test_standardiser_fits_per_bin_and_inverts(rng):
    x = (rng.normal(size=(200, 30, 6)) * np.arange(1, 7) + np.arange(6) * 10).astype(np.float32)
    standardise = inverse.Standardiser.fit(x, scale=3.0, clip=1.0)
    np.testing.assert_allclose(standardise.mean, x.reshape(-1, 6).mean(axis=0), rtol=1e-4)
    z = standardise(x)
    assert np.abs(z).max() <= 1.0 and np.std(np.clip(z * 3, -3, 3).reshape(-1, 6), axis=0) == pytest.approx(
        np.ones(6), abs=0.05)
    inside = np.abs(z) < 1.0
    np.testing.assert_allclose(standardise.inverse(z)[inside], x[inside], rtol=1e-4, atol=1e-4)
    again = inverse.Standardiser.from_dict(standardise.to_dict())
    np.testing.assert_array_equal(again(x), z)


def test_mel_pseudo_inverse_recovers_the_mel_projection(wave):
    power = F.magnitude(wave, 512, 128, power=2.0)
    mel = F.mel_spectrogram(wave, 16000, 512, 128, 128)
    linear = inverse.mel_to_linear(mel, 16000, 512)
    assert linear.shape == power.shape and linear.min() >= 0
    remel = np.tensordot(linear, F.mel_filterbank(16000, 512, 128), axes=1)
    np.testing.assert_allclose(remel, mel.numpy(), rtol=0.05, atol=1e-3 * mel.numpy().max())


def test_mel_nnls_matches_librosas_mel_to_stft(wave):
    mel = F.mel_spectrogram(wave[:4000], 16000, 512, 128, 40, power=1.0).numpy()
    ours = inverse.mel_to_linear(mel, 16000, 512, method="nnls")[0]
    basis = librosa.filters.mel(sr=16000, n_fft=512, n_mels=40)
    theirs = librosa.util.nnls(basis, mel[0].T).T
    assert ours.min() >= 0 and ours.shape == theirs.shape

    def misfit(linear):
        return np.linalg.norm(linear @ basis.T - mel[0])

    # The same objective as librosa's: ours reaches at least its minimum (here a near-exact
    # fit; librosa's solver stops earlier), and beats the clipped pseudo-inverse.
    assert misfit(ours) <= misfit(theirs) + 1e-6 and misfit(ours) < 1e-3 * np.linalg.norm(mel)
    assert misfit(ours) < misfit(inverse.mel_to_linear(mel, 16000, 512)[0])


def test_mfcc_to_mel_matches_librosa(wave):
    mfcc = F.mfcc(wave, 16000, 512, 128, 64, 20).numpy()
    ours = inverse.mfcc_to_mel(mfcc, 64).numpy()[0]
    theirs = librosa.feature.inverse.mfcc_to_mel(mfcc[0].T, n_mels=64).T
    np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-6 * theirs.max())
    full = F.mfcc(wave, 16000, 512, 128, 64, 64).numpy()
    mel = F.power_to_db(F.mel_spectrogram(wave, 16000, 512, 128, 64)).numpy()
    np.testing.assert_allclose(F.power_to_db(inverse.mfcc_to_mel(full, 64)).numpy(), mel, atol=1e-2)


def test_block_griffin_lim_is_griffin_lim_in_one_block_and_joins_blocks_cleanly(wave):
    mag = F.magnitude(wave, 512, 128).numpy()[0]
    whole = inverse.block_griffin_lim(mag, len(mag), 512, 128, n_iter=16, seed=2, block_frames=len(mag))
    direct = F.griffin_lim(mag[None], 512, 128, n_iter=16, seed=2, length=(len(mag) - 1) * 128)[0]
    np.testing.assert_array_equal(whole, direct)
    blocks = inverse.block_griffin_lim(lambda lo, hi: mag[None, lo:hi], len(mag), 512, 128, n_iter=16, seed=2,
                                       block_frames=40, fade=512)
    for y in (whole, blocks):
        rebuilt = F.magnitude(y, 512, 128).numpy()[0][: len(mag)]
        assert np.linalg.norm(rebuilt - mag) / np.linalg.norm(mag) < 0.35
