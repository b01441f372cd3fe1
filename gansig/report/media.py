"""The pictures under a listening panel's players: a spectrogram of each audio file (all of
one segment on one dB scale, so their levels compare) and a plot of each signal that is
better seen than heard. Rendered with NumPy and Pillow (matplotlib only for the signal
plots): the report never loads TensorFlow."""

from __future__ import annotations

import io

import numpy as np

TOP_DB = 80.0  # the dB range a spectrogram shows below its segment's loudest bin
WIDTH, HEIGHT = 360, 140  # pixels of each picture


def spectrogram_db(x: np.ndarray, rate: int) -> np.ndarray:
    """The magnitude spectrogram of ``x`` in dB, ``[bins, frames]`` (low frequencies first):
    Hann frames of about 32 ms, a quarter-frame hop."""
    n_fft = int(2 ** max(6, round(np.log2(0.032 * rate))))
    hop = n_fft // 4
    x = np.asarray(x, np.float32).reshape(-1)
    x = np.pad(x, (n_fft // 2, n_fft // 2 + max(0, n_fft - len(x))))
    frames = np.lib.stride_tricks.sliding_window_view(x, n_fft)[::hop] * np.hanning(n_fft).astype(np.float32)
    if len(frames) > 4 * WIDTH:  # a long file: pool frames so the picture's work stays bounded
        k = len(frames) // (2 * WIDTH)
        frames = frames[: len(frames) // k * k]
        magnitude = np.abs(np.fft.rfft(frames, axis=1)).reshape(-1, k, n_fft // 2 + 1).max(axis=1)
    else:
        magnitude = np.abs(np.fft.rfft(frames, axis=1))
    return (20.0 * np.log10(np.maximum(magnitude, 1e-5))).T


def spectrogram_png(db: np.ndarray, top: float) -> bytes:
    """A spectrogram ``[bins, frames]`` as a PNG (frequency up, magma colours), ``TOP_DB``
    below ``top`` shown."""
    from matplotlib import colormaps
    from PIL import Image

    scaled = np.clip((db - (top - TOP_DB)) / TOP_DB, 0.0, 1.0)[::-1]
    rgb = colormaps["magma"](scaled, bytes=True)[..., :3]
    buffer = io.BytesIO()
    Image.fromarray(rgb).resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def signal_png(x: np.ndarray, rate: int, top: float) -> bytes:
    """A signal's waveform as a PNG, on a common amplitude scale ``±top``."""
    from gansig import plots  # matplotlib with the Agg back end

    x = np.asarray(x, np.float32).reshape(-1)
    fig, ax = plots.plt.subplots(figsize=(WIDTH / 100, HEIGHT / 100), dpi=100, layout="constrained")
    ax.plot(np.arange(len(x)) / rate, x, lw=0.8, color="#3b4cc0")
    ax.set_ylim(-top * 1.05, top * 1.05)
    ax.set_xlim(0, len(x) / rate)
    ax.tick_params(labelsize=7)
    ax.set_xlabel("s", fontsize=7, labelpad=0)
    ax.grid(alpha=0.3)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plots.plt.close(fig)
    return buffer.getvalue()
