"""``street-default``: a ten-class stand-in for UrbanSound8K (4 s clips at 22.05 kHz, in its
own layout and CSV format, so :func:`gansig.data.corpora.load_urbansound` reads it like the
real dataset), built from Debian packages.

``street_music`` (the SpecGAN report's class) mixes real music (Singularity's soundtrack,
Sonic Pi's loops and instrument samples) with real outdoor ambience (LinCity-NG's traffic,
market and city recordings). The other nine classes put a foreground sound
(:mod:`gansig.data.corpora.urban_sounds`: real foley where a package has it, synthesised
where none does, and marked so in the manifest) over the same real ambience. Every clip
gets room reverberation, band-limiting and a random level, so they resemble street
recordings.

Folds: no recording feeds both the training folds (1-9) and the test fold (10). A
street_music clip's fold is its music source's (slices of one recording never split across
folds, as in UrbanSound8K; the first source used goes to fold 10, the next to 9, ..., so even
a reduced build has a test fold). The foley classes and the ambience are cut from a few short
recordings, so each recording is split by time: its last ``TEST_SHARE`` feeds only the test
fold, the rest (after a gap of ``GAP_S``) only the training folds; of the recordings too short
to split (under ``MIN_SPLIT_S``), the last feeds the test fold whole and the others the
training folds (a class's two short car horns: one each). The CSV's ``sources`` column
names every clip's source stretches (``recording:train`` or ``recording:test``).
"""

from __future__ import annotations

import csv
import io as _io
import shutil
from pathlib import Path

import numpy as np
from scipy import signal as sps
from tqdm import tqdm

from gansig.data import io, signals
from gansig.data.corpora import urban_sounds
from gansig.data.corpora.manifest import Entry, require_packages, write_manifest
from gansig.data.corpora.urbansound import COLUMNS, URBANSOUND_CLASSES
from gansig.fileio import write_text

NAME = "street-default"
RATE = urban_sounds.RATE
CLIP_S = 4.0
CLIPS = {cls: 520 if cls == "street_music" else 100 for cls in URBANSOUND_CLASSES}
PACKAGES = ("singularity-music", "sonic-pi-samples", "lincity-ng", "openttd-opensfx")
LICENCES = ["singularity-music: Creative Commons licence, music by Max McCracken (see its copyright file)",
            "sonic-pi-samples: mostly CC0, a few CC-BY-SA-4.0 / MIT (see /usr/share/doc/sonic-pi-samples/copyright)",
            "lincity-ng: GPL-2+ (sounds of the LinCity-NG game)",
            "openttd-opensfx: CC-BY-3.0 / CC0 recordings from freesound.org (each credited in opensfx.cat)"]
AMBIENCE_PREFIXES = ("Trafic", "Market", "Residential", "Industry", "Build", "RailTrain", "DirtTrack", "Commune",
                     "FireStation", "Shanty", "Blacksmith")
MUSIC_PREFIXES = ("loop_", "guitar_", "tabla_", "ambi_piano", "ambi_choir")
CLASS_ORIGINS = {cls: source.origin for cls, source in urban_sounds.SOURCES.items()}  # for `gansig.data info`
NOTE = ("foley classes and ambience are cut from 1-3 (ambience: 48) short recordings, each split by time: the last "
        "35 % of a recording feeds only the test fold (10), the rest only the training folds (1-9); of those too short "
        "to split, the last feeds the test fold whole, the others the training folds; air_conditioner, "
        "dog_bark, gun_shot and siren are synthesised (no installed package records them)")
TEST_FOLD = 10
TEST_SHARE = 0.35   # the last share of each recording that feeds only the test fold
GAP_S = 0.1         # seconds left out between a recording's training and test stretches
MIN_SPLIT_S = 1.5   # recordings shorter than this are not split: each feeds one side whole


