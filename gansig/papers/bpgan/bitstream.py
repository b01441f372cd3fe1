"""The ``.bpg`` file format: a short stream header, then a sequence of frames, each decodable
on its own (its own scaling, its own range-coded symbols, its own checksums), so that a file
can be written and read as a stream (a pipe), a truncated file still decodes to the frames it
holds, and a corrupted frame costs that frame alone.

Version 3 (little-endian)::

    stream header (24 bytes)
      magic         4 bytes  b"BPGN"
      version       u8       3
      reserved      u8       0
      sample_rate   u32      of the original (the decoder resamples back to it)
      model_id      8 bytes  identity of the model that must decode it
      frame_patches u16      latent patches (1.024 s each) in a full frame
      crc32         u32      of the 20 bytes above
    frame (34 bytes + payload), repeated to the end of the file
      sync          2 bytes  b"\\xb7F"
      index         u32      0, 1, 2, ... (a gap says frames were lost)
      n_samples     u32      the frame's samples at 16 kHz (a full frame's, except the last); its
                             top bit marks the stream's last frame
      gain          f32      peak-normalisation gain; 0 marks a silent frame (no payload)
      offset        f32      removed mean
      mel_max       f32      mel normalisation
      payload_len   u32      bytes of range-coded payload that follow
      header_crc    u32      of the 26 bytes above
      payload       ...      the frame's latent columns, range-coded
      payload_crc   u32      of the payload

A frame's header is checked for sense as well as for its checksum (a forged one with a
valid CRC is refused as firmly as a damaged one): a length within one frame, a gain between
those of the silent level and of the loudest input gansig takes (``io.MAX_PEAK``), an offset
within that level, a positive finite mel maximum and a payload of whole 32-bit words.

Version 2 (gansig before streams) was one whole-file header and payload; it is still read,
as one frame (:func:`read_stream`). Version 1 is refused, naming its version.
"""

from __future__ import annotations

import dataclasses
import math
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from gansig.data.io import MAX_PEAK, MAX_RATE, MIN_RATE, SILENT_PEAK
from gansig.errors import BitstreamError

MAGIC = b"BPGN"
SYNC = b"\xb7F"
CODED_RATE = 16_000                  # n_samples counts samples at this rate
PATCH_SAMPLES = 128 * 128            # samples of one latent patch at 16 kHz (1.024 s)
MAX_SECONDS = 6 * 3600               # a version 2 file claiming more is refused
MAX_GAIN = 2 / SILENT_PEAK          # the encoder never writes more (input varying less is silent)
MIN_GAIN = 1 / (2 * MAX_PEAK)       # nor less (louder input is refused)
MAX_OFFSET = MAX_PEAK               # nor a larger mean
MAX_FRAME_PATCHES = 64
LAST = 1 << 31                       # the top bit of a frame's n_samples: the stream's last frame
VERSION = 3
READABLE = (2, 3)
_STREAM = struct.Struct("<4sBBI8sH")
_FRAME = struct.Struct("<2sIIfffI")
_CRC = struct.Struct("<I")
STREAM_BYTES = _STREAM.size + _CRC.size    # 24
FRAME_BYTES = _FRAME.size + 2 * _CRC.size  # 34, without the payload
_V2 = struct.Struct("<4sBBIQI8sfffI")      # version 2's whole-file header


@dataclass(frozen=True)
class StreamHeader:
    """What every frame shares.

    Attributes:
        sample_rate: the original's sample rate.
        model_id: the identity of the model that decodes the file.
        frame_patches: latent patches in a full frame.
        version: the file's format version (3; 2 for a file read as one frame).
    """

    sample_rate: int
    model_id: bytes
    frame_patches: int
    version: int = VERSION

    @property
    def frame_samples(self) -> int:
        """Samples at 16 kHz of a full frame."""
        return self.frame_patches * PATCH_SAMPLES


