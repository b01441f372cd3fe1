"""film-default: the embedded stand-in for the film thesis's custom recording, a clean "film
soundtrack" of real dialogue over a real score at 48 kHz. The thesis's damaged versions of
it (noise, low-pass cuts) are the film paper's to make (``gansig.papers.film.damage``)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np

from gansig.data import io, signals
from gansig.data.corpora.base import decode_g722
from gansig.data.corpora.manifest import Entry, require_packages, write_manifest

RATE = 48_000
NAME = "film-default"
PACKAGES = ("singularity-music", "asterisk-core-sounds-en-g722", "ffmpeg")
LICENCES = ["singularity-music: Creative Commons licence, music by Max McCracken (see "
            "/usr/share/doc/singularity-music/copyright)",
            "asterisk-core-sounds-en-g722: CC-BY-SA-3.0 (voice Allison Smith)"]
DURATION_S = 120.0


MUSIC_DIR = Path("/usr/share/games/singularity/music")
VOICE_DIR = Path("/usr/share/asterisk/sounds/en_US_f_Allison")


def read_utterance(path: Path, rate: int = RATE) -> np.ndarray:
    """One recorded utterance (G.722 through ffmpeg, anything else through soundfile),
    mono at ``rate``."""
    if path.suffix != ".g722":
        return io.load(path, rate)[0]
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "p.wav"
        decode_g722(path, wav)
        return io.load(wav, rate)[0]


def voice_track(seconds: float, rng: np.random.Generator, utterances: list[Path]) -> np.ndarray:
    """Real speech: utterances drawn in random order with pauses of 0.3-1.2 s, at 48 kHz."""
    pieces, total = [], 0
    for k in rng.permutation(len(utterances)):
        x = read_utterance(utterances[k])
        pause = np.zeros(int(RATE * rng.uniform(0.3, 1.2)), np.float32)
        pieces += [x, pause]
        total += len(x) + len(pause)
        if total >= seconds * RATE:
            break
    return np.concatenate(pieces)[: int(seconds * RATE)]


def _pick_track(rng: np.random.Generator) -> Path:
    tracks = sorted(MUSIC_DIR.glob("*.ogg"))
    return tracks[int(rng.integers(len(tracks)))]


def score_track(seed: int = 0) -> Path:
    """The singularity-music track film-default of this seed is cut from (kept out of every
    training corpus, so the film table's excerpt is music the restorer never heard)."""
    return _pick_track(np.random.default_rng(seed))


def film_clean(seed: int = 0, seconds: float = DURATION_S) -> np.ndarray:
    """A clean "film soundtrack": a music excerpt with dialogue over it, 48 kHz mono,
    peak 0.9."""
    rng = np.random.default_rng(seed)
    music, _ = io.load(_pick_track(rng), RATE)
    n = int(seconds * RATE)
    start = int(rng.integers(0, max(1, len(music) - n)))
    music = np.pad(music[start:start + n], (0, max(0, n - len(music[start:start + n]))))
    voice = voice_track(seconds, rng, sorted(VOICE_DIR.rglob("*.g722")))
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
