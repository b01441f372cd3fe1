"""A trained restorer as a tool: the gansig restorer or a thesis generator, on audio of any
length, rate and channel count, in blocks of bounded memory.

A restorer is a folder: ``restorer.json`` (the kind, the config it was trained with), the
Keras ``generator.keras`` and its export (``generator.onnx``, ``export.json``). The gansig
restorer runs the export, without TensorFlow (:mod:`gansig.runtime`); a thesis generator
runs in Keras, its front ends being TensorFlow's. The default is the shipped gansig
restorer (:func:`gansig.models.default`). The output is at the model's rate (48 kHz): a
bandwidth extension needs the band the input's rate may not have.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gansig.baselines import detect_cutoff
from gansig.data import io, signals
from gansig.errors import ConfigError, ModelError
from gansig.fileio import write_text
from gansig.papers.film import restoring
from gansig.papers.film.config import Config

FORMAT = "gansig.film/2"  # 2: the gansig restorer trained for the clean original (no fixed band gain)
SHIPPED = "film-restorer"
BLOCK_SECONDS = 20.0   # the gansig restorer's blocks (memory is bounded by this, not the length)
CONTEXT_SECONDS = 0.5
DETECT_SECONDS = 30.0  # the cut-off is detected on the first 30 s
SEGMENTS_AT_ONCE = 32  # a thesis generator's segments predicted together
MIN_CUTOFF_HZ = 50.0   # the lowest cut-off a restorer takes (the config's eval_cutoff_hz limit)
MAX_STRENGTH = 2.0     # restoring.restore's range


@dataclass
class Restorer:
    """A trained restorer.

    Attributes:
        kind: ``"gansig"`` (the gansig restorer) or ``"thesis"`` (a generator of the thesis's
            front ends, segment by segment).
        config: the config it was trained with.
        generator: the network: a Keras model (as trained), or its export (as the tool loads
            the gansig restorer).
        cutoff_hz: the cut the band starts at (None: detected from the input).
        band_ratio: the gansig restorer's predicted band energy over the true one on its
            training examples (:func:`restorer_net.band_energy_ratio`).
    """

    kind: str
    config: Config
    generator: Any
    cutoff_hz: float | None = None
    band_ratio: float = 1.0

    @property
    def rate(self) -> int:
        return self.config.rate

    def restore(self, x: np.ndarray, cutoff_hz: float | None = None, strength: float = 1.0) -> np.ndarray:
        """Restore ``[samples]`` at :attr:`rate`; the same length comes back. ``strength``
        (the gansig restorer's; see :func:`restoring.restore`) 1 is the default."""
        x = np.asarray(x, np.float32)
        if self.kind == "thesis":
            from gansig.papers.film import frontend

            segments = frontend.cut(x, self.config)
            out = [frontend.synthesise(self.generator.predict(frontend.analyse(segments[i:i + SEGMENTS_AT_ONCE],
                                                                                self.config), verbose=0), self.config)
                   for i in range(0, len(segments), SEGMENTS_AT_ONCE)]
            return frontend.join(np.concatenate(out), len(x))
        cutoff = cutoff_hz or self.cutoff_hz or detect_cutoff(x[: int(DETECT_SECONDS * self.rate)], self.rate,
                                                              n_fft=self.config.n_fft)

        def restore_block(block: np.ndarray) -> np.ndarray:
            return restoring.restore(self.generator, block, self.config, cutoff, self.band_ratio, strength)

        return signals.in_blocks(x, restore_block, int(BLOCK_SECONDS * self.rate), int(CONTEXT_SECONDS * self.rate))

    def save(self, folder: str | Path) -> Path:
        """Write ``generator.keras`` (a Keras generator), ``restorer.json`` and the export
        the tool runs (``generator.onnx``, ``export.json``) into ``folder``."""
        from gansig.fileio import save_model
        from gansig.models.export import export_folder

        folder = Path(folder)
        save_model(self.generator, folder / "generator.keras")
        write_text(folder / "restorer.json", json.dumps({
            "format": FORMAT, "kind": self.kind, "cutoff_hz": self.cutoff_hz, "band_ratio": self.band_ratio,
            "config": dataclasses.asdict(self.config)}, indent=1))
        export_folder(folder, ["generator"])
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> Restorer:
        """Read a restorer written by :meth:`save` (a gansig restorer: its export, no
        TensorFlow; a thesis generator: its Keras network).

        Raises:
            ModelError: missing or inconsistent files, or a gansig restorer not exported.
        """
        folder = Path(folder)
        meta_path = folder / "restorer.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{meta_path}: no readable restorer description ({exc}); run `python -m "
                             "gansig.papers.film reproduce` or `train` first, or pass --model") from None
        if not isinstance(meta, dict) or not str(meta.get("format", "")).startswith("gansig.film/"):
            raise ModelError(f"{meta_path}: not a film restorer")
        if meta["format"] != FORMAT:
            raise ModelError(f"{meta_path}: a restorer of an older gansig ({meta['format']}, this one reads {FORMAT}); "
                             "train it again (`python -m gansig.papers.film reproduce` or `train`)")
        try:
            fields = {k: tuple(tuple(i) if isinstance(i, list) else i for i in v) if isinstance(v, list) else v
                      for k, v in meta["config"].items()}
            config = Config(**fields)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"{meta_path}: an invalid restorer description ({exc})") from None
        if meta["kind"] == "gansig":
            from gansig.runtime.network import load_networks

            generator = load_networks(folder, ["generator"])["generator"]
        else:
            from gansig.fileio import load_model
            from gansig.papers import import_tensorflow_quietly

            import_tensorflow_quietly()
            try:
                generator = load_model(folder / "generator.keras")
            except Exception as exc:  # Keras raises many types for a bad archive
                raise ModelError(f"{folder}: cannot load the restorer ({exc})") from None
        return cls(meta["kind"], config, generator, meta.get("cutoff_hz"), float(meta.get("band_ratio", 1.0)))