def _sources() -> tuple[list[Path], list[Path], list[Path]]:
    """Soundtrack pieces, Sonic Pi loops and instrument samples, and ambience recordings."""
    tracks = sorted(Path("/usr/share/games/singularity/music").glob("*.ogg"))
    loops = sorted(p for p in Path("/usr/share/sonic-pi/samples").glob("*.flac") if p.name.startswith(MUSIC_PREFIXES))
    ambience = sorted(p for p in urban_sounds.LINCITY.glob("*.wav") if p.name.startswith(AMBIENCE_PREFIXES))
    return tracks, loops, ambience


def stretch(x: np.ndarray, test: bool, whole_to_test: bool = False) -> np.ndarray | None:
    """The part of a recording (at ``RATE``) the test fold (``test``) or the training folds may
    use: its last ``TEST_SHARE`` or what comes before that less ``GAP_S``. A recording too
    short to split feeds one side whole: the test fold when ``whole_to_test``, else the
    training folds (None for the other side)."""
    if len(x) < MIN_SPLIT_S * RATE:
        return x if test == whole_to_test else None
    cut = int(len(x) * (1 - TEST_SHARE))
    return x[cut:] if test else x[:cut - int(GAP_S * RATE)]


def whole_to_test(recordings: list[np.ndarray]) -> list[bool]:
    """Which of a source's recordings feed the test fold whole: of those too short to split,
    the last, when there are two recordings or more (the others feed the training folds)."""
    short = [k for k, x in enumerate(recordings) if len(x) < MIN_SPLIT_S * RATE]
    return [len(recordings) > 1 and bool(short) and k == short[-1] for k in range(len(recordings))]


