"""TIMIT in its LDC layout: ``TRAIN|TEST/DR1..DR8/<speaker>/<utterance>.WAV`` (NIST SPHERE,
read by soundfile) with ``.TXT`` transcripts (and ``.PHN``/``.WRD``, unused here)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from gansig.data.corpora.base import AudioItem
from gansig.errors import DataError

SPLITS = ("train", "test", "core-test")
DIALECT_REGIONS = tuple(f"dr{i}" for i in range(1, 9))

# The standard 24-speaker core test set (two men and one woman per dialect region).
TIMIT_CORE_TEST_SPEAKERS = frozenset({
    "mdab0", "mwbt0", "felc0", "mtas1", "mwew0", "fpas0", "mjmp0", "mlnt0", "fpkt0", "mlll0", "mtls0", "fjlm0",
    "mbpm0", "mklt0", "fnlp0", "mcmj0", "mjdh0", "fmgd0", "mgrt0", "mnjm0", "fdhc0", "mjln0", "mpam0", "fmld0",
})


def _child(folder: Path, name: str) -> Path | None:
    """``folder/name`` matched case-insensitively (TIMIT copies differ in case)."""
    for entry in folder.iterdir():
        if entry.name.lower() == name:
            return entry
    return None


def _corpus_root(root: Path) -> Path:
    if not root.is_dir():
        problem = "is a file, not a folder" if root.exists() else "no such folder"
        raise DataError(f"{root}: {problem} (expected a TIMIT copy with TRAIN/ and TEST/)")
    for candidate in (root, _child(root, "timit"), _child(root, "data")):
        if candidate is not None and candidate.is_dir() and (_child(candidate, "train") or _child(candidate, "test")):
            return candidate
    raise DataError(f"{root}: not a TIMIT copy: no TRAIN/ or TEST/ folder (LDC layout expected)")


def _read_transcript(path: Path) -> str:
    # "<start sample> <end sample> <words>"
    parts = path.read_text(encoding="utf-8", errors="replace").split(maxsplit=2)
    return parts[2].strip() if len(parts) == 3 else ""


TIMIT_SPEAKER = re.compile(r"^[mf][a-z]{3}\d$")


def _annotations(base: Path) -> dict[str, dict]:
    """Per-file annotations of an embedded corpus written in TIMIT's layout (its
    ``metadata.csv``: real/synthetic flag and source); empty for a real TIMIT copy."""
    meta = base / "metadata.csv"
    if not meta.is_file():
        return {}
    with open(meta, newline="", encoding="utf-8") as f:
        return {row["path"]: row for row in csv.DictReader(f)}


def load_timit(root: str | Path, split: str = "train", *, include_sa: bool = False) -> list[AudioItem]:
    """The utterances of one TIMIT split.

    Args:
        root: the TIMIT folder (containing TRAIN/ and TEST/, any case).
        split: ``"train"``, ``"test"`` (the full 168-speaker test set) or ``"core-test"``
            (the 24 core speakers).
        include_sa: keep the two dialect "SA" sentences every speaker reads (usually
            excluded because they repeat across speakers).

    Returns:
        Items with ``speaker`` (e.g. ``"fcjf0"``), ``text`` and ``extra["dialect"]``.

    Raises:
        DataError: not a TIMIT copy, the split's folder or a dialect region missing, an
            utterance without its transcript, or no utterances.
    """
    if split not in SPLITS:
        raise DataError(f"unknown TIMIT split {split!r}; choose one of {', '.join(SPLITS)}")
    base = _corpus_root(Path(root))
    folder = _child(base, "train" if split == "train" else "test")
    if folder is None:
        raise DataError(f"{base}: has no {'TRAIN' if split == 'train' else 'TEST'}/ folder (partial TIMIT copy?)")
    missing = [dr.upper() for dr in DIALECT_REGIONS if _child(folder, dr) is None]
    if missing:
        raise DataError(f"{folder}: missing dialect region folder(s) {', '.join(missing)} (partial TIMIT copy?)")
    annotations = _annotations(base)
    items, orphans = [], []
    for dr in DIALECT_REGIONS:
        for speaker_dir in sorted(p for p in _child(folder, dr).iterdir() if p.is_dir()):
            speaker = speaker_dir.name.lower()
            if split == "core-test" and speaker not in TIMIT_CORE_TEST_SPEAKERS:
                continue
            # "SA1.WAV", not converted copies such as "SA1.WAV.wav".
            wavs = sorted(p for p in speaker_dir.iterdir() if p.suffix.lower() == ".wav" and "." not in p.stem)
            for wav in wavs:
                if not include_sa and wav.stem.lower().startswith("sa"):
                    continue
                txt = next((p for p in speaker_dir.iterdir() if p.name.lower() == wav.stem.lower() + ".txt"), None)
                if txt is None:
                    orphans.append(wav)
                    continue
                note = annotations.get(wav.relative_to(base).as_posix(), {})
                extra = {"dialect": dr.upper(), "source": note.get("source", "TIMIT")}
                if TIMIT_SPEAKER.match(speaker):
                    extra["sex"] = speaker[0].upper()
                items.append(AudioItem(wav, split=split, speaker=speaker, text=_read_transcript(txt),
                                       real=note.get("real", "True") == "True", extra=extra))
    if orphans:
        shown = ", ".join(str(p) for p in orphans[:3])
        raise DataError(f"{len(orphans)} TIMIT utterance(s) without a .TXT transcript, e.g. {shown}")
    if not items:
        raise DataError(f"{folder}: no utterances found for split {split!r}")
    return items
