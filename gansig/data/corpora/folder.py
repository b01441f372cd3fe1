"""A plain folder (recursively) of audio files: the user's own data."""

from __future__ import annotations

from pathlib import Path

from gansig.data import io
from gansig.data.corpora.base import AudioItem, is_audio
from gansig.errors import DataError


def load_folder(root: str | Path, split: str = "") -> list[AudioItem]:
    """Every audio file under ``root``, sorted, each checked from its header before any
    work (:func:`gansig.data.io.probe`); the parent folder's name is the label.

    Raises:
        DataError: ``root`` is missing or holds no audio files.
        AudioError: a file that cannot be read (named).
    """
    root = Path(root)
    if not root.is_dir():
        raise DataError(f"{root}: {'is a file, not a folder' if root.exists() else 'no such folder'}")
    files = sorted(p for p in root.rglob("*") if p.is_file() and is_audio(p))
    if not files:
        raise DataError(f"{root}: holds no audio files (looked for .wav, .flac, .ogg, ...)")
    for path in files:
        io.probe(path)
    return [AudioItem(p, split=split, label=p.parent.name if p.parent != root else "") for p in files]
