"""The foreground sounds of ``street-default``'s ten UrbanSound8K classes: real foley
recordings where an installed Debian package has them, synthesised where none does.

Real: OpenTTD's OpenSFX (CC-BY / CC0 field recordings of a car horn, a jackhammer, buses and
trucks, a circular saw and a chainsaw), LinCity-NG's schoolyard recordings, and the music
and ambience ``street_music`` has always used. Synthesised (marked so in the manifest):
air conditioner, dog bark, gun shot and siren, which no installed package records. Every
clip then gets a real urban ambience underneath, room reverberation and band-limiting.
"""

from __future__ import annotations

import io as _io
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy import signal as sps

from gansig.data import io
from gansig.errors import DataError

RATE = 22_050
OPENSFX = Path("/usr/share/games/openttd/baseset/opensfx/opensfx.cat")
LINCITY = Path("/usr/share/games/lincity-ng/sounds")
# OpenSFX's sounds by their index in opensfx.cat (their names are printed by ``opensfx_names``).
OPENSFX_SOUNDS = {"car_horn": (35,), "drilling": (40, 56), "engine_idling": (25, 27, 28), "jackhammer": (33,)}
# 'Truck start, pull away with horn' is 'Truck start, pull away' (engine_idling's first) with an air horn added:
# the difference is the horn alone, a second car horn recording (not the truck, which is engine_idling's).
TRUCK, TRUCK_WITH_HORN = 25, 26


@dataclass(frozen=True)
class Source:
    """How one class's foreground is made.

    Attributes:
        real: recorded (True) or synthesised.
        origin: the package and recordings, or the synthesiser, in words (the manifest's
            ``source`` and ``python -m gansig.data info``).
    """

    real: bool
    origin: str


SOURCES = {
    "air_conditioner": Source(False, "synthesised: fan noise, motor hum and blade-pass tone"),
    "car_horn": Source(True, "openttd-opensfx: 'Modern car horn', and the air horn of 'Truck start, pull away with "
                             "horn' (less 'Truck start, pull away')"),
    "children_playing": Source(True, "lincity-ng: School1-3 (schoolyard recordings)"),
    "dog_bark": Source(False, "synthesised: formant-filtered voiced barks"),
    "drilling": Source(True, "openttd-opensfx: 'Sawmill' (circular saw), 'Lumber mill: Chainsaw'"),
    "engine_idling": Source(True, "openttd-opensfx: truck and bus engine recordings"),
    "gun_shot": Source(False, "synthesised: muzzle blast, thump and echoes"),
    "jackhammer": Source(True, "openttd-opensfx: 'Jackhammer' (air hammer)"),
    "siren": Source(False, "synthesised: wail and yelp sirens"),
    "street_music": Source(True, "singularity-music and sonic-pi-samples music over lincity-ng ambience"),
}


def opensfx_sounds() -> list[tuple[str, bytes]]:
    """``(description, WAV bytes)`` of every sound in OpenSFX's ``opensfx.cat`` (a table of
    ``(offset, size)`` pairs, then each sound as a length-prefixed name and a RIFF file).

    Raises:
        DataError: the file is missing or not in that format.
    """
    try:
        data = OPENSFX.read_bytes()
        count = (struct.unpack_from("<I", data, 0)[0] & 0x7FFFFFFF) // 8
        sounds = []
        for k in range(count):
            offset, size = struct.unpack_from("<II", data, 8 * k)
            offset &= 0x7FFFFFFF
            length = data[offset]
            name = data[offset + 1:offset + 1 + length].rstrip(b"\0").decode("latin-1")
            sounds.append((name, data[offset + 1 + length:offset + size]))
    except (OSError, struct.error, IndexError) as exc:
        raise DataError(f"{OPENSFX}: cannot read OpenSFX's sound archive ({exc})") from None
    return sounds


def decode(wav: bytes, rate: int = RATE) -> np.ndarray:
    """Mono float32 samples at ``rate`` of a WAV file held in memory."""
    x, file_rate = sf.read(_io.BytesIO(wav), dtype="float32", always_2d=True)
    return io.resample(x.mean(axis=1), file_rate, rate)


def recordings(cls: str) -> list[np.ndarray]:
    """The real recordings a class's clips are cut from (empty for a synthesised class)."""
    if cls in OPENSFX_SOUNDS:
        sounds = opensfx_sounds()
        found = [_trim(decode(sounds[k][1])) for k in OPENSFX_SOUNDS[cls]]
        if cls == "car_horn":
            truck, with_horn = decode(sounds[TRUCK][1]), decode(sounds[TRUCK_WITH_HORN][1])
            n = min(len(truck), len(with_horn))
            found.append(_loudest_span(with_horn[:n] - truck[:n]))
        return found
    if cls == "children_playing":
        return [io.load(p, RATE)[0] for p in sorted(LINCITY.glob("School*.wav"))]
    return []


def _trim(x: np.ndarray, floor_db: float = -50.0) -> np.ndarray:
    """``x`` without its leading and trailing near-silence."""
    loud = np.flatnonzero(np.abs(x) > np.max(np.abs(x)) * 10 ** (floor_db / 20))
    return x[loud[0]:loud[-1] + 1] if loud.size else x


