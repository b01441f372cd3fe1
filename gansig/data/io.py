"""Audio in and out: any format soundfile reads, mono mix-down, soxr resampling, checks.

Every problem with an input file raises :class:`gansig.errors.AudioError` naming the
file. Writes are atomic (a temporary file renamed into place).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from gansig.errors import AudioError
from gansig.fileio import atomic_path

MIN_RATE, MAX_RATE = 100, 768_000


def resample(x: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Resample ``[samples]`` or ``[samples, channels]`` audio with soxr (high quality)."""
    if rate_in == rate_out:
        return np.asarray(x, dtype=np.float32)
    return soxr.resample(np.asarray(x, dtype=np.float32), rate_in, rate_out, quality="HQ").astype(np.float32)


def check_audio(x: np.ndarray, rate: int, source: str | os.PathLike = "<array>", *,
                allow_silent: bool = False) -> None:
    """Raise :class:`AudioError` if ``x`` cannot be processed.

    Args:
        x: samples.
        rate: sample rate in Hz.
        source: the file name used in the message.
        allow_silent: accept an all-zero signal.

    Raises:
        AudioError: empty, non-finite, silent, or an absurd sample rate.
    """
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioError(f"{source}: sample rate {rate} Hz is outside {MIN_RATE}..{MAX_RATE} Hz")
    if x.size == 0:
        raise AudioError(f"{source}: contains no samples")
    if not np.all(np.isfinite(x)):
        raise AudioError(f"{source}: contains NaN or infinite samples")
    if not allow_silent and not np.any(x):
        raise AudioError(f"{source}: is silent (every sample is zero)")


def load(path: str | os.PathLike, rate: int | None = None, *, mono: bool = True,
         allow_silent: bool = False) -> tuple[np.ndarray, int]:
    """Read an audio file as float32, mixed to mono and resampled if asked.

    Args:
        path: any file soundfile (libsndfile) reads: WAV, FLAC, OGG, NIST SPHERE, ...
        rate: target sample rate; the file's own when None.
        mono: average the channels.
        allow_silent: accept an all-zero file.

    Returns:
        ``(samples, rate)``; samples ``[n]`` when mono, else ``[n, channels]``.

    Raises:
        AudioError: missing, unreadable, empty, silent or non-finite file.
    """
    path = Path(path)
    if not path.is_file():
        raise AudioError(f"{path}: no such file")
    try:
        x, file_rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioError(f"{path}: not a readable audio file ({exc})") from None
    check_audio(x, file_rate, path, allow_silent=allow_silent)
    if mono:
        x = x.mean(axis=1)
    if rate is not None and rate != file_rate:
        x = resample(x, file_rate, rate)
        file_rate = rate
    return x.astype(np.float32), int(file_rate)


def save(path: str | os.PathLike, x: np.ndarray, rate: int, *, subtype: str = "PCM_16",
         normalise: bool = False) -> Path:
    """Write audio atomically (format from the suffix; WAV 16-bit by default).

    Args:
        path: destination.
        x: ``[n]`` or ``[n, channels]`` float samples (clipped to [-1, 1] for PCM subtypes).
        rate: sample rate.
        subtype: soundfile subtype.
        normalise: scale to a 0.99 peak first (for signals not in [-1, 1]).

    Returns:
        The path written.

    Raises:
        AudioError: the samples cannot be written (empty, NaN, bad rate).
    """
    x = np.asarray(x, dtype=np.float32)
    check_audio(x, rate, path, allow_silent=True)
    if normalise and np.any(x):
        x = 0.99 * x / np.max(np.abs(x))
    if subtype.startswith("PCM"):
        x = np.clip(x, -1.0, 1.0)  # integer formats cannot hold more
    with atomic_path(path) as tmp:
        sf.write(str(tmp), x, rate, subtype=subtype)
    return Path(path)
