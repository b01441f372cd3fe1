"""A seeded fuzz of the .bpg reader: thousands of random mutations and truncations, and forged
headers with valid checksums. Every one is refused with a BitstreamError naming the file, or
decodes into audio of the length and rate its header claims: no other exception, no garbage."""

from __future__ import annotations

import contextlib
import math
import struct
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
    return [codec.encode(speech_like(seconds, rate, seed=seed), rate, search=False)
            for seconds, rate, seed in ((0.4, 16000, 1), (2.2, 22050, 2), (1.0, 8000, 3))]


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
    else:  # overwrite a stretch of the header
        i = int(rng.integers(0, bitstream.HEADER_BYTES))
        b[i: i + 8] = rng.bytes(8)
    return bytes(b)


EXTREMES = {"u32": (0, 1, 2**31, 2**32 - 1), "u64": (0, 1, 2**32, 2**63, 2**64 - 1),
            "f32": (0.0, -0.0, -1.0, 1e-45, 1e-30, 3.0e38, float("inf"), -float("inf"), float("nan"))}


def _forge(data: bytes, rng: np.random.Generator) -> bytes:
    """A header whose fields are changed (extremes, random values, or a neighbour's) and the
    payload sometimes too, with the checksum recomputed: it passes the CRC."""
    header, payload = bitstream.unpack(data)
    fields = dict(header.__dict__)
    for name in rng.choice(["sample_rate", "n_samples", "n_symbols", "gain", "offset", "mel_max"],
                           size=int(rng.integers(1, 4)), replace=False):
        kind = {"sample_rate": "u32", "n_symbols": "u32", "n_samples": "u64"}.get(name, "f32")
        choice = rng.integers(3)
        if choice == 0:
            value = EXTREMES[kind][int(rng.integers(len(EXTREMES[kind])))]
        elif choice == 1:
            value = float(fields[name]) * float(rng.uniform(0.5, 2.0))
        else:
            value = fields[name] + int(rng.integers(-3, 4))
        fields[name] = int(value) if kind != "f32" else struct.unpack("<f", struct.pack("<f", float(value)))[0]
    if rng.random() < 0.3 and payload:
        p = bytearray(payload)
        p[int(rng.integers(len(p)))] ^= 0xFF
        payload = bytes(p)
    return bitstream.pack(bitstream.Header(**fields), payload)


def _check(codec: Codec, data: bytes, decoded: list) -> None:
    try:
        header, symbols = codec.read(data, SOURCE)
    except BitstreamError as exc:
        assert str(exc).startswith(f"{SOURCE}: "), exc
        return
    assert symbols.min() >= 0 and symbols.max() < len(codec.centres)
    decoded.append((data, header))


def test_random_mutations_and_truncations_are_refused(codec, originals, tmp_path):
    rng = np.random.default_rng(0)
    accepted = []
    for i in range(3000):
        data = _mutate(originals[i % len(originals)], rng)
        _check(codec, data, accepted)
        if i % 300 == 0:  # the command line's reader too
            (tmp_path / SOURCE).write_bytes(data)
            with contextlib.suppress(BitstreamError):
                describe_file(tmp_path / SOURCE, codec)
    assert not accepted  # a mutation that keeps the CRC right is astronomically rare


def test_forged_headers_with_valid_checksums_are_refused_or_decode_sanely(codec, originals):
    rng = np.random.default_rng(1)
    accepted = []
    for i in range(1500):
        _check(codec, _forge(originals[i % len(originals)], rng), accepted)
    assert 0 < len(accepted) < 1500  # a changed gain or offset is a valid file; an absurd one is not
    for data, header in accepted[::max(1, len(accepted) // 12)]:  # what passes decodes to what it claims
        y, rate = codec.decode(data, SOURCE)
        assert rate == header.sample_rate and len(y) == round(header.n_samples * rate / 16000)
        assert np.all(np.isfinite(y)) and math.isfinite(float(np.max(np.abs(y))))