def _loudest_span(x: np.ndarray, within_db: float = 10.0, frame_s: float = 0.05) -> np.ndarray:
    """The part of ``x`` from the first to the last 50 ms frame within ``within_db`` of its
    loudest frame (an event picked out of a quieter residue)."""
    n = int(frame_s * RATE)
    rms = np.sqrt(np.mean(x[:len(x) // n * n].reshape(-1, n) ** 2, axis=1))
    loud = np.flatnonzero(rms >= rms.max() * 10 ** (-within_db / 20))
    return x[loud[0] * n:(loud[-1] + 1) * n]


# ---- synthesisers: one clip's foreground, n samples at RATE ---------------------------------------


def _tone(f0: np.ndarray, harmonics: np.ndarray) -> np.ndarray:
    """A harmonic tone following the frequency track ``f0`` (Hz per sample)."""
    phase = 2 * np.pi * np.cumsum(f0) / RATE
    return sum(a * np.sin((k + 1) * phase) for k, a in enumerate(harmonics) if (k + 1) * f0.max() < RATE / 2)


def air_conditioner(n: int, rng: np.random.Generator) -> np.ndarray:
    """Steady fan noise (low-passed, gently modulated) with mains-motor hum and a blade-pass tone."""
    t = np.arange(n) / RATE
    noise = sps.sosfilt(sps.butter(2, rng.uniform(400, 1500), fs=RATE, output="sos"), rng.normal(size=n))
    noise *= 1 + 0.1 * np.sin(2 * np.pi * rng.uniform(0.2, 2) * t)
    hum_f = rng.choice([50.0, 60.0]) * rng.choice([1, 2])
    hum = _tone(np.full(n, hum_f), rng.uniform(0.2, 1.0, 6) / np.arange(1, 7))
    blade = np.sin(2 * np.pi * rng.uniform(80, 300) * t)
    return noise / noise.std() + rng.uniform(0.05, 0.4) * hum + rng.uniform(0.02, 0.2) * blade


def dog_bark(n: int, rng: np.random.Generator) -> np.ndarray:
    """One to six barks: a voiced pulse (falling pitch, 300-900 Hz) plus breath noise
    through two formants, with a sharp attack."""
    out = np.zeros(n)
    f1, f2 = rng.uniform(500, 1000), rng.uniform(1500, 3000)
    formants = [sps.butter(2, [f * 0.8, f * 1.2], btype="band", fs=RATE, output="sos") for f in (f1, f2)]
    start = int(rng.uniform(0, 0.5) * RATE)
    for _ in range(int(rng.integers(1, 7))):
        length = int(rng.uniform(0.08, 0.3) * RATE)
        if start + length >= n:
            break
        f0 = np.linspace(rng.uniform(400, 900), rng.uniform(250, 450), length)
        voiced = _tone(f0, 1 / np.arange(1, 16)) + 0.3 * rng.normal(size=length)
        shaped = sum(sps.sosfilt(sos, voiced) for sos in formants)
        envelope = np.minimum(1, np.arange(length) / (0.005 * RATE)) * np.exp(-np.arange(length) / (0.35 * length))
        out[start:start + length] += shaped * envelope * rng.uniform(0.5, 1)
        start += length + int(rng.uniform(0.1, 0.8) * RATE)
    return out


def gun_shot(n: int, rng: np.random.Generator) -> np.ndarray:
    """One to four shots: a millisecond broadband blast, a low thump, and sparse echoes."""
    out = np.zeros(n)
    times = np.sort(rng.uniform(0, 0.8 * n, int(rng.integers(1, 5)))).astype(int)
    for t0 in times:
        length = min(n - t0, int(0.25 * RATE))
        k = np.arange(length)
        blast = rng.normal(size=length) * np.exp(-k / (rng.uniform(0.003, 0.015) * RATE))
        thump = np.sin(2 * np.pi * rng.uniform(40, 120) * k / RATE) * np.exp(-k / (0.03 * RATE))
        shot = blast + rng.uniform(0.3, 1) * thump
        for _ in range(int(rng.integers(2, 6))):  # reflections off buildings
            delay = int(rng.uniform(0.02, 0.2) * RATE)
            if delay < length:
                shot[delay:] += rng.uniform(0.1, 0.4) * shot[:length - delay]
        out[t0:t0 + length] += shot
    return out


def siren(n: int, rng: np.random.Generator) -> np.ndarray:
    """An emergency siren: a slow wail or a fast yelp (600-1600 Hz sweep), square-ish
    harmonics, slowly changing level as it passes."""
    t = np.arange(n) / RATE
    period = rng.uniform(2.5, 6) if rng.random() < 0.5 else rng.uniform(0.15, 0.4)
    low, high = rng.uniform(500, 800), rng.uniform(1200, 1700)
    sweep = 0.5 - 0.5 * np.cos(2 * np.pi * t / period + rng.uniform(0, 2 * np.pi))
    tone = _tone(low + (high - low) * sweep, np.array([1, 0, 1 / 3, 0, 1 / 5, 0, 1 / 7]))
    passing = np.exp(-((t - rng.uniform(0, t[-1])) / rng.uniform(2, 8)) ** 2)
    return tone * (0.3 + passing)


SYNTHESISERS: dict[str, Callable[[int, np.random.Generator], np.ndarray]] = {
    "air_conditioner": air_conditioner, "dog_bark": dog_bark, "gun_shot": gun_shot, "siren": siren}
