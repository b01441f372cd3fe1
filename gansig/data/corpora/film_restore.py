"""film-restore: the training corpus of the film paper's restorer (the tool, not the
thesis's rows): real music, real speech and speech over music at 48 kHz, in 8 s clips.

Sources, all distinct from what the film table is scored on (film-default: one singularity
track with Asterisk's English voice over it):

- music: Warzone 2100's three soundtrack albums (48 kHz Opus), LinCity-NG's three tracks
  (two composers) and singularity-music's other fourteen tracks (never film-default's);
- speech: the Czech voice actors of Fish Fillets NG (22 kHz) and Asterisk's French,
  Spanish and Italian voices (G.722, 16 kHz): recorded speech is band-limited at its
  source, so above 8-11 kHz the speech clips teach that speech has nothing to restore;
- dialogue: one of those voices over one of those scores, 6-18 dB below it.

Each clip is peak-normalised to 0.9 and written as 24-bit FLAC; its kind is its ``label``,
its music or voice its ``speaker``. The damage (cut-off, filter, noise) is drawn per
example when the restorer trains (``gansig.papers.film.damage.random_damage``), not here.
The ``wesnoth`` music packages are deliberately not used: they are kept for independent
checks of the suite.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Collection
from pathlib import Path

import numpy as np
import soundfile as sf

from gansig.data import io, signals
from gansig.data.corpora import film
from gansig.data.corpora.manifest import Entry, require_packages, write_manifest

NAME = "film-restore"
RATE = film.RATE
CLIP_S = 8.0
CLIPS = {"music": 96, "dialogue": 96, "speech": 48}  # 32 min in all
PACKAGES = ("warzone2100-music", "lincity-ng", "singularity-music", "fillets-ng-data-cs",
            "asterisk-core-sounds-fr-g722", "asterisk-core-sounds-es-g722", "asterisk-core-sounds-it-g722", "ffmpeg")
LICENCES = [
    "warzone2100-music: GPL-2+ (original and legacy soundtracks); the Aftermath soundtrack CC-BY-SA-3.0 or GPL-2+, "
    "LupusMechanicus (see /usr/share/games/warzone2100/music/albums/*/license.txt)",
    "lincity-ng: music by pronobozo and Robert van Herk, GPL-2+ (see /usr/share/doc/lincity-ng/copyright)",
    "singularity-music: Creative Commons licence, music by Max McCracken "
    "(see /usr/share/doc/singularity-music/copyright)",
    "fillets-ng-data-cs: Czech voices of Fish Fillets NG, GPL-2+ (see /usr/share/doc/fillets-ng-data-cs/copyright)",
    "asterisk-core-sounds-{fr,es,it}-g722: CC-BY-SA-3.0 (voices June, Allison (Spanish), Carlo)",
]
MUSIC = {"warzone2100": ("warzone2100-music", "/usr/share/games/warzone2100/music/albums", "*/*.opus"),
         "lincity-ng": ("lincity-ng", "/usr/share/games/lincity-ng/music", "*/*.ogg"),
         "singularity": ("singularity-music", str(film.MUSIC_DIR), "*.ogg")}
VOICES = {"fillets-cs": ("fillets-ng-data-cs", "/usr/share/games/fillets-ng/sound", "*/cs/*.ogg"),
          "asterisk-fr": ("asterisk-core-sounds-fr-g722", "/usr/share/asterisk/sounds/fr_CA_f_June", "**/*.g722"),
          "asterisk-es": ("asterisk-core-sounds-es-g722", "/usr/share/asterisk/sounds/es_MX_f_Allison", "**/*.g722"),
          "asterisk-it": ("asterisk-core-sounds-it-g722", "/usr/share/asterisk/sounds/it_IT_m_Carlo", "**/*.g722")}
SOURCE_PACKAGE = {name: package for name, (package, _, _) in (MUSIC | VOICES).items()}


def _files(where: dict[str, tuple[str, str, str]], exclude: Collection[Path] = ()) -> dict[str, list[Path]]:
    return {name: sorted(p for p in Path(folder).glob(pattern) if p not in exclude)
            for name, (_, folder, pattern) in where.items()}


def music_excerpt(tracks: dict[str, list[Path]], rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """``CLIP_S`` seconds of one track (a source, then a track, then a start drawn at random),
    mono at 48 kHz, and ``source:track``."""
    source = sorted(tracks)[int(rng.integers(len(tracks)))]
    path = tracks[source][int(rng.integers(len(tracks[source])))]
    info = sf.info(str(path))
    need = int(np.ceil(CLIP_S * info.samplerate)) + 1
    start = int(rng.integers(0, max(1, info.frames - need)))
    x, rate = sf.read(str(path), start=start, frames=need, dtype="float32", always_2d=True)
    x = io.resample(x.mean(axis=1), rate, RATE)[: int(CLIP_S * RATE)]
    return np.pad(x, (0, int(CLIP_S * RATE) - len(x))), f"{source}:{path.stem}"


def speech_excerpt(voices: dict[str, list[Path]], rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """``CLIP_S`` seconds of one voice's utterances with pauses, at 48 kHz, and the voice."""
    voice = sorted(voices)[int(rng.integers(len(voices)))]
    return film.voice_track(CLIP_S, rng, voices[voice]), voice


