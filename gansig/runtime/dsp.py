"""The signal processing of inference in NumPy and SciPy, without TensorFlow: the STFT and
its inverse, mel filters and spectrograms and the way back, and seeded fast Griffin-Lim
(whole, or block by block in bounded memory).

Every tool runs these, and so do the reproductions where they turn a model's output into
audio: one implementation, so the tables measure what the tools do. The in-graph versions
for training (:mod:`gansig.data.features`, TensorFlow) follow the same conventions and the
tests hold the two to each other: waveforms ``[batch, samples]`` or ``[samples]``;
spectrograms time-major, ``[batch, frames, bins]``; centred frames with zero padding, a
periodic Hann window, Slaney's mel scale and normalisation (librosa's defaults).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence

import numpy as np
import scipy.fft

from gansig.data.signals import fade_in

WORKERS = os.cpu_count() or 1  # threads of SciPy's FFTs


def _batch(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float32)
    return x[None] if x.ndim == 1 else x


@functools.lru_cache(maxsize=16)
def hann(n: int) -> np.ndarray:
    """The periodic Hann window of ``n`` samples (float32)."""
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)).astype(np.float32)


# ---- STFT --------------------------------------------------------------------------


def stft(x: np.ndarray, n_fft: int, hop: int, *, center: bool = True) -> np.ndarray:
    """Complex STFT ``[batch, frames, n_fft//2+1]`` (complex64) of ``[batch, samples]`` (or
    ``[samples]``) waveforms: periodic Hann window; with ``center``, ``n_fft//2`` zeros padded
    on both sides first (librosa's centred frames)."""
    x = _batch(x)
    if center:
        x = np.pad(x, [(0, 0), (n_fft // 2, n_fft // 2)])
    frames = 1 + max(0, x.shape[1] - n_fft) // hop
    windows = np.lib.stride_tricks.sliding_window_view(x, n_fft, axis=1)[:, ::hop][:, :frames] * hann(n_fft)
    return scipy.fft.rfft(windows, n=n_fft, axis=-1, workers=WORKERS).astype(np.complex64, copy=False)


def inverse_stft(spec: np.ndarray, n_fft: int, hop: int, *, center: bool = True,
                 length: int | None = None) -> np.ndarray:
    """Inverse of :func:`stft`: windowed overlap-add divided by the summed squared window (as
    librosa; exact at the first and last frames too).

    Returns:
        ``[batch, samples]`` float32 waveforms (``length`` of them when given).
    """
    spec = np.asarray(spec)
    spec = spec[None] if spec.ndim == 2 else spec
    pieces = scipy.fft.irfft(spec, n=n_fft, axis=-1, workers=WORKERS).astype(np.float32, copy=False) * hann(n_fft)
    y = overlap_add(pieces, hop) / _envelope(spec.shape[1], n_fft, hop)
    if center:
        y = y[:, n_fft // 2:]
    if length is not None:
        y = y[:, :length] if y.shape[1] >= length else np.pad(y, [(0, 0), (0, length - y.shape[1])])
    return y


def overlap_add(pieces: np.ndarray, hop: int) -> np.ndarray:
    """``[batch, frames, n]`` pieces added ``hop`` apart: ``[batch, (frames - 1) * hop + n]``.
    Pieces that cannot overlap (a group ``ceil(n / hop)`` frames apart) are added at once."""
    batch, frames, n = pieces.shape
    step = -(-n // hop)
    y = np.zeros((batch, (frames - 1) * hop + n), pieces.dtype)
    for k in range(min(step, frames)):
        group = pieces[:, k::step]
        spaced = np.zeros((batch, group.shape[1], step * hop), pieces.dtype)
        spaced[:, :, :n] = group
        flat = spaced.reshape(batch, -1)[:, :(group.shape[1] - 1) * step * hop + n]
        y[:, k * hop:k * hop + flat.shape[1]] += flat
    return y


@functools.lru_cache(maxsize=8)
def _envelope(frames: int, n_fft: int, hop: int) -> np.ndarray:
    """The summed squared windows of ``frames`` frames (1 where it nears 0: nothing to divide)."""
    envelope = overlap_add(np.broadcast_to(hann(n_fft) ** 2, (1, frames, n_fft)), hop)[0]
    return np.where(envelope > 1e-8, envelope, 1.0).astype(np.float32)


def magnitude(x: np.ndarray, n_fft: int, hop: int, *, power: float = 1.0, center: bool = True) -> np.ndarray:
    """``|STFT|**power``, ``[batch, frames, bins]`` float32."""
    mag = np.abs(stft(x, n_fft, hop, center=center))
    return mag if power == 1.0 else mag**power


# ---- mel ---------------------------------------------------------------------------


def hz_to_mel(hz: np.ndarray | float, htk: bool = False) -> np.ndarray:
    """Hertz to mels (Slaney's linear/log scale by default, HTK's formula if ``htk``)."""
    hz = np.asanyarray(hz, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + hz / 700.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    return np.where(hz >= min_log_hz, min_log_mel + np.log(np.maximum(hz, 1e-10) / min_log_hz) / logstep,
                    hz / f_sp)


def mel_to_hz(mels: np.ndarray | float, htk: bool = False) -> np.ndarray:
    """Inverse of :func:`hz_to_mel`."""
    mels = np.asanyarray(mels, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (mels / 2595.0) - 1.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    return np.where(mels >= min_log_mel, min_log_hz * np.exp(logstep * (mels - min_log_mel)), f_sp * mels)


@functools.lru_cache(maxsize=32)
def mel_filterbank(sr: int, n_fft: int, n_mels: int, fmin: float = 0.0, fmax: float | None = None,
                   htk: bool = False, slaney_norm: bool = True) -> np.ndarray:
    """Triangular mel filters as ``[n_fft//2+1, n_mels]`` float32 (librosa's ``mel().T``).

    Args:
        sr: sample rate.
        n_fft: FFT length.
        n_mels: number of bands.
        fmin: lowest band edge, Hz.
        fmax: highest band edge, Hz (``sr/2`` when None).
        htk: HTK mel formula instead of Slaney's.
        slaney_norm: scale each filter to unit area (``2 / bandwidth``), as librosa does.
    """
    fmax = sr / 2 if fmax is None else fmax
    fft_freqs = np.linspace(0, sr / 2, n_fft // 2 + 1)
    edges = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    if slaney_norm:
        weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights.T.astype(np.float32)


def mel_spectrogram(x: np.ndarray, sr: int, n_fft: int, hop: int, n_mels: int, *, power: float = 2.0,
                    fmin: float = 0.0, fmax: float | None = None, center: bool = True) -> np.ndarray:
    """Mel spectrogram ``[batch, frames, n_mels]`` of ``|STFT|**power`` (librosa's default power 2)."""
    return magnitude(x, n_fft, hop, power=power, center=center) @ mel_filterbank(sr, n_fft, n_mels, fmin, fmax)


@functools.lru_cache(maxsize=16)
def _pinv(sr: int, n_fft: int, n_mels: int, fmin: float, fmax: float | None) -> np.ndarray:
    return np.linalg.pinv(mel_filterbank(sr, n_fft, n_mels, fmin, fmax)).astype(np.float32)


def mel_to_linear(mel: np.ndarray, sr: int, n_fft: int, *, method: str = "pinv", fmin: float = 0.0,
                  fmax: float | None = None) -> np.ndarray:
    """Approximate inverse of the mel projection, a non-negative linear-frequency spectrogram.

    Args:
        mel: ``[..., frames, n_mels]`` mel spectrogram (any power).
        sr: sample rate.
        n_fft: FFT length.
        method: ``"pinv"`` (the filterbank's pseudo-inverse, clipped at zero: fast) or
            ``"nnls"`` (non-negative least squares, as librosa's ``mel_to_stft``: closer,
            slower).
        fmin: lowest band edge of the filterbank, Hz.
        fmax: highest band edge, Hz (``sr / 2`` when None).

    Returns:
        ``[..., frames, n_fft//2+1]`` float32, in the power of ``mel``.
    """
    mel = np.asarray(mel, np.float32)
    if method == "pinv":
        return np.maximum(mel @ _pinv(sr, n_fft, mel.shape[-1], fmin, fmax), 0.0)
    if method != "nnls":
        raise ValueError(f"method must be 'pinv' or 'nnls', got {method!r}")
    basis = mel_filterbank(sr, n_fft, mel.shape[-1], fmin, fmax).astype(np.float64)
    flat = mel.reshape(-1, mel.shape[-1]).astype(np.float64)
    return _nnls(basis, flat).reshape(*mel.shape[:-1], basis.shape[0]).astype(np.float32)


def _nnls(basis: np.ndarray, mel: np.ndarray) -> np.ndarray:
    """``argmin_{S >= 0} ||S @ basis - mel||^2`` for every row of ``mel`` at once (L-BFGS-B,
    started from the clipped pseudo-inverse)."""
    from scipy.optimize import minimize

    start = np.maximum(mel @ np.linalg.pinv(basis), 0.0)

    def objective(s):
        s = s.reshape(start.shape)
        residual = s @ basis - mel
        return 0.5 * np.sum(residual**2), (residual @ basis.T).ravel()

    found = minimize(objective, start.ravel(), jac=True, method="L-BFGS-B", bounds=[(0, None)] * start.size,
                     options={"maxiter": 500, "ftol": 1e-12, "gtol": 1e-10})
    return found.x.reshape(start.shape)


# ---- Griffin-Lim ---------------------------------------------------------------------------


def _phase_factors(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``z / |z|``: unit complex numbers with the phases of ``z`` (0 where ``z`` is 0), into
    ``out`` when given."""
    z = np.asarray(z, np.complex64)
    return np.divide(z, np.maximum(np.abs(z), np.float32(1e-16)), out=out)


def griffin_lim(mag: np.ndarray, n_fft: int, hop: int, *, n_iter: int = 32, seed: int | Sequence[int] = 0,
                momentum: float = 0.99,
                length: int | None = None, center: bool = True, first_angles: np.ndarray | None = None) -> np.ndarray:
    """Phase retrieval by (fast) Griffin-Lim, seeded so results repeat.

    Args:
        mag: ``[batch, frames, bins]`` (or ``[frames, bins]``) STFT magnitudes.
        n_fft: FFT length used for ``mag``.
        hop: frame step used for ``mag``.
        n_iter: iterations.
        seed: seed of the random initial phases (NumPy's generator: an integer or a sequence).
        momentum: the "fast Griffin-Lim" momentum (librosa's default 0.99; 0 = classic).
        length: output length in samples.
        center: whether ``mag`` came from centred frames.
        first_angles: ``[batch, k, bins]`` complex values (e.g. the STFT of the block
            before, where it overlaps): the first ``k`` frames start from their phases, the
            rest from random ones.

    Returns:
        ``[batch, samples]`` float32 waveforms.
    """
    mag = np.asarray(mag, np.float32)
    mag = mag[None] if mag.ndim == 2 else mag
    phase = np.random.default_rng(seed).uniform(0.0, 2 * np.pi, mag.shape).astype(np.float32)
    angles = np.exp(1j * phase).astype(np.complex64)
    if first_angles is not None:
        first = _phase_factors(np.asarray(first_angles))
        angles[:, :first.shape[1]] = first[:, :mag.shape[1]]
    frames, alpha = mag.shape[1], np.float32(momentum / (1 + momentum))
    previous = np.zeros_like(angles)
    for _ in range(n_iter):
        y = inverse_stft(mag * angles, n_fft, hop, center=center, length=length)
        rebuilt = stft(y, n_fft, hop, center=center)[:, :frames]
        if rebuilt.shape[1] < frames:  # a length cut shorter than the frames reach
            rebuilt = np.pad(rebuilt, [(0, 0), (0, frames - rebuilt.shape[1]), (0, 0)])
        previous *= -alpha  # the update, rebuilt - alpha * previous, made in place
        previous += rebuilt
        _phase_factors(previous, out=angles)
        previous = rebuilt
    return inverse_stft(mag * angles, n_fft, hop, center=center, length=length)


def block_griffin_lim(magnitude: np.ndarray | Callable[[int, int], np.ndarray], frames: int, n_fft: int, hop: int, *,
                      n_iter: int = 100, seed: int = 0, block_frames: int = 4096, context_frames: int = 32,
                      fade: int = 1024) -> np.ndarray:
    """Seeded fast Griffin-Lim of a long signal, block by block, in memory bounded by the
    block, not the length.

    Each block of ``block_frames`` frames is rebuilt with ``context_frames`` more on both
    sides, starts from the phases the block before found where they overlap (its other
    frames from random phases of its own: the same draw for every block measured 0.16
    PESQ-WB worse at joins every second), and cross-fades into it over ``fade`` samples
    centred on the join.

    Args:
        magnitude: ``[frames, bins]`` STFT magnitudes, or a function ``(lo, hi) -> [1,
            hi - lo, bins]`` giving those of frames ``lo:hi`` (e.g. a mel inversion done
            block by block).
        frames: number of frames.
        n_fft: FFT length.
        hop: frame step.
        n_iter: iterations per block.
        seed: seed of the random initial phases.
        block_frames: frames rebuilt at a time; a signal no longer than one block is
            rebuilt whole, exactly as :func:`griffin_lim` would.
        context_frames: frames of context beyond each join.
        fade: cross-fade length in samples.

    Returns:
        ``[(frames - 1) * hop]`` float32 samples (centred frames).
    """
    if not callable(magnitude):
        spectrogram = np.asarray(magnitude, np.float32)
        magnitude = lambda lo, hi: spectrogram[None, lo:hi]  # noqa: E731
    y = np.zeros((frames - 1) * hop, np.float32)
    previous = None  # (first frame, waveform) of the block before
    for start in range(0, frames, block_frames):
        stop = min(start + block_frames, frames)
        lo, hi = max(0, start - context_frames), min(frames, stop + context_frames)
        # Start the frames shared with the block before from the phases it found there.
        shared = None if previous is None else stft(previous[1], n_fft, hop)[:, lo - previous[0]:]
        part = griffin_lim(magnitude(lo, hi), n_fft, hop, n_iter=n_iter, seed=seed if start == 0 else (seed, start),
                           length=(hi - lo - 1) * hop, first_angles=shared)[0]
        previous = (lo, part)
        t = lo * hop + np.arange(len(part))  # the samples `part` covers
        weight = np.ones(len(part), np.float32)
        if start > 0:
            weight *= fade_in(t - start * hop, fade)
        if stop < frames:
            weight *= 1.0 - fade_in(t - stop * hop, fade)
        y[t[0]: t[-1] + 1] += weight * part
    return y