@dataclass(frozen=True)
class Frame:
    """One frame: its scaling and its payload (empty for a silent frame, ``gain == 0``).

    Attributes:
        index: its place in the stream.
        n_samples: its samples at 16 kHz.
        gain: peak-normalisation gain (0: silent).
        offset: removed mean.
        mel_max: mel normalisation.
        payload: the range-coded latent columns.
        position: its byte offset in the file (for messages).
        lost: True for a stand-in of a frame that was corrupted or missing (decode it as silence).
        last: the stream's last frame (a file that ends before it was cut short).
    """

    index: int
    n_samples: int
    gain: float
    offset: float
    mel_max: float
    payload: bytes = b""
    position: int = 0
    lost: bool = False
    last: bool = False

    @property
    def silent(self) -> bool:
        """Decoded as silence (its mean): sent silent, or lost."""
        return self.gain == 0.0 or self.lost


def stream_header(header: StreamHeader) -> bytes:
    """The bytes of a stream header."""
    if len(header.model_id) != 8:
        raise ValueError("model_id must be 8 bytes")
    body = _STREAM.pack(MAGIC, VERSION, 0, header.sample_rate, header.model_id, header.frame_patches)
    return body + _CRC.pack(zlib.crc32(body))


def frame_bytes(frame: Frame) -> bytes:
    """The bytes of a frame."""
    head = _FRAME.pack(SYNC, frame.index, frame.n_samples | (LAST if frame.last else 0), frame.gain, frame.offset,
                       frame.mel_max, len(frame.payload))
    return head + _CRC.pack(zlib.crc32(head)) + frame.payload + _CRC.pack(zlib.crc32(frame.payload))


def pack(header: StreamHeader, frames: list[Frame]) -> bytes:
    """A whole file's bytes (the last frame marked as the last)."""
    marked = [dataclasses.replace(f, last=k == len(frames) - 1) for k, f in enumerate(frames)]
    return stream_header(header) + b"".join(frame_bytes(f) for f in marked)


Warn = Callable[[str], None]


def read_stream(stream: BinaryIO, source: str = "<bytes>", model_id: bytes | None = None,
                warn: Warn | None = None) -> tuple[StreamHeader, Iterator[Frame]]:
    """Read a ``.bpg`` stream: its checked header, and its frames as they are read.

    A frame that is damaged (its checksum or its sense checks fail) is replaced by a ``lost``
    stand-in of its length (or a full frame's, where its header is the damaged part), and a
    truncated last frame is dropped; each is said through ``warn`` with its position, and the
    reading goes on with the next frame.

    Args:
        stream: the file's bytes, read sequentially (a pipe works).
        source: the file's name, for messages.
        model_id: the decoding model's identity; a mismatch is an error.
        warn: where problems with single frames are said (default: raise them as errors).

    Returns:
        ``(header, frames)``.

    Raises:
        BitstreamError: not a .bpg file, an unreadable version or stream header, a file made
            by another model; with no ``warn``, any damaged frame (when it is read).
    """
    def problem(message: str) -> None:
        if warn is None:
            raise BitstreamError(f"{source}: {message}")
        warn(f"{source}: {message}")

    head = _read(stream, 6)
    if len(head) < 6 or head[:4] != MAGIC:
        if not head or not head.startswith(MAGIC[: len(head)]) or len(head) >= 4:
            raise BitstreamError(f"{source}: not a .bpg file")
        raise BitstreamError(f"{source}: truncated ({len(head)} bytes, the header alone needs {STREAM_BYTES})")
    version = head[4]
    if version == 2:
        return _read_version_2(head + stream.read(), source, model_id)
    if version != VERSION:
        raise BitstreamError(f"{source}: format version {version}, this gansig reads versions "
                             f"{' and '.join(map(str, READABLE))}; re-encode the original with this gansig")
    rest = _read(stream, STREAM_BYTES - 6)
    if len(rest) < STREAM_BYTES - 6:
        raise BitstreamError(f"{source}: truncated ({6 + len(rest)} bytes, the header alone needs {STREAM_BYTES})")
    body = head + rest[:-_CRC.size]
    if zlib.crc32(body) != _CRC.unpack(rest[-_CRC.size:])[0]:
        raise BitstreamError(f"{source}: corrupted stream header (checksum mismatch)")
    _, _, _, rate, mid, frame_patches = _STREAM.unpack(body)
    if not MIN_RATE <= rate <= MAX_RATE or not 1 <= frame_patches <= MAX_FRAME_PATCHES:
        raise BitstreamError(f"{source}: not a sound .bpg header (sample rate {rate} Hz, {frame_patches} patches a "
                             f"frame: at most {MAX_FRAME_PATCHES}, rates {MIN_RATE}..{MAX_RATE} Hz)")
    if model_id is not None and mid != model_id:
        raise BitstreamError(f"{source}: made by model {mid.hex()}, not by this model ({model_id.hex()})")
    header = StreamHeader(rate, mid, frame_patches)
    return header, _frames(stream, header, problem)


