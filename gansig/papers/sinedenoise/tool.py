"""The trained denoiser as a tool: any-length signals, any sensible sample rate, files in
and out. Runs the exported network (:mod:`gansig.runtime`): no TensorFlow.

A denoiser is a folder: ``generator.json`` (what the tool needs: rate, frame, band, the
training mixtures' RMS), ``generator.onnx`` and ``export.json`` (the export), and the Keras
``generator.keras`` it was trained as. The default is the shipped one
(:func:`gansig.models.default`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from gansig.data import io
from gansig.errors import AudioError, ModelError
from gansig.fileio import write_text
from gansig.papers.sinedenoise.config import SIGNAL_LENGTH, Config
from gansig.runtime.network import predict

SHIPPED = "sine-denoiser"
FORMAT = "gansig.sinedenoise/1"
NETWORK = "generator"


def save_denoiser(generator, folder: Path, config: Config, input_rms: float) -> Path:
    """Save the Keras generator (``generator.keras``), the JSON description the tool needs
    (``generator.json``) and the export it runs (``generator.onnx``, ``export.json``) into
    ``folder``."""
    from gansig.fileio import save_model
    from gansig.models.export import export_folder

    folder = Path(folder)
    save_model(generator, folder / f"{NETWORK}.keras")
    write_text(folder / f"{NETWORK}.json", json.dumps({
        "format": FORMAT, "sample_rate": config.sample_rate, "frame": SIGNAL_LENGTH,
        "band_hz": [config.freq_min, config.freq_max], "input_rms": input_rms}, indent=2))
    export_folder(folder, [NETWORK])
    return folder


def load_denoiser(path: str | Path | None = None) -> tuple[Callable[[np.ndarray], np.ndarray], dict]:
    """The exported denoiser in ``path`` (a folder, or its ``generator.keras``; default the
    shipped one) and its description.

    Returns:
        ``(network, description)``: the network maps ``[n, frame, 1]`` to ``[n, frame, 1]``.

    Raises:
        ModelError: missing files, a model that is not a sine denoiser, or no export.
    """
    from gansig.runtime.network import load_networks

    if path is None:
        from gansig.models import default

        path = default(SHIPPED)
    path = Path(path)
    if not path.exists():
        raise ModelError(f"{path}: no trained denoiser here; run `python -m gansig.papers.sinedenoise reproduce` "
                         f"first or pass --model")
    folder = path.parent if path.is_file() else path  # a folder, or one of its files (generator.keras)
    meta_path = folder / f"{NETWORK}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{meta_path}: missing or unreadable model description ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelError(f"{meta_path}: not a sine-denoiser model (format {meta.get('format')!r})")
    network = load_networks(folder, [NETWORK])[NETWORK]
    if network.input_shapes[0][1:] != (meta["frame"], 1):
        raise ModelError(f"{network.path}: expects input {network.input_shapes[0]}, not frames of {meta['frame']}")
    return network, meta


def denoise_signal(network, x: np.ndarray, input_rms: float, frame: int = SIGNAL_LENGTH) -> np.ndarray:
    """Denoise a signal of any length at the model's rate with ``network`` (``[n, frame, 1]``
    in and out; exported or Keras: :func:`gansig.runtime.network.predict`).

    The signal is scaled to the training mixtures' RMS, cut into frames of ``frame``
    samples with 50% overlap, denoised, windowed with a periodic Hann window (which
    sums to one at that overlap) and added back; then scaled back.
    """
    x = np.asarray(x, np.float32)
    rms = float(np.sqrt(np.mean(x**2)))
    if rms == 0:
        return np.zeros_like(x)
    gain = input_rms / rms
    hop = frame // 2
    n_frames = int(np.ceil(len(x) / hop)) + 1
    padded = np.zeros(hop + n_frames * hop + hop, np.float32)
    padded[hop:hop + len(x)] = x * gain
    frames = np.stack([padded[i * hop:i * hop + frame] for i in range(n_frames)])
    out_frames = np.asarray(predict(network, frames[..., None]))[..., 0]
    window = np.hanning(frame + 1)[:-1].astype(np.float32)
    out = np.zeros_like(padded)
    for i, f in enumerate(out_frames):
        out[i * hop:i * hop + frame] += f * window
    return out[hop:hop + len(x)] / gain


def denoise_file(src: str | Path, dst: str | Path, model_path: str | Path | None = None, *,
                 force: bool = False) -> Path:
    """Denoise an audio file and write the result at the input's own sample rate (16-bit, or
    32-bit float where a WAV's level goes above full scale).

    Inputs at other rates are resampled to the model's 256 Hz and back; everything above
    128 Hz is therefore removed (a note says so on stderr). ``model_path``: a denoiser folder
    (default the shipped one). An existing ``dst`` is written over only with ``force``.

    Raises:
        AudioError: unreadable input, or a rate too low to hold the model's band.
        OutputError: the output cannot or must not be written (checked first).
        ModelError: no usable model.
    """
    io.check_audio_paths(src, dst, force=force)
    model, meta = load_denoiser(model_path)
    x, rate = io.load(src)
    model_rate = meta["sample_rate"]
    if rate < 2 * meta["band_hz"][1]:
        raise AudioError(f"{src}: {rate} Hz cannot hold the denoiser's {meta['band_hz'][0]:g}-{meta['band_hz'][1]:g} "
                         f"Hz band (needs at least {2 * meta['band_hz'][1]:g} Hz)")
    if rate != model_rate:
        print(f"note: {src} is resampled from {rate} Hz to the model's {model_rate} Hz and back; content above "
              f"{model_rate / 2:g} Hz is removed", file=sys.stderr)
    y = denoise_signal(model, io.resample(x, rate, model_rate), meta["input_rms"], meta["frame"])
    y = io.resample(y, model_rate, rate)[: len(x)]
    return io.save(dst, np.pad(y, (0, len(x) - len(y))), rate)
