"""A seeded fuzz of the .bpg reader: thousands of random mutations and truncations, and forged
headers with valid checksums. Read strictly, every one is refused with a BitstreamError naming
the file, or decodes into audio of the length and rate its frames claim; decoded with warnings,
a damaged one gives the frames it holds (damaged ones as silence) or an error naming it: no
other exception, no garbage."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import struct
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from helpers import speech_like

from gansig.errors import BitstreamError
from gansig.papers.bpgan import bitstream
from gansig.papers.bpgan.codec import Codec, describe_file

GOLDEN_CODEC = Path(__file__).parent / "golden" / "bpgan_smoke_codec"
SOURCE = "fuzz.bpg"


@pytest.fixture(scope="module")
def codec():
    return Codec.load(GOLDEN_CODEC)


@pytest.fixture(scope="module")
def originals(codec):
    """Files of one frame, and one of three (frames of one patch)."""
    framed = dataclasses.replace(codec, config=dataclasses.replace(codec.config, frame_patches=1))
    return [c.encode(speech_like(seconds, rate, seed=seed), rate, search=False)
            for c, seconds, rate, seed in ((codec, 0.4, 16000, 1), (framed, 2.2, 22050, 2), (codec, 1.0, 8000, 3))]


def _mutate(data: bytes, rng: np.random.Generator) -> bytes:
    b = bytearray(data)
    kind = rng.integers(6)
    if kind == 0:  # flip bits
        for i in rng.integers(0, len(b), size=rng.integers(1, 8)):
            b[i] ^= 1 << int(rng.integers(8))
    elif kind == 1:  # truncate
        b = b[: rng.integers(0, len(b))]
    elif kind == 2:  # append
        b += rng.bytes(int(rng.integers(1, 64)))
    elif kind == 3:  # delete a range
        i = int(rng.integers(0, len(b)))
        del b[i: i + int(rng.integers(1, 16))]
    elif kind == 4:  # insert
        i = int(rng.integers(0, len(b)))
        b[i:i] = rng.bytes(int(rng.integers(1, 16)))
    else:  # overwrite a stretch of the stream header or the first frame's
        i = int(rng.integers(0, bitstream.STREAM_BYTES + bitstream.FRAME_BYTES))
        b[i: i + 8] = rng.bytes(8)
    return bytes(b)


EXTREMES = {"u32": (0, 1, 2**31, 2**32 - 1), "u16": (0, 1, 64, 65, 2**16 - 1),
            "f32": (0.0, -0.0, -1.0, 1e-45, 1e-30, 3.0e38, float("inf"), -float("inf"), float("nan"))}
STREAM_FIELDS = {"sample_rate": "u32", "frame_patches": "u16"}
FRAME_FIELDS = {"n_samples": "u32", "gain": "f32", "offset": "f32", "mel_max": "f32", "index": "u32"}


def _value(kind: str, old, rng: np.random.Generator):
    choice = rng.integers(3)
    if choice == 0:
        value = EXTREMES[kind][int(rng.integers(len(EXTREMES[kind])))]
    elif choice == 1:
        value = float(old) * float(rng.uniform(0.5, 2.0))
    else:
        value = old + int(rng.integers(-3, 4))
    if kind == "f32":
        return struct.unpack("<f", struct.pack("<f", float(value)))[0]
    return int(min(max(value, 0), 2**32 - 1 if kind == "u32" else 2**16 - 1)) if math.isfinite(value) else 0


def _forge(data: bytes, rng: np.random.Generator) -> bytes:
    """Fields of the stream header and of the frames changed (extremes, random values, or a
    neighbour's), a payload byte sometimes too, every checksum recomputed: it passes the CRCs."""
    header, frames = bitstream.read_stream(BytesIO(data))
    frames = list(frames)
    for name in rng.choice(list(STREAM_FIELDS), size=int(rng.integers(0, 2)), replace=False):
        header = dataclasses.replace(header, **{name: _value(STREAM_FIELDS[name], getattr(header, name), rng)})
    k = int(rng.integers(len(frames)))
    changes = {name: _value(FRAME_FIELDS[name], getattr(frames[k], name), rng)
               for name in rng.choice(list(FRAME_FIELDS), size=int(rng.integers(1, 4)), replace=False)}
    if rng.random() < 0.3 and frames[k].payload:
        p = bytearray(frames[k].payload)
        p[int(rng.integers(len(p)))] ^= 0xFF
        changes["payload"] = bytes(p)
    frames[k] = dataclasses.replace(frames[k], **changes)
    return bitstream.pack(header, frames)


def _check(codec: Codec, data: bytes, decoded: list) -> None:
    try:
        header, symbols = codec.read(data, SOURCE)
    except BitstreamError as exc:
        assert str(exc).startswith(f"{SOURCE}: "), exc
        return
    assert all(s.min() >= 0 and s.max() < len(codec.centres) for s in symbols if s.size)
    decoded.append((data, header))


def _decodes_what_it_holds(codec: Codec, data: bytes) -> None:
    """Decoded with warnings, a damaged file gives the audio of the frames it holds (damaged
    ones as silence) at its rate, or an error naming it; nothing else."""
    said = []
    try:
        header, pieces = codec.decode_stream(BytesIO(data), SOURCE, warn=said.append)
        y = np.concatenate([np.zeros(0, np.float32), *pieces])
    except BitstreamError as exc:
        assert str(exc).startswith(f"{SOURCE}: "), exc
        return
    with contextlib.suppress(BitstreamError):
        _, frames = bitstream.read_stream(BytesIO(data), SOURCE, warn=lambda m: None)
        n = sum(f.n_samples for f in frames)
        assert len(y) == round(n * header.sample_rate / 16000)
    assert np.all(np.isfinite(y)) and all(m.startswith(f"{SOURCE}: ") for m in said)


@pytest.mark.slow
def test_random_mutations_and_truncations_are_refused(codec, originals, tmp_path):
    rng = np.random.default_rng(0)
    accepted = []
    for i in range(3000):
        data = _mutate(originals[i % len(originals)], rng)
        _check(codec, data, accepted)
        if i % 100 == 0:  # decoded, it gives what it holds
            _decodes_what_it_holds(codec, data)
        if i % 300 == 0:  # the command line's reader too
            (tmp_path / SOURCE).write_bytes(data)
            with contextlib.suppress(BitstreamError):
                describe_file(tmp_path / SOURCE, codec)
    assert not accepted  # a mutation that keeps the CRCs right is astronomically rare


def test_forged_headers_with_valid_checksums_are_refused_or_decode_sanely(codec, originals):
    rng = np.random.default_rng(1)
    accepted = []
    for i in range(1500):
        _check(codec, _forge(originals[i % len(originals)], rng), accepted)
    assert 0 < len(accepted) < 1500  # a changed gain or offset is a valid file; an absurd one is not
    for data, header in accepted[::max(1, len(accepted) // 12)]:  # what passes decodes to what it claims
        y, rate = codec.decode(data, SOURCE)
        n = sum(f.n_samples for f in bitstream.read_stream(BytesIO(data))[1])
        assert rate == header.sample_rate and len(y) == round(n * rate / 16000)
        assert np.all(np.isfinite(y)) and math.isfinite(float(np.max(np.abs(y))))