def _frames(stream: BinaryIO, header: StreamHeader, problem: Callable[[str], None]) -> Iterator[Frame]:
    """The frames after the stream header (see :func:`read_stream`)."""
    position, expected, buffer, full = STREAM_BYTES, 0, b"", header.frame_samples
    while True:
        buffer += _read(stream, FRAME_HEAD - len(buffer))
        if not buffer:
            problem(f"truncated: the file ends after {expected} frame(s), before its last frame")
            return
        if len(buffer) < FRAME_HEAD:
            problem(f"truncated: {len(buffer)} bytes at byte {position} are not a whole frame; decoded the "
                    f"{expected} frame(s) before them")
            return
        fields, why = _frame_head(buffer, full, expected, 0)
        if why:  # a damaged frame header: look for the next sound one, byte by byte
            skipped, damaged = 0, why
            while why:
                buffer = buffer[1:] + _read(stream, 1)
                skipped += 1
                if len(buffer) < FRAME_HEAD:
                    problem(f"frame {expected} at byte {position}: {damaged}; no sound frame after it (the last "
                            f"{skipped + len(buffer)} bytes); decoded the {expected} frame(s) before")
                    return
                # the frames lost in the skipped bytes: at most as many as the bytes can hold
                fields, why = _frame_head(buffer, full, expected, skipped // FRAME_BYTES)
            lost = f"frame(s) {expected}..{fields[1] - 1} lost, silence in their place" if fields[1] > expected \
                else "skipped"
            problem(f"frame {expected} at byte {position}: {damaged}; {skipped} bytes {lost}")
            position += skipped
        _, index, n_samples, gain, offset, mel_max, payload_len = fields
        last, n_samples = bool(n_samples & LAST), n_samples & ~LAST
        for lost in range(expected, index):  # frames whose headers were lost: full ones
            yield Frame(lost, full, 0.0, 0.0, 1.0, position=position, lost=True)
        payload = _read(stream, payload_len + _CRC.size)
        if len(payload) < payload_len + _CRC.size:
            problem(f"truncated: frame {index} at byte {position} holds {len(payload)} of its "
                    f"{payload_len + _CRC.size} payload bytes; decoded the {index} frame(s) before it")
            return
        data = payload[:payload_len]
        if zlib.crc32(data) == _CRC.unpack_from(payload, payload_len)[0]:
            yield Frame(index, n_samples, gain, offset, mel_max, data, position, last=last)
        else:
            problem(f"frame {index} at byte {position} is corrupted (payload checksum); "
                    f"{n_samples / CODED_RATE:.2f} s of silence in its place")
            yield Frame(index, n_samples, 0.0, offset, 1.0, position=position, lost=True, last=last)
        expected, position, buffer = index + 1, position + FRAME_BYTES + payload_len, b""
        if last:
            rest = len(_read(stream, 1 << 16))
            if rest:
                problem(f"{rest}{'+' if rest == 1 << 16 else ''} unexpected bytes after the last frame (at byte "
                        f"{position}); ignored")
            return


FRAME_HEAD = _FRAME.size + _CRC.size  # a frame's header and its checksum


def _frame_head(buffer: bytes, full: int, expected: int, gap: int) -> tuple[tuple, str | None]:
    """A frame header's fields, and why it is not sound (None when it is): its index must
    be the one expected, or at most ``gap`` beyond it."""
    head = buffer[:_FRAME.size]
    fields = _FRAME.unpack(head)
    if fields[0] != SYNC or zlib.crc32(head) != _CRC.unpack_from(buffer, _FRAME.size)[0]:
        return fields, "corrupted frame header"
    why = _frame_problem(fields, full)
    if why:
        return fields, f"not a sound frame header ({why})"
    if not expected <= fields[1] <= expected + gap:
        return fields, f"frame {fields[1]} where frame {expected} was expected"
    return fields, None


def _frame_problem(fields: tuple, full: int) -> str | None:
    """Why a frame header with a valid checksum makes no sense (None when it does)."""
    _, _, n_samples, gain, offset, mel_max, payload_len = fields
    n_samples &= ~LAST
    if not 0 < n_samples <= full:
        return f"{n_samples} samples in a frame of at most {full}"
    if gain != 0.0 and not (math.isfinite(gain) and MIN_GAIN <= gain <= MAX_GAIN):
        return f"gain {gain:g} is not 0 or a finite number in {MIN_GAIN:g}..{MAX_GAIN:g}"
    if gain == 0.0 and payload_len:
        return "a silent frame with a payload"
    if not (math.isfinite(offset) and abs(offset) <= MAX_OFFSET):
        return f"offset {offset:g} is not a finite number within ±{MAX_OFFSET:g}"
    if not (math.isfinite(mel_max) and mel_max > 0):
        return f"mel maximum {mel_max} is not a positive finite number"
    if payload_len % 4 or payload_len > 64 * n_samples:
        return f"a payload of {payload_len} bytes"
    return None


def check_frame(frame: Frame, header: StreamHeader) -> str | None:
    """Why a frame's fields make no sense for ``header`` (None when they do): what the
    reader checks, for frames made elsewhere (tests, forged files)."""
    return _frame_problem((SYNC, frame.index, frame.n_samples, frame.gain, frame.offset, frame.mel_max,
                           len(frame.payload)), header.frame_samples)


def _read(stream: BinaryIO, n: int) -> bytes:
    """Up to ``n`` bytes, fewer only at the end (a pipe may give fewer a call)."""
    chunks, got = [], 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _read_version_2(data: bytes, source: str, model_id: bytes | None) -> tuple[StreamHeader, Iterator[Frame]]:
    """A version 2 file (one header, one payload, one checksum) as a stream of one frame."""
    if len(data) < _V2.size + _CRC.size:
        raise BitstreamError(f"{source}: truncated ({len(data)} bytes, the header alone needs {_V2.size + 4})")
    _, _, _, rate, n_samples, n_symbols, mid, gain, offset, mel_max, payload_len = _V2.unpack_from(data)
    expected = _V2.size + payload_len + _CRC.size
    if len(data) != expected:
        raise BitstreamError(f"{source}: " + (f"truncated ({len(data)} of {expected} bytes)" if len(data) < expected
                                              else f"{len(data) - expected} unexpected trailing bytes"))
    if zlib.crc32(data[:expected - _CRC.size]) != _CRC.unpack_from(data, expected - _CRC.size)[0]:
        raise BitstreamError(f"{source}: corrupted (checksum mismatch)")
    problems = []
    if not MIN_RATE <= rate <= MAX_RATE:
        problems.append(f"sample rate {rate} Hz is outside {MIN_RATE}..{MAX_RATE} Hz")
    if not 0 < n_samples <= MAX_SECONDS * CODED_RATE:
        problems.append(f"{n_samples} samples")
    if not 0 < n_symbols <= n_samples:
        problems.append(f"{n_symbols} symbols for {n_samples} samples")
    problem = _frame_problem((SYNC, 0, n_samples, gain, offset, mel_max, payload_len), n_samples)
    if problem or gain == 0.0:
        problems.append(problem or "gain 0")
    if problems:
        raise BitstreamError(f"{source}: not a sound .bpg header ({'; '.join(problems)})")
    if model_id is not None and mid != model_id:
        raise BitstreamError(f"{source}: made by model {mid.hex()}, not by this model ({model_id.hex()})")
    patches = -(-n_samples // PATCH_SAMPLES) + 1  # one frame spanning the file (and its last column)
    frame = Frame(0, n_samples, gain, offset, mel_max, data[_V2.size:_V2.size + payload_len], 0, last=True)
    return StreamHeader(rate, mid, patches, version=2), iter([frame])
