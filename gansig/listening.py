"""Listening examples: the audio a reproduction writes for people to hear, and the small
index (``audio/index.json``) that says what each file is, so that the report
(:mod:`gansig.report`) and the notebooks can set the systems side by side.

Every system of one segment (an excerpt, an example, a class) is written at the same gain,
so loudness differences between the players are the systems' own. Each entry names its
file (relative to ``audio/``), the system, the segment, the sample rate, the bit rate the
system spent (where it transmits) and its kind: ``"audio"`` to listen to, ``"signal"`` for
signals better seen as a plot than heard (paper 5's 1-D test signals).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gansig.fileio import write_text

INDEX = "index.json"
FORMAT = 1
KINDS = ("audio", "signal")
MAX_BIT_RATE = 10_000.0  # kbit/s: above any codec (uncompressed 768 kHz 32-bit audio is 24,576; none is sent)
MAX_GAIN_DB = 200.0


@dataclass(frozen=True)
class Example:
    """One file of a listening panel.

    Attributes:
        file: path relative to the ``audio/`` folder.
        system: who made it ("original", "Codec2 3200", "GAN", ...).
        segment: the excerpt it belongs to; a panel shows one row per segment.
        rate: sample rate, Hz.
        bit_rate: kbit/s the system transmitted for it, or None for systems that transmit nothing.
        kind: ``"audio"`` (a player) or ``"signal"`` (a plot).
        gain_db: the gain the whole segment was written with (0 unless it had to be scaled
            into full scale).
    """

    file: str
    system: str
    segment: str
    rate: int
    bit_rate: float | None = None
    kind: str = "audio"
    gain_db: float = 0.0


class Examples:
    """Writes a run's listening examples into ``audio_dir`` and, on :meth:`write`, their index.

    Args:
        audio_dir: the run's ``audio/`` folder.
    """

    def __init__(self, audio_dir: str | Path):
        self.audio_dir = Path(audio_dir)
        self.examples: list[Example] = []
        self.captions: dict[str, str] = {}

    def segment(self, segment: str, signals: Mapping[str, np.ndarray], rate: int, *, stem: str = "",
                bit_rates: Mapping[str, float | None] | None = None, kind: str = "audio", caption: str = "",
                files: Mapping[str, str] | None = None) -> list[Example]:
        """Write one segment's systems at one common gain (scaled down together only where the
        loudest would clip) and index them.

        Args:
            segment: the segment's name (one panel row).
            signals: system -> samples, all of the same excerpt.
            rate: their sample rate.
            stem: file-name stem; each file is ``STEM_SYSTEM.wav`` (``SYSTEM.wav`` without a stem)
                unless ``files`` names it.
            bit_rates: system -> kbit/s spent (systems absent here transmit nothing).
            kind: ``"audio"`` or ``"signal"``.
            caption: one line saying what the segment is.
            files: system -> file name relative to ``audio/`` (overrides the stem).

        Returns:
            The new entries.
        """
        from gansig.data import io

        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        arrays = {system: np.asarray(x, np.float32).reshape(-1) for system, x in signals.items()}
        peak = max((float(np.max(np.abs(x))) for x in arrays.values() if x.size), default=0.0)
        gain = 0.99 / peak if peak > 1.0 and kind == "audio" else 1.0
        added = []
        for system, x in arrays.items():
            name = (files or {}).get(system) or "_".join(filter(None, (stem, slug(system)))) + ".wav"
            io.save(self.audio_dir / name, x * gain, rate)
            bit_rate = (bit_rates or {}).get(system)
            added.append(Example(name, system, segment, int(rate), None if bit_rate is None else round(bit_rate, 3),
                                 kind, round(20 * float(np.log10(gain)), 2)))
        self.examples += added
        if caption:
            self.captions[segment] = caption
        return added

    def index(self, segment: str, system: str, file: str, rate: int, *, bit_rate: float | None = None,
              kind: str = "audio") -> Example:
        """Index a file the run wrote by other means (e.g. a generator's own writer)."""
        example = Example(file, system, segment, int(rate), bit_rate, kind)
        self.examples.append(example)
        return example

    def write(self) -> Path:
        """Write ``audio/index.json`` (atomically)."""
        return write_text(self.audio_dir / INDEX, json.dumps({
            "format": FORMAT, "captions": self.captions, "examples": [asdict(e) for e in self.examples]}, indent=2))


def slug(name: str) -> str:
    """A file-name-safe lower-case form of a system's name ("Codec2 3200" -> "codec2_3200")."""
    out = "".join(c.lower() if c.isalnum() else "_" for c in name)
    return "_".join(part for part in out.split("_") if part) or "system"


def read_index(audio_dir: str | Path) -> tuple[list[Example], dict[str, str]] | None:
    """The examples and segment captions of ``audio_dir/index.json``, or None when the run has
    no index (results of a suite older than the index). Every field is checked: its type,
    its range (a sample rate gansig reads, a bit rate and gain that are numbers of sense, a
    known kind), a file named relative to ``audio/`` and inside it, text valid UTF-8.

    Raises:
        ValueError: an index that is not valid JSON or not in this format, naming the entry
            and the field.
    """
    from gansig.data.io import MAX_RATE, MIN_RATE
    from gansig.profiles import checked_fields

    path = Path(audio_dir) / INDEX
    if not path.is_file():
        return None
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not a listening index ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("examples"), list):
        raise ValueError(f"{path}: not a listening index of format {FORMAT} (an object with a list of examples)")
    captions = data.get("captions", {})
    if not isinstance(captions, dict) or not all(isinstance(v, str) for v in captions.values()):
        raise ValueError(f"{path}: captions must map segments to text")
    try:
        json.dumps(captions, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{path}: captions: text that is not valid UTF-8 (a lone surrogate)") from None
    examples = []
    for k, entry in enumerate(data["examples"]):
        where = f"{path}: example {k}"
        e = Example(**checked_fields(Example, entry, where))
        problem = (f"rate={e.rate!r}: must be {MIN_RATE}..{MAX_RATE} Hz" if not MIN_RATE <= e.rate <= MAX_RATE else
                   f"bit_rate={e.bit_rate!r}: must be 0..{MAX_BIT_RATE:g} kbit/s"
                   if e.bit_rate is not None and not 0 <= e.bit_rate <= MAX_BIT_RATE else
                   f"gain_db={e.gain_db!r}: must be within +-{MAX_GAIN_DB:g} dB" if abs(e.gain_db) > MAX_GAIN_DB else
                   f"kind={e.kind!r}: must be one of {', '.join(KINDS)}" if e.kind not in KINDS else
                   f"file={e.file!r}: must name a file inside audio/" if not _inside(e.file) else "")
        if problem:
            raise ValueError(f"{where}: {problem}")
        examples.append(e)
    return examples, dict(captions)


def _inside(name: str) -> bool:
    """Whether ``name`` is a relative path that stays inside its folder."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts and "\0" not in name
