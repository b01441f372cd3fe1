"""BPGAN's front end at 16 kHz and its inverse.

Forward (as the original code): remove the mean, normalise the peak; STFT (window 512,
hop 128) magnitude times a 128-band mel matrix, divided by its maximum; natural log
clipped at -10, then ``/10 + 1`` into [0, 1] and mapped to [-1, 1]; cut into 128x128
patches (128 frames = 1.024 s). Inverse: undo the scaling, pseudo-invert the mel matrix,
and recover the phase with seeded fast Griffin-Lim, which measured better than PGHI on
real speech (benchmarks/bench_phase_retrieval.py: PESQ-WB 4.41 vs 3.82 from true mels).
Long signals are rebuilt in blocks of about 33 s (the shared
:func:`gansig.runtime.dsp.block_griffin_lim`), so decoding memory does not grow with the
length (benchmarks/bench_decode_blocks.py). Every step is a shared tool of
:mod:`gansig.runtime.dsp` (NumPy: the codec's tools import no TensorFlow) and
:mod:`gansig.data.inverse`; only the settings are BPGAN's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gansig.data import inverse, io
from gansig.runtime import dsp

RATE = 16_000
N_FFT = 512
HOP = 128
N_MELS = 128
PATCH = 128            # frames per patch: 128 x 128 / 16000 s = 1.024 s
LOG_FLOOR = -10.0
GL_BLOCK_FRAMES = 32 * PATCH   # Griffin-Lim runs on blocks of this many frames (32.8 s)
GL_CONTEXT_FRAMES = 32         # frames of context each block is rebuilt with beyond its joins
GL_FADE = 8 * HOP              # samples over which neighbouring blocks cross-fade, centred on the join


@dataclass(frozen=True)
class Normalisation:
    """What the decoder needs to undo the per-signal scaling (sent in the file header).

    Attributes:
        gain: the waveform was multiplied by this (peak normalisation).
        offset: the mean removed from the waveform.
        mel_max: the mel spectrogram was divided by this.
        n_samples: the original length.
    """

    gain: float
    offset: float
    mel_max: float
    n_samples: int


def n_frames(n_samples: int) -> int:
    """STFT frames that cover ``n_samples`` (centred frames, the last one reaching past the end)."""
    return -(-n_samples // HOP) + 1


def analyse(x: np.ndarray, *, before: np.ndarray | None = None, after: np.ndarray | None = None,
            max_frames: int | None = None) -> tuple[np.ndarray, Normalisation]:
    """A 16 kHz waveform -> ``[n_patches, 128, 128]`` patches in [-1, 1] (mel rows,
    time columns), zero-padded at the end to whole patches.

    A piece of a longer signal (a frame of a stream) is analysed as the whole signal would
    be: ``before`` and ``after`` are the samples around it that its first and last STFT
    frames reach into (up to ``N_FFT // 2`` each; fewer at the signal's ends, where the
    whole signal's analysis pads zeros), so its mel columns are the whole signal's, scaled
    by its own normalisation; ``max_frames`` caps its STFT frames at the piece's share.

    Raises:
        ValueError: an empty, silent, constant or non-finite signal.
    """
    x = np.asarray(x, np.float32)
    if not np.all(np.isfinite(x)):
        raise ValueError("cannot encode a signal with NaN or infinite samples")
    if x.size == 0 or np.ptp(x) < io.SILENT_PEAK:
        raise ValueError("cannot encode an empty, silent or constant signal (no variation above -200 dBFS)")
    offset = float(np.mean(x))
    gain = 1.0 / float(np.max(np.abs(x - offset)))
    half = N_FFT // 2
    before = np.zeros(0, np.float32) if before is None else np.asarray(before, np.float32)[-half:]
    after = np.zeros(0, np.float32) if after is None else np.asarray(after, np.float32)[:half]
    frames = n_frames(len(x)) if max_frames is None else min(max_frames, n_frames(len(x)))
    frames_needed = -(-frames // PATCH) * PATCH
    window = np.zeros((frames_needed - 1) * HOP + 2 * half, np.float32)  # what the centred frames reach
    y = (np.concatenate([before, x, after]) - offset) * gain
    start = half - len(before)
    window[start:start + len(y)] = y[:len(window) - start]
    mel = dsp.mel_spectrogram(window, RATE, N_FFT, HOP, N_MELS, power=1.0, center=False)[0]
    mel_max = float(mel.max())
    patches = inverse.frame(inverse.log_compress(mel, LOG_FLOOR, mel_max), PATCH).transpose(0, 2, 1)
    return patches.astype(np.float32), Normalisation(gain, offset, mel_max, len(x))


MEL_CEILING = N_FFT * io.MAX_PEAK  # above any mel magnitude of audio gansig encodes (a forged header may ask more)


def expand(patches: np.ndarray, norm: Normalisation) -> np.ndarray:
    """Patches -> the mel magnitudes ``[frames, 128]`` they stand for, in the waveform's own
    units (the scaling of :func:`analyse` undone but for the mean), at most
    :data:`MEL_CEILING` (so a forged frame header cannot overflow the reconstruction)."""
    joined = inverse.overlap_add(np.asarray(patches, np.float32).transpose(0, 2, 1))
    mel = inverse.log_expand(joined, LOG_FLOOR, norm.mel_max) / np.float32(norm.gain)
    return np.minimum(mel, np.float32(MEL_CEILING))


def griffin_lim(mel: np.ndarray, n_samples: int, *, n_iter: int = 100, seed: int = 0,
                block_frames: int = GL_BLOCK_FRAMES) -> np.ndarray:
    """Mel magnitudes ``[frames, 128]`` -> ``n_samples`` of waveform: the mel matrix
    pseudo-inverted, the phase found by seeded fast Griffin-Lim in blocks of
    ``block_frames`` (memory is bounded by this, not the length)."""
    y = dsp.block_griffin_lim(lambda lo, hi: dsp.mel_to_linear(mel[None, lo:hi], RATE, N_FFT), len(mel), N_FFT, HOP,
                              n_iter=n_iter, seed=seed, block_frames=block_frames, context_frames=GL_CONTEXT_FRAMES,
                              fade=GL_FADE)
    return np.pad(y[:n_samples], (0, max(0, n_samples - len(y))))


def synthesise(patches: np.ndarray, norm: Normalisation, *, n_iter: int = 100, seed: int = 0,
               block_frames: int = GL_BLOCK_FRAMES) -> np.ndarray:
    """Inverse of :func:`analyse`: patches -> 16 kHz waveform of the original length.

    Args:
        patches: ``[n_patches, 128, 128]`` patches in [-1, 1].
        norm: the scaling :func:`analyse` applied.
        n_iter: Griffin-Lim iterations.
        seed: seed of Griffin-Lim's initial phase.
        block_frames: frames rebuilt at a time (memory is bounded by this, not the length);
            a signal no longer than one block is rebuilt whole.
    """
    y = griffin_lim(expand(patches, norm), norm.n_samples, n_iter=n_iter, seed=seed, block_frames=block_frames)
    return (y + norm.offset).astype(np.float32)
