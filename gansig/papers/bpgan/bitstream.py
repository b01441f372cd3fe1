"""The ``.bpg`` file format: a versioned header, the range-coded latent symbols, a checksum.

Layout (little-endian)::

    magic        4 bytes  b"BPGN"
    version      u8       2
    reserved     u8       0
    sample_rate  u32      of the original file (the decoder resamples back to it)
    n_samples    u64      original length at 16 kHz
    n_symbols    u32      latent symbols coded
    model_id     8 bytes  identity of the model that must decode it
    gain         f32      peak-normalisation gain
    offset       f32      removed mean
    mel_max      f32      mel normalisation
    payload_len  u32      bytes of range-coded payload that follow
    payload      ...
    crc32        u32      of everything above

The payload holds the latent's time columns in order, each ``rows x channels`` symbols,
range-coded with the codec's context model; columns that lie wholly in the padding of the
last 1.024 s patch are not sent (the decoder fills them with the code of silence). Version 1
(gansig before the context model) sent whole patches. The header is 46 bytes plus the
4-byte checksum, 50 in all; the bitrate reported by gansig counts every byte of the file.

A header is checked for sense as well as for its checksum (a forged one with a valid CRC
is refused as firmly as a damaged one): a sample rate gansig reads, a length of at most
:data:`MAX_SECONDS`, fewer symbols than samples, a gain between those of the silent level and
of the loudest input gansig takes (``io.MAX_PEAK``), an offset within that level and a
positive finite mel maximum.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass

from gansig.data.io import MAX_PEAK, MAX_RATE, MIN_RATE, SILENT_PEAK
from gansig.errors import BitstreamError

MAGIC = b"BPGN"
CODED_RATE = 16_000                  # n_samples counts samples at this rate
MAX_SECONDS = 6 * 3600               # longer claims are refused
MAX_GAIN = 2 / SILENT_PEAK          # the encoder never writes more (input varying less is refused as silent)
MIN_GAIN = 1 / (2 * MAX_PEAK)       # nor less (louder input is refused)
MAX_OFFSET = MAX_PEAK               # nor a larger mean
VERSION = 2
_HEADER = struct.Struct("<4sBBIQI8sfffI")
_CRC = struct.Struct("<I")
HEADER_BYTES = _HEADER.size


@dataclass(frozen=True)
class Header:
    """Everything but the payload (see the module docstring)."""

    sample_rate: int
    n_samples: int
    n_symbols: int
    model_id: bytes
    gain: float
    offset: float
    mel_max: float


def pack(header: Header, payload: bytes) -> bytes:
    """Serialise a header and payload into a complete ``.bpg`` file's bytes."""
    if len(header.model_id) != 8:
        raise ValueError("model_id must be 8 bytes")
    body = _HEADER.pack(MAGIC, VERSION, 0, header.sample_rate, header.n_samples, header.n_symbols,
                        header.model_id, header.gain, header.offset, header.mel_max, len(payload)) + payload
    return body + _CRC.pack(zlib.crc32(body))


def unpack(data: bytes, source: str = "<bytes>", model_id: bytes | None = None) -> tuple[Header, bytes]:
    """Parse and check a ``.bpg`` file's bytes.

    Args:
        data: the file's contents.
        source: the file's name, for messages.
        model_id: the decoding model's identity; a mismatch is an error.

    Returns:
        ``(header, payload)``.

    Raises:
        BitstreamError: not a .bpg file, an unsupported version, truncated, corrupted
            (checksum), holding no audio, or made by another model.
    """
    if len(data) < HEADER_BYTES + _CRC.size:
        if not data.startswith(MAGIC[: len(data)]) or not data:
            raise BitstreamError(f"{source}: not a .bpg file")
        raise BitstreamError(f"{source}: truncated ({len(data)} bytes, the header alone needs {HEADER_BYTES + 4})")
    magic, version, _, rate, n_samples, n_symbols, mid, gain, offset, mel_max, payload_len = _HEADER.unpack_from(data)
    if magic != MAGIC:
        raise BitstreamError(f"{source}: not a .bpg file (magic {magic!r})")
    if version != VERSION:
        raise BitstreamError(f"{source}: format version {version}, this gansig reads version {VERSION}")
    expected = HEADER_BYTES + payload_len + _CRC.size
    if len(data) < expected:
        raise BitstreamError(f"{source}: truncated ({len(data)} of {expected} bytes)")
    if len(data) > expected:
        raise BitstreamError(f"{source}: {len(data) - expected} unexpected trailing bytes")
    body = data[: HEADER_BYTES + payload_len]
    if zlib.crc32(body) != _CRC.unpack_from(data, HEADER_BYTES + payload_len)[0]:
        raise BitstreamError(f"{source}: corrupted (checksum mismatch)")
    if rate == 0 or n_samples == 0:
        raise BitstreamError(f"{source}: holds no audio (sample rate {rate}, {n_samples} samples)")
    _check_sense(source, rate, n_samples, n_symbols, gain, offset, mel_max, payload_len)
    if model_id is not None and mid != model_id:
        raise BitstreamError(f"{source}: made by model {mid.hex()}, not by this model ({model_id.hex()})")
    return Header(rate, n_samples, n_symbols, mid, gain, offset, mel_max), data[HEADER_BYTES:HEADER_BYTES + payload_len]


def _check_sense(source: str, rate: int, n_samples: int, n_symbols: int, gain: float, offset: float,
                 mel_max: float, payload_len: int) -> None:
    """Refuse header values no encoder writes (see the module docstring)."""
    problems = []
    if not MIN_RATE <= rate <= MAX_RATE:
        problems.append(f"sample rate {rate} Hz is outside {MIN_RATE}..{MAX_RATE} Hz")
    if n_samples > MAX_SECONDS * CODED_RATE:
        problems.append(f"claims {n_samples / CODED_RATE / 3600:.1f} h of audio, more than {MAX_SECONDS // 3600} h")
    if not 0 < n_symbols <= n_samples:
        problems.append(f"{n_symbols} symbols for {n_samples} samples")
    if not (math.isfinite(gain) and MIN_GAIN <= gain <= MAX_GAIN):
        problems.append(f"gain {gain:g} is not a finite number in {MIN_GAIN:g}..{MAX_GAIN:g}")
    if not (math.isfinite(offset) and abs(offset) <= MAX_OFFSET):
        problems.append(f"offset {offset:g} is not a finite number within ±{MAX_OFFSET:g}")
    if not (math.isfinite(mel_max) and mel_max > 0):
        problems.append(f"mel maximum {mel_max} is not a positive finite number")
    if payload_len % 4:
        problems.append("its payload is not a whole number of 32-bit words")
    if problems:
        raise BitstreamError(f"{source}: not a sound .bpg header ({'; '.join(problems)})")
