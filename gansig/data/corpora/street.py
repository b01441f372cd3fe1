"""``street-default``: a stand-in for UrbanSound8K's street_music class (4 s clips at
22.05 kHz) built from Debian packages: real music (Singularity's soundtrack, Sonic Pi's
loops and instrument samples) mixed with real outdoor ambience (LinCity-NG's traffic,
market and city recordings), at random levels, with room reverberation and band-limiting
so they resemble street recordings. Written in UrbanSound8K's own layout and CSV format,
so :func:`gansig.data.corpora.load_urbansound` reads it like the real dataset."""

from __future__ import annotations

import csv
import io as _io
import shutil
from pathlib import Path

import numpy as np
from scipy import signal as sps
from tqdm import tqdm

from gansig.data import io, signals
from gansig.data.corpora.manifest import Entry, require_packages, write_manifest
from gansig.data.corpora.urbansound import COLUMNS
from gansig.fileio import write_text

NAME = "street-default"
RATE = 22_050
CLIP_S = 4.0
N_CLIPS = 520
PACKAGES = ("singularity-music", "sonic-pi-samples", "lincity-ng")
LICENCES = ["singularity-music: Creative Commons licence, music by Max McCracken (see its copyright file)",
            "sonic-pi-samples: mostly CC0, a few CC-BY-SA-4.0 / MIT (see /usr/share/doc/sonic-pi-samples/copyright)",
            "lincity-ng: GPL-2+ (sounds of the LinCity-NG game)"]
AMBIENCE_PREFIXES = ("Trafic", "Market", "Residential", "Industry", "Build", "RailTrain", "DirtTrack", "Commune",
                     "FireStation", "Shanty", "Blacksmith")
MUSIC_PREFIXES = ("loop_", "guitar_", "tabla_", "ambi_piano", "ambi_choir")


def _sources() -> tuple[list[Path], list[Path], list[Path]]:
    """Soundtrack pieces, Sonic Pi loops and instrument samples, and ambience recordings."""
    tracks = sorted(Path("/usr/share/games/singularity/music").glob("*.ogg"))
    loops = sorted(p for p in Path("/usr/share/sonic-pi/samples").glob("*.flac") if p.name.startswith(MUSIC_PREFIXES))
    ambience = sorted(p for p in Path("/usr/share/games/lincity-ng/sounds").glob("*.wav")
                      if p.name.startswith(AMBIENCE_PREFIXES))
    return tracks, loops, ambience


def _excerpt(x: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` samples of ``x``: a random window, or ``x`` looped when shorter."""
    if len(x) >= n:
        start = int(rng.integers(0, len(x) - n + 1))
        return x[start:start + n]
    return np.tile(x, int(np.ceil(n / len(x))))[:n]


def _reverb(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Convolve with an exponentially decaying noise tail (RT60 0.2-1.2 s), 10-40% wet."""
    rt60 = rng.uniform(0.2, 1.2)
    t = np.arange(int(rt60 * RATE)) / RATE
    ir = rng.normal(size=t.size) * np.exp(-6.9 * t / rt60)
    wet = sps.fftconvolve(x, ir / np.sqrt(np.sum(ir**2)))[: len(x)]
    mix = rng.uniform(0.1, 0.4)
    return (1 - mix) * x + mix * wet


def _band_limit(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random high-pass (60-300 Hz) and low-pass (3-9 kHz), like a phone or field recorder."""
    sos = sps.butter(4, [rng.uniform(60, 300), rng.uniform(3000, 9000)], btype="band", fs=RATE, output="sos")
    return sps.sosfilt(sos, x)


def make_clip(music: np.ndarray, ambience: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One 4 s street-music clip from a music and an ambience recording (both at 22.05 kHz)."""
    n = int(CLIP_S * RATE)
    m, a = _excerpt(music, n, rng), _excerpt(ambience, n, rng)
    music_over_ambience_db = rng.uniform(-3, 15)
    x = signals.set_level(m, music_over_ambience_db) + signals.set_level(a, 0.0)
    x = _band_limit(_reverb(x, rng), rng)
    x = signals.set_level(x, rng.uniform(-35, -15))
    return np.clip(x, -1, 1).astype(np.float32)


def corpus_params(seed: int, max_per_source: int | None) -> dict:
    """Identifies a build (``max_per_source`` caps the number of clips, for tests)."""
    return {"seed": seed, "clips": N_CLIPS if max_per_source is None else max_per_source, "rate": RATE,
            "clip_s": CLIP_S, "version": 1}


def build_corpus(root: Path, seed: int = 0, max_per_source: int | None = None) -> Path:
    """Write the clips (``audio/foldK/``), UrbanSound8K's metadata CSV and a manifest."""
    sources = require_packages(PACKAGES, NAME)
    params = corpus_params(seed, max_per_source)
    rng = np.random.default_rng(seed)
    tracks, loops, ambience_files = _sources()
    music_files = tracks + loops
    if root.exists():
        shutil.rmtree(root)
    decoded: dict[Path, np.ndarray] = {}

    def audio(path: Path) -> np.ndarray:
        if path not in decoded:
            decoded[path] = io.load(path, RATE)[0]
        return decoded[path]

    rows, entries = [], []
    for k in tqdm(range(params["clips"]), desc=NAME, unit="clip"):
        pool = tracks if rng.random() < 0.5 else loops  # half soundtrack music, half loops and instruments
        music = pool[int(rng.integers(len(pool)))]
        ambience = ambience_files[int(rng.integers(len(ambience_files)))]
        fs_id = 900000 + music_files.index(music)  # one "freesound id" per music source, like UrbanSound8K
        fold = k % 10 + 1
        name = f"{fs_id}-9-{k}-0.wav"
        rel = f"audio/fold{fold}/{name}"
        io.save(root / rel, make_clip(audio(music), audio(ambience), rng), RATE)
        rows.append({"slice_file_name": name, "fsID": fs_id, "start": 0.0, "end": CLIP_S,
                     "salience": int(rng.integers(1, 3)), "fold": fold, "classID": 9, "class": "street_music"})
        entries.append(Entry(rel, f"fold{fold}", str(fs_id), True, f"{music.name} + {ambience.name}", CLIP_S))
    buf = _io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    write_text(root / "metadata" / "UrbanSound8K.csv", buf.getvalue())
    return write_manifest(root, NAME, params, sources, LICENCES, entries)