def restore_file(src: str | Path, dst: str | Path, model: str | Path | None = None,
                 cutoff_hz: float | None = None, strength: float = 1.0, *, force: bool = False) -> Path:
    """Restore an audio file (any format, length, rate and channel count; each channel on
    its own, its DC offset set aside and put back) and write it at the model's rate with the
    input's channels.

    Args:
        src: the damaged recording.
        dst: where the restored one goes.
        model: a restorer folder (default: the shipped gansig restorer).
        cutoff_hz: where the input was cut (None: detected).
        strength: how much to change (the gansig restorer's): 0 the input unchanged, 1 the
            default, 2 the restored band at its predicted level (brighter, lower SNR).
        force: write over an existing ``dst``.

    Raises:
        AudioError, OutputError, ModelError, ConfigError: naming the file and the problem (a
            cut-off outside 50 Hz ... half the model's rate, a strength outside 0 ... 2, an
            input shorter than one analysis frame, a level above full scale for a format that
            cannot hold it).
    """
    io.check_audio_paths(src, dst, force=force)
    if not 0.0 <= strength <= MAX_STRENGTH:  # also refuses NaN
        raise ConfigError(f"--strength {strength:g}: must be between 0 (the input unchanged) and {MAX_STRENGTH:g}")
    if model is None:
        from gansig.models import default

        model = default(SHIPPED)
    restorer = Restorer.load(model)
    nyquist = restorer.rate / 2
    if cutoff_hz is not None and not MIN_CUTOFF_HZ <= cutoff_hz < nyquist:
        raise ConfigError(f"--cutoff {cutoff_hz:g}: must be at least {MIN_CUTOFF_HZ:g} Hz and below half the "
                          f"model's rate ({nyquist:g} Hz)")
    if strength != 1.0 and restorer.kind != "gansig":
        raise ConfigError(f"--strength: {model} is a thesis generator, which has no strength (only the gansig "
                          "restorer has)")
    x, rate = io.load(src, mono=False)
    io.check_length(x, rate, src, restorer.config.shortest_input_s, "restore")
    io.check_audio_output(dst, inputs=[src], above_full_scale=float(np.max(np.abs(x))) > 1.0, force=force)
    channels = []
    for c in range(x.shape[1]):
        channel = io.resample(x[:, c], rate, restorer.rate)
        offset = float(np.mean(channel))
        channels.append(restorer.restore(channel - offset, cutoff_hz, strength) + offset)
    return io.save(dst, np.stack(channels, axis=1) if len(channels) > 1 else channels[0], restorer.rate)