def clip(kind: str, tracks: dict[str, list[Path]], voices: dict[str, list[Path]],
         rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    """One clip of ``kind`` (music, speech or dialogue), peak 0.9, and its sources."""
    if kind == "music":
        x, music = music_excerpt(tracks, rng)
        sources = [music]
    elif kind == "speech":
        x, voice = speech_excerpt(voices, rng)
        sources = [voice]
    else:
        (voice_x, voice), (music_x, music) = speech_excerpt(voices, rng), music_excerpt(tracks, rng)
        x = signals.set_level(voice_x, 0.0) + signals.set_level(music_x, -float(rng.uniform(6.0, 18.0)))
        sources = [voice, music]
    peak = float(np.max(np.abs(x)))
    return (0.9 * x / max(peak, 1e-9)).astype(np.float32), sources


def corpus_params(seed: int, max_per_source: int | None) -> dict:
    """Identifies a build (``max_per_source`` caps the clips of each kind, for tests)."""
    counts = {k: n if max_per_source is None else min(n, max_per_source) for k, n in CLIPS.items()}
    return {"seed": seed, "clips": counts, "clip_s": CLIP_S, "rate": RATE,
            "excluded": film.score_track(seed).name, "version": 1}


def build_corpus(root: Path, seed: int = 0, max_per_source: int | None = None) -> Path:
    """Write ``clips/*.flac`` with a manifest into ``root``."""
    versions = require_packages(PACKAGES, NAME)
    params = corpus_params(seed, max_per_source)
    if root.exists():
        shutil.rmtree(root)
    tracks = _files(MUSIC, exclude={film.score_track(seed)})
    voices = _files(VOICES)
    for name, found in (tracks | voices).items():
        if not found:
            raise FileNotFoundError(f"{NAME}: no audio of {name} found (is {SOURCE_PACKAGE[name]} installed?)")
    rng = np.random.default_rng(seed)
    entries = []
    kinds = [kind for kind, n in params["clips"].items() for _ in range(n)]
    for i, kind in enumerate(kinds):
        x, sources = clip(kind, tracks, voices, rng)
        path = f"clips/{i:04d}_{kind}.flac"
        io.save(root / path, x, RATE, subtype="PCM_24")
        packages = " + ".join(dict.fromkeys(SOURCE_PACKAGE[s.split(":")[0]] for s in sources))
        entries.append(Entry(path, "train", " + ".join(sources), True, packages, CLIP_S, label=kind))
        if (i + 1) % 24 == 0:
            print(f"{NAME}: {i + 1}/{len(kinds)} clips", file=sys.stderr, flush=True)
    return write_manifest(root, NAME, params, versions, LICENCES, entries)
