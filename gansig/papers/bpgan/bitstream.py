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
(gansig before the context model) sent whole patches. The header is 48 bytes plus the
4-byte checksum; the bitrate reported by gansig counts every byte of the file.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from gansig.errors import BitstreamError

MAGIC = b"BPGN"
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
    if model_id is not None and mid != model_id:
        raise BitstreamError(f"{source}: made by model {mid.hex()}, not by this model ({model_id.hex()})")
    return Header(rate, n_samples, n_symbols, mid, gain, offset, mel_max), data[HEADER_BYTES:HEADER_BYTES + payload_len]
