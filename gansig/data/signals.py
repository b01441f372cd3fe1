"""Synthetic signals, generated reproducibly from a numpy ``Generator``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np


def time_axis(fs: float, duration: float) -> np.ndarray:
    """Sample times ``0, 1/fs, ...`` covering ``duration`` seconds (``round(fs*duration)`` samples)."""
    return np.arange(int(round(fs * duration))) / fs


def sines(frequencies: np.ndarray, fs: float, duration: float, amplitude: float = 1.0,
          phases: np.ndarray | None = None) -> np.ndarray:
    """One sine per row of ``frequencies``, summed over its last axis.

    Args:
        frequencies: ``[n]`` (one sine each) or ``[n, k]`` (a sum of k sines each), in Hz.
        fs: sample rate in Hz.
        duration: seconds.
        amplitude: peak amplitude of every component.
        phases: radians, same shape as ``frequencies``; zero when None.

    Returns:
        ``[n, samples]`` float32 signals.
    """
    freqs = np.asarray(frequencies, dtype=np.float64)
    if freqs.ndim == 1:
        freqs = freqs[:, None]
    ph = np.zeros_like(freqs) if phases is None else np.asarray(phases, dtype=np.float64).reshape(freqs.shape)
    t = time_axis(fs, duration)
    waves = amplitude * np.sin(2 * np.pi * freqs[..., None] * t + ph[..., None])
    return waves.sum(axis=1).astype(np.float32)


def rms(x: np.ndarray) -> float:
    """Root-mean-square level of a signal."""
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def set_level(x: np.ndarray, dbfs: float) -> np.ndarray:
    """``x`` scaled to an RMS level of ``dbfs`` dB re full scale (silence stays silence)."""
    return (np.asarray(x) * (10 ** (dbfs / 20) / max(rms(x), 1e-9))).astype(np.float32)


def white_noise(rng: np.random.Generator, shape: tuple[int, ...], std: float) -> np.ndarray:
    """Gaussian white noise N(0, std^2), float32."""
    return rng.normal(0.0, std, size=shape).astype(np.float32)


def noise_gain_for_snr(signal: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """Per-row gain g such that ``signal + g * noise`` has the requested SNR (dB)."""
    p_signal = np.mean(np.square(signal, dtype=np.float64), axis=-1, keepdims=True)
    p_noise = np.mean(np.square(noise, dtype=np.float64), axis=-1, keepdims=True)
    return np.sqrt(10.0 ** (-snr_db / 10.0) * p_signal / p_noise)


def mix_at_snr(signal: np.ndarray, noise: np.ndarray, snr_db: float, *,
               preserve_energy: bool = False) -> np.ndarray:
    """Mix ``noise`` into ``signal`` at ``snr_db``, row by row.

    Args:
        signal: ``[..., samples]`` clean signals.
        noise: same shape.
        snr_db: the signal-to-noise ratio of the mixture.
        preserve_energy: return ``a*s + b*n`` with ``a = 1/sqrt(1+g^2)``, ``b = g/sqrt(1+g^2)``
            (``a^2 + b^2 = 1``), the "energy preserving" mix of the sine denoiser's public
            code, instead of ``s + g*n``. The SNR is the same; the clean signal itself is
            not rescaled, so it stays the training target as generated.

    Returns:
        float32 mixtures, same shape.
    """
    g = noise_gain_for_snr(signal, noise, snr_db)
    if preserve_energy:
        norm = np.sqrt(1.0 + g**2)
        return (signal / norm + noise * (g / norm)).astype(np.float32)
    return (signal + g * noise).astype(np.float32)


def fade_in(t: np.ndarray, length: int) -> np.ndarray:
    """Raised-cosine ramp from 0 to 1 over ``length`` samples centred on ``t = 0`` (a fade in
    and the matching fade out, 1 minus it, sum to 1)."""
    r = np.clip(np.asarray(t) / length + 0.5, 0.0, 1.0)
    return (np.sin(0.5 * np.pi * r) ** 2).astype(np.float32)


def in_blocks(x: np.ndarray, fn: Callable[[np.ndarray], np.ndarray], block: int, context: int) -> np.ndarray:
    """``fn`` over a long signal in blocks of ``block`` samples, in memory bounded by the
    block: each block is processed with ``context`` samples more on both sides and joined to
    its neighbours by raised-cosine cross-fades of ``context`` samples centred on the joins.

    Args:
        x: ``[samples]``.
        fn: ``[n] -> [n]`` (same length), e.g. a restoration.
        block: samples per block (a signal no longer than one block is processed whole).
        context: samples of context on each side, and the cross-fade's length.

    Returns:
        ``[samples]`` float32.
    """
    x = np.asarray(x, np.float32)
    return np.concatenate([np.zeros(0, np.float32),
                           *stream_blocks(len(x), lambda lo, hi: fn(x[lo:hi]), block, context)])


def stream_blocks(n: int, fn: Callable[[int, int], np.ndarray], block: int, context: int) -> Iterator[np.ndarray]:
    """:func:`in_blocks` as a stream, for outputs too long to hold: ``fn(lo, hi)`` makes
    samples ``lo:hi`` of the output; the finished output is yielded in order, piece by
    piece, as soon as no later block reaches it.

    Args:
        n: samples of output.
        fn: ``(lo, hi) -> [hi - lo]`` samples.
        block: samples per block.
        context: samples of context on each side, and the cross-fade's length.

    Yields:
        Consecutive float32 pieces that together are the ``n`` samples.
    """
    spans = ((start, min(start + block, n), start + block >= n) for start in range(0, n, block))
    return stream_spans(spans, fn, context, limit=n)


def frames_with_edges(pieces: Iterable[np.ndarray], size: int,
                      edge: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, bool]]:
    """A signal given piece by piece, cut into consecutive frames of ``size`` samples (the
    last shorter), each with the ``edge`` samples before and after it (fewer at the ends):
    ``(before, frame, after, last)``, a frame given once the samples after it are in (and
    the next one's first, to know whether it is the last). Memory holds about a frame.
    """
    buffer, before, ended = np.zeros(0, np.float32), np.zeros(0, np.float32), False
    pieces = iter(pieces)
    while not ended or len(buffer):
        while not ended and len(buffer) <= size + edge:
            piece = next(pieces, None)
            ended = piece is None
            if not ended:
                buffer = np.concatenate([buffer, np.asarray(piece, np.float32).reshape(-1)])
        if not len(buffer):
            return
        frame = buffer[:size]
        yield before, frame, buffer[size:size + edge], ended and len(buffer) <= size
        before, buffer = frame[len(frame) - edge:] if edge else frame[:0], buffer[size:]


def stream_spans(spans: Iterable[tuple[int, int, bool]], fn: Callable[[int, int], np.ndarray],
                 context: int, *, limit: int | None = None) -> Iterator[np.ndarray]:
    """:func:`stream_blocks` over blocks known one at a time (a stream of unknown length):
    ``spans`` gives each block's ``(start, stop, last)``, consecutive from 0; ``fn(lo, hi)``
    is asked for context past a block's end (zeros past the output's end) unless ``limit``
    (the output's length, where it is known) caps it.

    Yields:
        Consecutive float32 pieces that together are the output up to the last block's stop.
    """
    pending, done = np.zeros(0, np.float32), 0  # output from sample `done` on, still being cross-faded
    for start, stop, last in spans:
        lo, hi = max(0, start - context), stop if last else min(stop + context, limit or stop + context)
        part = np.asarray(fn(lo, hi), np.float32)
        t = np.arange(lo, hi)
        weight = np.ones(hi - lo, np.float32)
        if start > 0:
            weight *= fade_in(t - start, context)
        if not last:
            weight *= 1.0 - fade_in(t - stop, context)
        if hi - done > len(pending):
            pending = np.concatenate([pending, np.zeros(hi - done - len(pending), np.float32)])
        pending[lo - done:hi - done] += weight * part
        final = stop if last else max(done, stop - context)  # the next block starts there
        yield pending[:final - done]
        pending, done = pending[final - done:], final
        if last:
            return
