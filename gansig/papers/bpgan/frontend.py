"""BPGAN's front end at 16 kHz and its inverse.

Forward (as the original code): remove the mean, normalise the peak; STFT (window 512,
hop 128) magnitude times a 128-band mel matrix, divided by its maximum; natural log
clipped at -10, then ``/10 + 1`` into [0, 1] and mapped to [-1, 1]; cut into 128x128
patches (128 frames = 1.024 s). Inverse: undo the scaling, pseudo-invert the mel matrix,
and recover the phase with seeded fast Griffin-Lim, which measured better than PGHI on
real speech (benchmarks/bench_phase_retrieval.py: PESQ-WB 4.41 vs 3.82 from true mels).
Long signals are rebuilt in blocks of about 33 s, each with a little context on both sides,
starting from the phases the block before found where they overlap, and cross-faded at
the joins, so decoding memory does not grow with the length
(benchmarks/bench_decode_blocks.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gansig.data import features

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


def analyse(x: np.ndarray) -> tuple[np.ndarray, Normalisation]:
    """A 16 kHz waveform -> ``[n_patches, 128, 128]`` patches in [-1, 1] (mel rows,
    time columns), zero-padded at the end to whole patches.

    Raises:
        ValueError: an empty, silent or constant signal.
    """
    x = np.asarray(x, np.float32)
    if x.size == 0 or np.ptp(x) == 0:
        raise ValueError("cannot encode an empty, silent or constant signal")
    offset = float(np.mean(x))
    gain = 1.0 / float(np.max(np.abs(x - offset)))
    y = (x - offset) * gain
    frames_needed = -(-n_frames(len(y)) // PATCH) * PATCH
    y = np.pad(y, (0, max(0, (frames_needed - 1) * HOP - len(y))))
    mel = features.mel_spectrogram(y, RATE, N_FFT, HOP, N_MELS, power=1.0).numpy()[0][:frames_needed]
    mel_max = float(mel.max())
    scaled = np.maximum(np.log(np.maximum(mel / mel_max, 1e-30)), LOG_FLOOR) / -LOG_FLOOR + 1.0
    patches = (2.0 * scaled - 1.0).reshape(-1, PATCH, N_MELS).transpose(0, 2, 1)
    return patches.astype(np.float32), Normalisation(gain, offset, mel_max, len(x))


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
    scaled = (np.asarray(patches, np.float32).transpose(0, 2, 1).reshape(-1, N_MELS) + 1.0) / 2.0
    mel = np.exp((scaled - 1.0) * -LOG_FLOOR) * norm.mel_max
    frames = len(mel)
    y = np.zeros((frames - 1) * HOP, np.float32)
    previous = None  # (first frame, waveform) of the block before
    for start in range(0, frames, block_frames):
        stop = min(start + block_frames, frames)
        lo, hi = max(0, start - GL_CONTEXT_FRAMES), min(frames, stop + GL_CONTEXT_FRAMES)
        linear = features.mel_to_linear(mel[None, lo:hi], RATE, N_FFT)
        # Start the frames shared with the block before from the phases it found there.
        shared = None if previous is None else features.stft(previous[1], N_FFT, HOP)[:, lo - previous[0]:]
        part = features.griffin_lim(linear, N_FFT, HOP, n_iter=n_iter, seed=seed, length=(hi - lo - 1) * HOP,
                                    first_angles=shared).numpy()[0]
        previous = (lo, part)
        t = lo * HOP + np.arange(len(part))  # the samples `part` covers
        weight = np.ones(len(part), np.float32)
        if start > 0:
            weight *= _fade_in(t - start * HOP)
        if stop < frames:
            weight *= 1.0 - _fade_in(t - stop * HOP)
        y[t[0]: t[-1] + 1] += weight * part
    return (y[: norm.n_samples] / norm.gain + norm.offset).astype(np.float32)


def _fade_in(t: np.ndarray) -> np.ndarray:
    """Raised-cosine ramp from 0 to 1 over ``GL_FADE`` samples centred on ``t = 0`` (a fade
    in and the matching fade out, 1 minus it, sum to 1)."""
    r = np.clip(t / GL_FADE + 0.5, 0.0, 1.0)
    return (np.sin(0.5 * np.pi * r) ** 2).astype(np.float32)
