"""A trained restorer as a tool: the gansig band predictor or a thesis generator, on audio
of any length, rate and channel count, in blocks of bounded memory.

A restorer is a folder: ``generator.keras`` and ``restorer.json`` (the kind, the config it
was trained with, the band's gain). The output is at the model's rate (48 kHz): a
bandwidth extension needs the band the input's rate may not have.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from gansig.baselines import detect_cutoff
from gansig.data import io, signals
from gansig.errors import AudioError, ConfigError, ModelError
from gansig.fileio import load_model, save_model, write_text
from gansig.papers.film import bwe, frontend
from gansig.papers.film.config import Config

FORMAT = "gansig.film/1"
DEFAULT_MODEL = Path("results", "film", "quick", "models", "gansig")
BLOCK_SECONDS = 20.0   # the gansig restorer's blocks (memory is bounded by this, not the length)
CONTEXT_SECONDS = 0.5
DETECT_SECONDS = 30.0  # the cut-off is detected on the first 30 s
SEGMENTS_AT_ONCE = 32  # a thesis generator's segments predicted together
MIN_CUTOFF_HZ = 50.0   # the lowest cut-off a restorer takes (the config's eval_cutoff_hz limit)


@dataclass
class Restorer:
    """A trained restorer.

    Attributes:
        kind: ``"gansig"`` (the band predictor) or ``"thesis"`` (a generator of the thesis's
            front ends, segment by segment).
        config: the config it was trained with.
        generator: the network.
        gain: the gansig band's amplitude gain (1 for a thesis generator).
        cutoff_hz: the cut the band starts at (None: detected from the input).
    """

    kind: str
    config: Config
    generator: keras.Model
    gain: float = 1.0
    cutoff_hz: float | None = None

    @property
    def rate(self) -> int:
        return self.config.rate

    def restore(self, x: np.ndarray, cutoff_hz: float | None = None) -> np.ndarray:
        """Restore ``[samples]`` at :attr:`rate`; the same length comes back."""
        x = np.asarray(x, np.float32)
        if self.kind == "thesis":
            segments = frontend.cut(x, self.config)
            out = [frontend.synthesise(self.generator.predict(frontend.analyse(segments[i:i + SEGMENTS_AT_ONCE],
                                                                                self.config), verbose=0), self.config)
                   for i in range(0, len(segments), SEGMENTS_AT_ONCE)]
            return frontend.join(np.concatenate(out), len(x))
        cutoff = cutoff_hz or self.cutoff_hz or detect_cutoff(x[: int(DETECT_SECONDS * self.rate)], self.rate,
                                                              n_fft=self.config.n_fft)
        if cutoff >= self.rate / 2 - self.rate / self.config.n_fft:
            return x.copy()  # nothing is missing
        return signals.in_blocks(x, lambda block: bwe.restore(self.generator, block, self.config, cutoff, self.gain),
                                 int(BLOCK_SECONDS * self.rate), int(CONTEXT_SECONDS * self.rate))

    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        save_model(self.generator, folder / "generator.keras")
        write_text(folder / "restorer.json", json.dumps({
            "format": FORMAT, "kind": self.kind, "gain": self.gain, "cutoff_hz": self.cutoff_hz,
            "config": dataclasses.asdict(self.config)}, indent=1))
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> Restorer:
        """Read a restorer written by :meth:`save`.

        Raises:
            ModelError: missing or inconsistent files.
        """
        folder = Path(folder)
        meta_path = folder / "restorer.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"{meta_path}: no readable restorer description ({exc}); run `python -m "
                             "gansig.papers.film reproduce` or `train` first, or pass --model") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ModelError(f"{meta_path}: not a film restorer")
        try:
            fields = {k: tuple(tuple(i) if isinstance(i, list) else i for i in v) if isinstance(v, list) else v
                      for k, v in meta["config"].items()}
            config = Config(**fields)
            generator = load_model(folder / "generator.keras")
        except Exception as exc:  # Keras raises many types for a bad archive
            raise ModelError(f"{folder}: cannot load the restorer ({exc})") from None
        return cls(meta["kind"], config, generator, float(meta.get("gain", 1.0)), meta.get("cutoff_hz"))


def restore_file(src: str | Path, dst: str | Path, model: str | Path = DEFAULT_MODEL,
                 cutoff_hz: float | None = None) -> Path:
    """Restore an audio file (any format, length, rate and channel count; each channel on
    its own, its DC offset set aside and put back) and write it at the model's rate with the
    input's channels.

    Raises:
        AudioError, OutputError, ModelError: naming the file and the problem (a cut-off
            outside 50 Hz ... half the model's rate, an input shorter than one analysis frame,
            a level above full scale for a format that cannot hold it).
    """
    io.check_audio_paths(src, dst)
    restorer = Restorer.load(model)
    nyquist = restorer.rate / 2
    if cutoff_hz is not None and not MIN_CUTOFF_HZ <= cutoff_hz < nyquist:
        raise ConfigError(f"--cutoff {cutoff_hz:g}: must be at least {MIN_CUTOFF_HZ:g} Hz and below half the "
                          f"model's rate ({nyquist:g} Hz)")
    x, rate = io.load(src, mono=False)
    shortest = restorer.config.n_fft / restorer.rate
    if len(x) / rate < shortest:
        raise AudioError(f"{src}: too short to restore ({len(x)} samples, {1000 * len(x) / rate:.1f} ms; at least one "
                         f"analysis frame, {1000 * shortest:.1f} ms)")
    io.check_audio_output(dst, inputs=[src], above_full_scale=float(np.max(np.abs(x))) > 1.0)
    channels = []
    for c in range(x.shape[1]):
        channel = io.resample(x[:, c], rate, restorer.rate)
        offset = float(np.mean(channel))
        channels.append(restorer.restore(channel - offset, cutoff_hz) + offset)
    return io.save(dst, np.stack(channels, axis=1) if len(channels) > 1 else channels[0], restorer.rate)