def _excerpt(x: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` samples of ``x``: a random window, or ``x`` looped when shorter."""
    if len(x) >= n:
        start = int(rng.integers(0, len(x) - n + 1))
        return x[start:start + n]
    return np.tile(x, int(np.ceil(n / len(x))))[:n]


def _placed(x: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """A recording in a clip of ``n`` samples: a random window of a long one; a short one
    (a horn) one to three times at random moments."""
    if len(x) >= n:
        return _excerpt(x, n, rng)
    out = np.zeros(n, np.float32)
    for _ in range(int(rng.integers(1, 4))):
        start = int(rng.integers(0, n - len(x) + 1))
        out[start:start + len(x)] += x
    return out


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


def make_clip(foreground: np.ndarray, ambience: np.ndarray, rng: np.random.Generator,
              over_ambience_db: tuple[float, float] = (-3.0, 15.0)) -> tuple[np.ndarray, int]:
    """One 4 s clip: a foreground (already ``CLIP_S`` long) over an ambience recording, with
    reverberation, band-limiting and a random level.

    Returns:
        ``(samples, salience)``: UrbanSound8K's salience, 1 (foreground) when the sound is
        at least 6 dB above the ambience, else 2 (background).
    """
    n = int(CLIP_S * RATE)
    over = rng.uniform(*over_ambience_db)
    x = signals.set_level(foreground, over) + signals.set_level(_excerpt(ambience, n, rng), 0.0)
    x = _band_limit(_reverb(x, rng), rng)
    x = signals.set_level(x, rng.uniform(-35, -15))
    return np.clip(x, -1, 1).astype(np.float32), 1 if over >= 6 else 2


def corpus_params(seed: int, max_per_source: int | None) -> dict:
    """Identifies a build (``max_per_source`` caps the clips of each class, for tests)."""
    clips = {cls: n if max_per_source is None else min(n, max_per_source) for cls, n in CLIPS.items()}
    return {"seed": seed, "clips": clips, "rate": RATE, "clip_s": CLIP_S, "version": 4,
            "test_share": TEST_SHARE, "gap_s": GAP_S, "min_split_s": MIN_SPLIT_S}


def build_corpus(root: Path, seed: int = 0, max_per_source: int | None = None) -> Path:
    """Write the clips (``audio/foldK/``), UrbanSound8K's metadata CSV and a manifest."""
    sources = require_packages(PACKAGES, NAME)
    params = corpus_params(seed, max_per_source)
    tracks, loops, ambience_files = _sources()
    music_files = tracks + loops
    if root.exists():
        shutil.rmtree(root)
    decoded: dict[Path, np.ndarray] = {}

    def audio(path: Path) -> np.ndarray:
        if path not in decoded:
            decoded[path] = io.load(path, RATE)[0]
        return decoded[path]

    n = int(CLIP_S * RATE)
    rows, entries, music_fold = [], [], {}

    def drawn(names: list[str], recordings: list[np.ndarray], test: bool,
              rng: np.random.Generator) -> tuple[np.ndarray, str]:
        """One recording's stretch for the fold (drawn among those that have one), and its
        name in the ``sources`` column."""
        whole = whole_to_test(recordings)
        usable = [k for k, x in enumerate(recordings) if stretch(x, test, whole[k]) is not None]
        k = usable[int(rng.integers(len(usable)))]
        return stretch(recordings[k], test, whole[k]), f"{names[k]}:{'test' if test else 'train'}"

    ambience = [audio(p) for p in ambience_files]
    ambience_names = [p.name for p in ambience_files]
    with tqdm(total=sum(params["clips"].values()), desc=NAME, unit="clip") as bar:
        for class_id, cls in enumerate(URBANSOUND_CLASSES):
            rng = np.random.default_rng([seed, class_id])  # each class its own stream: a class is built alike alone
            source = urban_sounds.SOURCES[cls]
            recorded = urban_sounds.recordings(cls)
            names = [f"{cls}/recording{k + 1}" for k in range(len(recorded))]
            for k in range(params["clips"][cls]):
                if cls == "street_music":
                    pool = tracks if rng.random() < 0.5 else loops  # half soundtrack music, half loops
                    music = pool[int(rng.integers(len(pool)))]
                    fold = music_fold.setdefault(music, TEST_FOLD - len(music_fold) % 10)  # one fold per source
                    bed, bed_name = drawn(ambience_names, ambience, fold == TEST_FOLD, rng)
                    clip, salience = make_clip(_excerpt(audio(music), n, rng), bed, rng)
                    fs_id = 900000 + music_files.index(music)
                    used = [f"{music.name}:fold{fold}", bed_name]
                else:
                    fold = TEST_FOLD - k % 10
                    test = fold == TEST_FOLD
                    if recorded:
                        x, name = drawn(names, recorded, test, rng)
                        speed = rng.uniform(0.9, 1.1)  # a slightly different engine, horn or saw each time
                        foreground, used = _placed(io.resample(x, int(RATE * speed), RATE), n, rng), [name]
                    else:
                        foreground, used = urban_sounds.SYNTHESISERS[cls](n, rng), [f"synthesised {cls} {k}"]
                    bed, bed_name = drawn(ambience_names, ambience, test, rng)
                    clip, salience = make_clip(foreground, bed, rng, (0.0, 20.0))
                    fs_id = 800000 + 1000 * class_id + k
                    used.append(bed_name)
                name = f"{fs_id}-{class_id}-{k}-0.wav"
                rel = f"audio/fold{fold}/{name}"
                io.save(root / rel, clip, RATE)
                rows.append({"slice_file_name": name, "fsID": fs_id, "start": 0.0, "end": CLIP_S,
                             "salience": salience, "fold": fold, "classID": class_id, "class": cls,
                             "real": int(source.real), "sources": ";".join(used)})
                entries.append(Entry(rel, f"fold{fold}", str(fs_id), source.real, " + ".join(used), CLIP_S,
                                     label=cls))
                bar.update()
    buf = _io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[*COLUMNS, "real", "sources"])  # "real": 0 for a synthesised clip
    writer.writeheader()
    writer.writerows(rows)
    write_text(root / "metadata" / "UrbanSound8K.csv", buf.getvalue())
    licences = LICENCES + [f"{cls}: {'real' if s.real else 'synthetic'}: {s.origin}"
                           for cls, s in urban_sounds.SOURCES.items()] + [f"note: {NOTE}"]
    return write_manifest(root, NAME, params, sources, licences, entries)
