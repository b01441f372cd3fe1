"""film-default: the embedded stand-in for the film thesis's custom recording, a clean "film
soundtrack" of real dialogue over a real score at 48 kHz. The thesis's damaged versions of
it (noise, low-pass cuts) are the film paper's to make (``gansig.papers.film.damage``)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from gansig.data import io, signals
from gansig.data.corpora.manifest import Entry, require_packages, write_manifest

RATE = 48_000
NAME = "film-default"
PACKAGES = ("singularity-music", "asterisk-core-sounds-en-g722", "ffmpeg")
LICENCES = ["singularity-music: Creative Commons licence, music by Max McCracken (see "
            "/usr/share/doc/singularity-music/copyright)",
            "asterisk-core-sounds-en-g722: CC-BY-SA-3.0 (voice Allison Smith)"]
DURATION_S = 120.0


def _voice_track(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Real speech (Asterisk's English prompts) with short pauses, at 48 kHz."""
    prompts = sorted(Path("/usr/share/asterisk/sounds/en_US_f_Allison").rglob("*.g722"))
    order = rng.permutation(len(prompts))
    pieces, total = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for k in order:
            wav = Path(tmp) / "p.wav"
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "g722", "-i", str(prompts[k]), "-ac", "1", str(wav)],
                           check=True, capture_output=True, timeout=60)
            x, _ = io.load(wav, RATE)
            pause = np.zeros(int(RATE * rng.uniform(0.3, 1.2)), np.float32)
            pieces += [x, pause]
            total += len(x) + len(pause)
            if total >= seconds * RATE:
                break
    return np.concatenate(pieces)[: int(seconds * RATE)]


def film_clean(seed: int = 0, seconds: float = DURATION_S) -> np.ndarray:
    """A clean "film soundtrack": a music excerpt with dialogue over it, 48 kHz mono,
    peak 0.9."""
    rng = np.random.default_rng(seed)
    tracks = sorted(Path("/usr/share/games/singularity/music").glob("*.ogg"))
    music, _ = io.load(tracks[int(rng.integers(len(tracks)))], RATE)
    n = int(seconds * RATE)
    start = int(rng.integers(0, max(1, len(music) - n)))
    music = np.pad(music[start:start + n], (0, max(0, n - len(music[start:start + n]))))
    voice = _voice_track(seconds, rng)
    mix = signals.set_level(voice, 0.0) + signals.set_level(music, -6.0)  # dialogue 6 dB above the score
    return (0.9 * mix / np.max(np.abs(mix))).astype(np.float32)


def corpus_params(seed: int, max_per_source: int | None) -> dict:
    """Identifies a build (``max_per_source`` caps the duration in seconds, for tests)."""
    return {"seed": seed, "seconds": DURATION_S if max_per_source is None else float(max_per_source),
            "rate": RATE, "version": 2}


def build_corpus(root: Path, seed: int = 0, max_per_source: int | None = None) -> Path:
    """Write clean.wav with a manifest into ``root``."""
    sources = require_packages(PACKAGES, NAME)
    params = corpus_params(seed, max_per_source)
    if root.exists():
        shutil.rmtree(root)
    clean = film_clean(seed, params["seconds"])
    io.save(root / "clean.wav", clean, RATE, subtype="PCM_24")
    entry = Entry("clean.wav", "clean", "", True, "singularity-music + asterisk-core-sounds-en-g722",
                  round(len(clean) / RATE, 3))
    return write_manifest(root, NAME, params, sources, LICENCES, [entry])
