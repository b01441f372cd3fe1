"""The thesis's derived film dataset (section 3.2), from any clean recording.

From one clean mono recording: the clean sound; white noise alone; clean + white noise
(the discriminator's "original", since an old film's hiss is part of its character); and
seven damaged versions of the noisy sound with everything above 150, 250, 500, 1000,
1500, 2000 and 3000 Hz removed (the generator's inputs).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from gansig.data import io, signals
from gansig.data.corpora.manifest import Entry, require_packages, write_manifest

CUTOFFS_HZ = (150, 250, 500, 1000, 1500, 2000, 3000)
RATE = 48_000


def remove_above(x: np.ndarray, rate: int, cutoff_hz: float) -> np.ndarray:
    """Remove every component above ``cutoff_hz`` (an ideal brick-wall low-pass by FFT).

    The thesis says the frequencies above each limit were "cut"; zeroing them in the
    spectrum does exactly that, with no pass-band ripple or phase shift.
    """
    spectrum = np.fft.rfft(np.asarray(x, np.float64))
    spectrum[np.fft.rfftfreq(len(x), 1.0 / rate) > cutoff_hz] = 0.0
    return np.fft.irfft(spectrum, n=len(x)).astype(np.float32)


def derive_film_set(clean: np.ndarray, rate: int = RATE, *, noise_rms_dbfs: float = -30.0, seed: int = 0,
                    cutoffs_hz: tuple[float, ...] = CUTOFFS_HZ) -> dict[str, np.ndarray]:
    """Section 3.2's ten signals from one clean recording.

    Args:
        clean: mono samples in [-1, 1].
        rate: their sample rate.
        noise_rms_dbfs: the white noise's RMS level in dB re full scale. The thesis's "30
            RMS white noise" does not say on which scale; we read it as -30 dBFS RMS (a
            clearly audible hiss). Its other plausible reading, 30 on a 16-bit integer
            scale, is -60.8 dBFS.
        seed: seed of the noise.
        cutoffs_hz: the damaged versions' cut-off frequencies.

    Returns:
        ``{"clean", "noise", "noisy", "cut_150", ..., "cut_3000"}`` -> float32 arrays.
    """
    clean = np.asarray(clean, np.float32)
    noise = np.random.default_rng(seed).normal(0.0, 10 ** (noise_rms_dbfs / 20), size=clean.shape)
    noise = noise.astype(np.float32)
    noisy = clean + noise
    derived = {"clean": clean, "noise": noise, "noisy": noisy}
    derived.update({f"cut_{c:g}": remove_above(noisy, rate, c) for c in cutoffs_hz})
    return derived


def write_film_set(src: str | Path, out_dir: str | Path, *, noise_rms_dbfs: float = -30.0,
                   seed: int = 0) -> list[Path]:
    """Read a clean recording (any format/rate; resampled to 48 kHz mono) and write the
    derived set as 24-bit WAVs into ``out_dir``.

    Raises:
        AudioError: the recording cannot be used.
    """
    clean, _ = io.load(src, RATE)
    peak = float(np.max(np.abs(clean)))
    if peak > 1.0:
        clean = clean / peak
    out = Path(out_dir)
    return [io.save(out / f"{name}.wav", x, RATE, subtype="PCM_24")
            for name, x in derive_film_set(clean, RATE, noise_rms_dbfs=noise_rms_dbfs, seed=seed).items()]


# ---- film-default: the embedded stand-in for the thesis's custom recording -----------

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
            "noise_rms_dbfs": -30.0, "rate": RATE, "version": 1}


def build_corpus(root: Path, seed: int = 0, max_per_source: int | None = None) -> Path:
    """Write clean.wav and its derived set (section 3.2) with a manifest into ``root``."""
    sources = require_packages(PACKAGES, NAME)
    params = corpus_params(seed, max_per_source)
    if root.exists():
        shutil.rmtree(root)
    clean = film_clean(seed, params["seconds"])
    entries = []
    for name, x in derive_film_set(clean, RATE, noise_rms_dbfs=params["noise_rms_dbfs"], seed=seed).items():
        io.save(root / f"{name}.wav", x, RATE, subtype="PCM_24")
        entries.append(Entry(f"{name}.wav", name, "", True, "singularity-music + asterisk-core-sounds-en-g722",
                             round(len(x) / RATE, 3)))
    return write_manifest(root, NAME, params, sources, LICENCES, entries)
