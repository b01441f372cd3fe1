"""What every loader returns: a list of audio items with their metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".aiff", ".aif", ".au", ".sph", ".mp3", ".opus")


@dataclass(frozen=True)
class AudioItem:
    """One audio file of a corpus.

    Attributes:
        path: the file.
        split: ``"train"``, ``"test"`` (or a fold name).
        speaker: speaker or source identity ("" when unknown).
        label: class label ("" when none).
        text: transcript ("" when none).
        real: recorded (True) or synthesised (False).
        extra: loader-specific fields (e.g. UrbanSound8K's start/end/salience).
    """

    path: Path
    split: str = ""
    speaker: str = ""
    label: str = ""
    text: str = ""
    real: bool = True
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def is_audio(path: Path) -> bool:
    """Whether ``path`` has a suffix of an audio format gansig reads."""
    return path.suffix.lower() in AUDIO_SUFFIXES
