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
import itertools
import json
from collections.abc import Iterable, Iterator
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
BLOCK_SECONDS = 10.0   # the gansig restorer's blocks: memory is bounded by this (20 s measured 120 MB more)
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
        return np.concatenate([np.zeros(0, np.float32), *self.restore_stream([x], cutoff_hz, strength)])

    def restore_stream(self, pieces: Iterable[np.ndarray], cutoff_hz: float | None = None,
                       strength: float = 1.0) -> Iterator[np.ndarray]:
        """:meth:`restore` of a signal given piece by piece, yielded piece by piece: the
        gansig restorer holds a block of :data:`BLOCK_SECONDS` and its context (the cut-off
        is detected on the first :data:`DETECT_SECONDS`), whatever the length; a thesis
        generator takes the whole signal."""
        pieces = iter(pieces)
        if self.kind == "thesis":
            yield self._restore_thesis(np.concatenate([np.zeros(0, np.float32), *pieces]))
            return
        detect, head, have = int(DETECT_SECONDS * self.rate), [np.zeros(0, np.float32)], 0
        for piece in pieces:  # the first DETECT_SECONDS, held back for the cut-off
            head.append(np.asarray(piece, np.float32).reshape(-1))
            have += len(head[-1])
            if have >= detect:
                break
        first = np.concatenate(head)
        cutoff = cutoff_hz or self.cutoff_hz or detect_cutoff(first[:detect], self.rate, n_fft=self.config.n_fft)
        block, context = int(BLOCK_SECONDS * self.rate), int(CONTEXT_SECONDS * self.rate)
        held: dict[str, np.ndarray | int] = {}  # the block being restored with its context, and where it starts

        def spans() -> Iterator[tuple[int, int, bool]]:
            start = 0
            for before, frame, after, last in signals.frames_with_edges(itertools.chain([first], pieces), block,
                                                                        context):
                held["x"], held["lo"] = np.concatenate([before, frame, after]), start - len(before)
                yield start, start + len(frame), last
                start += len(frame)

        def restored(lo: int, hi: int) -> np.ndarray:
            x = held["x"][lo - held["lo"]:hi - held["lo"]]
            x = np.pad(x, (0, hi - lo - len(x)))  # past the end: zeros
            return restoring.restore(self.generator, x, self.config, cutoff, self.band_ratio, strength)

        yield from signals.stream_spans(spans(), restored, context)

    def _restore_thesis(self, x: np.ndarray) -> np.ndarray:
        from gansig.papers.film import frontend

        x = np.asarray(x, np.float32)
        segments = frontend.cut(x, self.config)
        out = [frontend.synthesise(self.generator.predict(frontend.analyse(segments[i:i + SEGMENTS_AT_ONCE],
                                                                            self.config), verbose=0), self.config)
               for i in range(0, len(segments), SEGMENTS_AT_ONCE)]
        return frontend.join(np.concatenate(out), len(x))

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
    found = io.scan(src)  # one pass: every block checked, each channel's mean, the peak
    io.check_length(found.frames, found.rate, src, restorer.config.shortest_input_s, "restore")
    io.check_audio_output(dst, inputs=[src], above_full_scale=found.peak > 1.0, force=force)
    n_out = round(found.frames * restorer.rate / found.rate)

    def channel(c: int) -> Iterator[np.ndarray]:  # read, resampled, restored and written a block at a time
        offset = np.float32(found.means[c])
        resampled = io.resample_stream((x - offset for x in io.channel_blocks(src, c)), found.rate, restorer.rate,
                                       n_out)
        return (y + offset for y in restorer.restore_stream(resampled, cutoff_hz, strength))

    streams = [channel(c) for c in range(found.channels)]
    pieces = (p[0] if len(p) == 1 else np.stack(p, axis=1) for p in zip(*streams, strict=True))
    return io.save_stream(dst, pieces, restorer.rate, total=n_out)
