"""What every loader returns (a list of audio items with their metadata), and the command-line
tools corpora are built with."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from gansig.errors import AudioError

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


def run_tool(cmd: list[str], stdin: str | None = None) -> None:
    """Run a command-line decoder or synthesiser a corpus is built with.

    Raises:
        AudioError: it failed (with the start of its error output).
    """
    done = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise AudioError(f"{cmd[0]} failed: {done.stderr.strip()[:300]}")


def decode_g722(src: str | Path, wav: str | Path) -> None:
    """A raw G.722 file (Asterisk's prompts) decoded by ffmpeg into a mono WAV."""
    run_tool(["ffmpeg", "-v", "error", "-y", "-f", "g722", "-i", str(src), "-ac", "1", str(wav)])
