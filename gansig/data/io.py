"""Audio in and out: any format soundfile reads, mono mix-down, soxr resampling, checks.

Every problem with an input file raises :class:`gansig.errors.AudioError` naming the
file; every output is checked before any work (:func:`check_audio_output`) and written
atomically (:mod:`gansig.fileio`).

Level policy of the writers, one for whole signals and streams alike, taken from the
samples written: audio is written as 16-bit PCM while it stays within full scale; above it,
formats that hold floats (WAV, AIFF, CAF, W64, RF64) are written as 32-bit float so nothing
is clipped, and the others are scaled down to full scale, said on stderr. A WAV stream on
standard output is 32-bit float (its peak is not known when its header goes out).
"""

from __future__ import annotations

import itertools
import os
import re
import struct
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr
from tqdm import tqdm

from gansig.errors import AudioError
from gansig.fileio import atomic_path, check_output, input_problem

MIN_RATE, MAX_RATE = 100, 768_000
SILENT_PEAK = 1e-10  # -200 dBFS: below this a signal carries nothing (and a gain of 1/peak overflows float32)
MAX_PEAK = 1e3       # +60 dBFS: float audio louder than this is refused as not audio (a unit mistake, junk)
FLOAT_FORMATS = ("WAV", "AIFF", "CAF", "W64", "RF64")
_FORMAT_OF_SUFFIX = {".aif": "AIFF", ".wave": "WAV", ".oga": "OGG"}
_DEFAULT_SUBTYPE = {"OGG": "VORBIS", "MP3": "MPEG_LAYER_III"}
_TRUNCATED = re.compile(r"^\s*(?:data|SSND)\s*:\s*(\d+)\s*\(should be (\d+)\)", re.M)
_STREAMED = (0, 0xFFFFFFFF, 0x7FFFFFFF, 0x7FFFF000)  # data sizes of streaming writers that never knew the length
STREAM_DATA_SIZE = 0x7FFFF000  # what sox writes for a stream's unknown length, and reads (and soxi shows) as unknown
MAX_READ_BYTES = 1 << 22       # a WAV stream is read at most 4 MiB at a time, whatever its channel count


def resample_stream(pieces: Iterable[np.ndarray], rate_in: int, rate_out: int,
                    n_out: int | Callable[[], int]) -> Iterator[np.ndarray]:
    """:func:`resample` of a signal given piece by piece (soxr's streaming resampler, the
    same filter), cut or zero-padded to exactly ``n_out`` samples (a function giving it at
    the end, for a stream whose length is known only then)."""
    stream = None if rate_in == rate_out else soxr.ResampleStream(rate_in, rate_out, 1, dtype="float32",
                                                                    quality="HQ")
    written, limit = 0, (n_out if isinstance(n_out, int) else None)
    for piece in itertools.chain(pieces, [None]):  # None: the end
        last = piece is None
        chunk = np.zeros(0, np.float32) if last else np.asarray(piece, np.float32)
        out = chunk if stream is None else stream.resample_chunk(chunk, last=last)
        if last and limit is None:
            limit = n_out()
        if limit is not None:
            out = out[: limit - written]
        if last:
            out = np.pad(out, (0, limit - written - len(out)))
        written += len(out)
        if len(out):
            yield out.astype(np.float32)


def resample(x: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Resample ``[samples]`` or ``[samples, channels]`` audio with soxr (high quality)."""
    if rate_in == rate_out:
        return np.asarray(x, dtype=np.float32)
    return soxr.resample(np.asarray(x, dtype=np.float32), rate_in, rate_out, quality="HQ").astype(np.float32)


def check_audio(x: np.ndarray, rate: int, source: str | os.PathLike = "<array>", *,
                allow_silent: bool = False) -> None:
    """Raise :class:`AudioError` if ``x`` cannot be processed.

    Args:
        x: samples.
        rate: sample rate in Hz.
        source: the file name used in the message.
        allow_silent: accept a silent signal (peak below -200 dBFS).

    Raises:
        AudioError: empty, non-finite, silent, louder than :data:`MAX_PEAK`, or an absurd
            sample rate.
    """
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioError(f"{source}: sample rate {rate} Hz is outside {MIN_RATE}..{MAX_RATE} Hz")
    if x.size == 0:
        raise AudioError(f"{source}: contains no samples")
    if not np.all(np.isfinite(x)):
        raise AudioError(f"{source}: contains NaN or infinite samples")
    peak = float(np.max(np.abs(x)))
    if not allow_silent and not peak >= SILENT_PEAK:
        raise AudioError(f"{source}: is silent (every sample is zero or below -200 dBFS)")
    if peak > MAX_PEAK:
        raise AudioError(f"{source}: peaks at {20 * np.log10(peak):+.0f} dBFS, above the +60 dBFS gansig takes "
                         "(float samples in the wrong unit?); scale it to about full scale (1.0)")


def check_length(n: int, rate: int, source: str | os.PathLike, seconds: float, purpose: str) -> None:
    """Refuse audio shorter than a tool needs, in the one wording every tool uses.

    Args:
        n: its samples (per channel).
        rate: their rate.
        source: the file, for the message.
        seconds: the shortest the tool takes.
        purpose: what for, after "too short to" ("restore", "score", ...).

    Raises:
        AudioError: naming the file, its length and the least the tool takes.
    """
    if n < seconds * rate:
        raise AudioError(f"{source}: too short to {purpose} ({n} samples, {1000 * n / rate:.1f} ms; at least "
                         f"{1000 * seconds:.1f} ms)")


def _check_complete(path: Path) -> None:
    """Refuse a WAV or AIFF file whose header promises more audio than the file holds
    (libsndfile would read what is there without a word)."""
    for declared, present in _TRUNCATED.findall(sf.info(str(path)).extra_info):
        if int(declared) not in _STREAMED and int(present) < int(declared):
            raise AudioError(f"{path}: truncated: its header promises {int(declared):,} bytes of audio, the file "
                             f"holds {int(present):,}")


CANCEL_DB = 40.0  # a mono mix this far below its loudest channel is reported


def _mix_down(x: np.ndarray, path: Path) -> np.ndarray:
    """The channels' mean; a warning on stderr when they cancel in it (a mix more than
    :data:`CANCEL_DB` below the loudest channel: e.g. one channel wired in opposite phase)."""
    mix = x.mean(axis=1)
    if x.shape[1] > 1:
        loudest = float(np.sqrt(np.mean(np.square(x, dtype=np.float64), axis=0)).max())
        level = float(np.sqrt(np.mean(np.square(mix, dtype=np.float64))))
        if level > 0 and loudest > 0 and level < loudest * 10 ** (-CANCEL_DB / 20):
            print(f"warning: {path}: its channels cancel in the mono mix ({20 * np.log10(level / loudest):.0f} dB "
                  "below the loudest channel; one may be in opposite phase): using the mix", file=sys.stderr)
    return mix


def probe(path: str | os.PathLike) -> sf._SoundFileInfo:
    """Check, from its header alone, that ``path`` is an audio file gansig can read whole
    (a folder of many files is checked this way before any work).

    Returns:
        soundfile's description of it (rate, frames, channels).

    Raises:
        AudioError: naming the file: missing, not a regular file, unreadable or truncated.
    """
    path = check_audio_input(path)
    try:
        info = sf.info(str(path))
        _check_complete(path)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioError(f"{path}: not a readable audio file ({exc})") from None
    return info


def load(path: str | os.PathLike, rate: int | None = None, *, mono: bool = True,
         allow_silent: bool = False) -> tuple[np.ndarray, int]:
    """Read an audio file as float32, mixed to mono and resampled if asked.

    Args:
        path: any file soundfile (libsndfile) reads: WAV, FLAC, OGG, NIST SPHERE, ...
        rate: target sample rate; the file's own when None.
        mono: average the channels (the silence check is made on the mix).
        allow_silent: accept a silent file.

    Returns:
        ``(samples, rate)``; samples ``[n]`` when mono, else ``[n, channels]``.

    Raises:
        AudioError: missing, not a file, unreadable, truncated, empty, silent or non-finite.
    """
    path = check_audio_input(path)
    try:
        x, file_rate = sf.read(str(path), dtype="float32", always_2d=True)
        _check_complete(path)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioError(f"{path}: not a readable audio file ({exc})") from None
    if mono:
        x = _mix_down(x, path)
    check_audio(x, file_rate, path, allow_silent=allow_silent)
    if rate is not None and rate != file_rate:
        x = resample(x, file_rate, rate)
        file_rate = rate
    return x.astype(np.float32), int(file_rate)


@dataclass(frozen=True)
class Scanned:
    """What one pass over an audio file found (:func:`scan`).

    Attributes:
        rate: its sample rate.
        frames: its samples per channel.
        means: each channel's mean (its DC offset).
        peak: the largest absolute sample.
    """

    rate: int
    frames: int
    means: tuple[float, ...]
    peak: float

    @property
    def channels(self) -> int:
        return len(self.means)


def scan(path: str | os.PathLike, *, block: int = 1 << 16) -> Scanned:
    """One pass over an audio file, block by block (memory does not grow with its length),
    checking every block as :func:`load` checks a whole file.

    Raises:
        AudioError: naming the file: unreadable, truncated, empty, silent, non-finite or too loud.
    """
    path = Path(path)
    info = probe(path)
    sums, peak, frames = np.zeros(info.channels), 0.0, 0
    try:
        for x in sf.blocks(str(path), blocksize=block, dtype="float32", always_2d=True):
            check_audio(x, info.samplerate, path, allow_silent=True)
            sums += x.sum(axis=0, dtype=np.float64)
            peak, frames = max(peak, float(np.max(np.abs(x), initial=0.0))), frames + len(x)
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioError(f"{path}: not a readable audio file ({exc})") from None
    if not frames:
        raise AudioError(f"{path}: contains no samples")
    if not peak >= SILENT_PEAK:
        raise AudioError(f"{path}: is silent (every sample is zero or below -200 dBFS)")
    return Scanned(int(info.samplerate), frames, tuple(float(s / frames) for s in sums), peak)


def channel_blocks(path: str | os.PathLike, channel: int, *, block: int = 1 << 16) -> Iterator[np.ndarray]:
    """One channel of an audio file, block by block (float32)."""
    for x in sf.blocks(str(path), blocksize=block, dtype="float32", always_2d=True):
        yield np.ascontiguousarray(x[:, channel])


STDIO = "-"  # the name that means standard input or output


def load_stream(path: str | os.PathLike, *, block: int = 1 << 16) -> tuple[int, Iterator[np.ndarray]]:
    """An audio file read block by block and mixed to mono, so that memory does not grow with
    its length; ``-`` reads a WAV stream from standard input (a pipe). Each block is checked
    as :func:`check_audio` checks a whole file (but silence: a stream may be quiet for a while).

    Returns:
        ``(sample rate, float32 mono blocks)``.

    Raises:
        AudioError: naming the file: unreadable, truncated, or (when a block reaches it)
            non-finite or too loud samples.
    """
    if str(path) == STDIO:
        rate, blocks = _wav_blocks(sys.stdin.buffer, "<stdin>", block)
    else:
        path = Path(path)
        rate = probe(path).samplerate

        def mixed() -> Iterator[np.ndarray]:  # the channels' cancelling is said once, on the first block
            for k, b in enumerate(sf.blocks(str(path), blocksize=block, dtype="float32", always_2d=True)):
                yield _mix_down(b, path) if k == 0 else b.mean(axis=1)

        blocks = mixed()
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioError(f"{path}: sample rate {rate} Hz is outside {MIN_RATE}..{MAX_RATE} Hz")

    def checked() -> Iterator[np.ndarray]:
        for x in blocks:
            if x.size:
                check_audio(x, rate, path, allow_silent=True)
                yield x.astype(np.float32)

    return int(rate), checked()


_WAV_CODES = {1: "int", 3: "float"}


def _wav_blocks(stream, source: str, block: int) -> tuple[int, Iterator[np.ndarray]]:
    """A RIFF WAVE stream (integer PCM of 8-32 bits, or 32/64-bit float) read in order,
    without seeking: its rate and its mono blocks. The data chunk runs to the end of the
    stream when its size says it was unknown to the writer (as sox and ffmpeg write to pipes).

    Raises:
        AudioError: not a WAV stream, or an encoding other than PCM or float.
    """
    def read(n: int) -> bytes:
        data = b""
        while len(data) < n and (chunk := stream.read(n - len(data))):
            data += chunk
        return data

    head = read(12)
    if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
        raise AudioError(f"{source}: not a WAV stream (standard input takes WAV, e.g. `sox IN -t wav -`)")
    fmt = None
    while True:
        chunk = read(8)
        if len(chunk) < 8:
            raise AudioError(f"{source}: a WAV stream without audio data")
        name, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
        if name == b"data":
            break
        body = read(size + size % 2)
        if name == b"fmt ":
            code, channels, rate = struct.unpack("<HHI", body[:8])
            bits = struct.unpack("<H", body[14:16])[0]
            if code == 0xFFFE and len(body) >= 26:  # WAVE_FORMAT_EXTENSIBLE: the sub-format's code
                code = struct.unpack("<H", body[24:26])[0]
            fmt = (_WAV_CODES.get(code), channels, rate, bits)
    if fmt is None or fmt[0] is None or fmt[1] < 1 or (fmt[0], fmt[3]) not in (
            ("int", 8), ("int", 16), ("int", 24), ("int", 32), ("float", 32), ("float", 64)):
        raise AudioError(f"{source}: a WAV encoding gansig does not read from a stream ({fmt}); send 16-bit PCM "
                         "or 32-bit float")
    kind, channels, rate, bits = fmt
    frame = channels * bits // 8
    remaining = None if size in _STREAMED else size
    step = frame * max(1, min(block, MAX_READ_BYTES // frame))

    def blocks() -> Iterator[np.ndarray]:
        nonlocal remaining
        while remaining is None or remaining > 0:
            want = step if remaining is None else min(step, remaining)
            data = read(want)
            data = data[: len(data) - len(data) % frame]
            if not data:
                return
            if remaining is not None:
                remaining -= len(data)
            yield _pcm(data, kind, bits).reshape(-1, channels).mean(axis=1)

    return rate, blocks()


def _pcm(data: bytes, kind: str, bits: int) -> np.ndarray:
    """WAV sample bytes as float32 in [-1, 1) (floats as they are)."""
    if kind == "float":
        return np.frombuffer(data, "<f4" if bits == 32 else "<f8").astype(np.float32)
    if bits == 8:
        return (np.frombuffer(data, np.uint8).astype(np.float32) - 128) / 128
    if bits == 24:
        raw = np.frombuffer(data, np.uint8).reshape(-1, 3)
        values = (raw[:, 0].astype(np.int32) | raw[:, 1].astype(np.int32) << 8 | raw[:, 2].astype(np.int32) << 16)
        return (np.where(values >= 1 << 23, values - (1 << 24), values) / float(1 << 23)).astype(np.float32)
    return (np.frombuffer(data, "<i2" if bits == 16 else "<i4") / float(1 << (bits - 1))).astype(np.float32)


def write_wav_stream(out, pieces: Iterable[np.ndarray], rate: int, *, floats: bool = True) -> int:
    """Write mono audio to a stream (standard output) as WAV, piece by piece: 32-bit float
    (the level as it is: a stream's peak is unknown when its header goes out), or 16-bit PCM
    without ``floats`` (a warning on stderr if anything was clipped). Nothing is written
    before the first piece is ready and checked, so a command refused before then leaves no
    bytes behind. The sizes in the header say "unknown" the way sox writes them to a pipe
    (:data:`STREAM_DATA_SIZE`; sox, ffmpeg and gansig read to the stream's end).

    Returns:
        The samples written.

    Raises:
        AudioError: a piece with NaN or infinite samples.
    """
    code, bits = (3, 32) if floats else (1, 16)
    fmt = struct.pack("<HHIIHH", code, 1, rate, rate * bits // 8, bits // 8, bits) + (b"\0\0" if floats else b"")
    header = (b"RIFF" + struct.pack("<I", STREAM_DATA_SIZE + 20 + len(fmt)) + b"WAVE" + b"fmt " +
              struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", STREAM_DATA_SIZE))
    written, clipped = 0, 0
    for piece in pieces:
        piece = np.asarray(piece, np.float32)
        if not np.all(np.isfinite(piece)):
            raise AudioError("<stdout>: the audio has NaN or infinite samples")
        if not floats:
            clipped += int(np.count_nonzero(np.abs(piece) > 1.0))
        data = piece.astype("<f4") if floats else np.round(np.clip(piece, -1.0, 32767 / 32768) * 32768).astype("<i2")
        out.write(header + data.tobytes())
        header = b""
        written += len(piece)
    out.flush()
    if clipped:
        print(f"warning: <stdout>: {clipped} samples above full scale were clipped in the 16-bit stream",
              file=sys.stderr)
    return written


def check_audio_input(path: str | os.PathLike) -> Path:
    """Check, before any work, that ``path`` is a file that can be read (its content is
    checked when it is loaded).

    Raises:
        AudioError: naming ``path`` and the problem (missing, a folder, not a regular file, ...).
    """
    problem = input_problem(path)
    if problem:
        raise AudioError(f"{path}: {problem}")
    return Path(path)


def check_audio_paths(src: str | os.PathLike, dst: str | os.PathLike, *, force: bool = False) -> None:
    """Check an audio-to-audio tool's paths before any work: a readable input, and an audio
    output that is not the input and can be written (an existing file only with ``force``).

    Raises:
        AudioError, OutputError: naming the file and the problem.
    """
    check_audio_input(src)
    check_audio_output(dst, inputs=[src], force=force)


def output_format(path: str | os.PathLike) -> str:
    """The soundfile format an output's suffix names (``.wav`` -> ``"WAV"``).

    Raises:
        AudioError: a suffix that names no format soundfile writes.
    """
    suffix = Path(path).suffix.lower()
    fmt = _FORMAT_OF_SUFFIX.get(suffix, suffix[1:].upper())
    if fmt not in sf.available_formats() or fmt in ("RAW",):
        raise AudioError(f"{path}: cannot write audio as '{suffix or '(no suffix)'}'; use .wav, .flac, .ogg, "
                         ".aiff or .mp3")
    return fmt


def check_audio_output(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                       above_full_scale: bool = False, force: bool = False) -> Path:
    """Check, before any work, that audio can be written to ``path``: a writable place, not
    one of the inputs, not an existing file (unless ``force``), a format soundfile writes,
    and one that can hold the level if the audio is known to go above full scale.

    Raises:
        OutputError, AudioError: naming ``path`` and the problem.
    """
    fmt = output_format(path)
    if above_full_scale and fmt not in FLOAT_FORMATS:
        raise AudioError(f"{path}: the audio goes above full scale, which {fmt} cannot hold without clipping; "
                         "write a .wav (32-bit float) instead")
    return check_output(path, inputs=inputs, force=force)


def _level_subtype(fmt: str, above_full_scale: bool) -> str:
    """The level policy: 16-bit PCM, or 32-bit float above full scale where the format holds
    it (Vorbis for OGG, MPEG for MP3)."""
    return _DEFAULT_SUBTYPE.get(fmt, "FLOAT" if above_full_scale and fmt in FLOAT_FORMATS else "PCM_16")


def _limit(path: str | os.PathLike, fmt: str, subtype: str, peak: float) -> float:
    """The gain that brings audio peaking at ``peak`` within full scale in a subtype that
    cannot hold more (1 where it can, or where nothing goes above), said on stderr."""
    if peak <= 1.0 or subtype in ("FLOAT", "DOUBLE"):
        return 1.0
    print(f"warning: {path}: the audio peaks at {20 * np.log10(peak):+.1f} dBFS, which {fmt} {subtype} cannot hold: "
          f"it was scaled down by {20 * np.log10(peak):.1f} dB, not clipped (write a .wav to keep the level)",
          file=sys.stderr)
    return 1.0 / peak


def save_stream(path: str | os.PathLike, pieces: Iterable[np.ndarray], rate: int, *,
                total: int | None = None) -> Path:
    """Write audio given piece by piece (``[n]`` mono or ``[n, channels]`` pieces; memory
    does not grow with its length), atomically: nothing is left at ``path`` unless every
    piece was written.

    The level policy is :func:`save`'s, from the samples themselves: the pieces go to a
    32-bit float scratch file beside the output first (their peak is known only at the end),
    then into the output as 16-bit PCM, 32-bit float above full scale, or scaled down where
    the format cannot hold more (said on stderr). Nothing is clipped.

    Args:
        path: destination (format from the suffix).
        pieces: consecutive float sample blocks.
        rate: sample rate.
        total: samples expected, for a progress bar on stderr (shown on a terminal only).

    Raises:
        AudioError: a piece with NaN or infinite samples, or a format that cannot be written.
    """
    fmt = output_format(path)
    peak, block, channels = 0.0, 1 << 18, None
    with atomic_path(path) as tmp:
        scratch = tmp.with_name(tmp.name + ".f32")
        try:
            bar = tqdm(total=total, unit="sample", unit_scale=True, desc=Path(path).name, leave=False,
                       disable=total is None or not sys.stderr.isatty())
            with open(scratch, "wb") as raw, bar:
                for piece in pieces:
                    piece = np.asarray(piece, np.float32)
                    channels = channels or (1 if piece.ndim == 1 else piece.shape[1])
                    if not np.all(np.isfinite(piece)):
                        raise AudioError(f"{path}: the audio has NaN or infinite samples; nothing was written")
                    peak = max(peak, float(np.max(np.abs(piece), initial=0.0)))
                    raw.write(piece.astype("<f4").tobytes())
                    bar.update(len(piece))
            subtype = _level_subtype(fmt, peak > 1.0)
            gain = np.float32(_limit(path, fmt, subtype, peak))
            channels = channels or 1
            with open(scratch, "rb") as raw, sf.SoundFile(str(tmp), "w", rate, channels, subtype, format=fmt) as out:
                while data := raw.read(4 * channels * block):
                    out.write(np.frombuffer(data, "<f4").reshape(-1, channels) * gain)
        except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
            raise AudioError(f"{path}: cannot write {fmt} audio ({exc})") from None
        finally:
            scratch.unlink(missing_ok=True)
    return Path(path)


def save(path: str | os.PathLike, x: np.ndarray, rate: int, *, subtype: str | None = None,
         normalise: bool = False) -> Path:
    """Write audio atomically, format from the suffix.

    Args:
        path: destination.
        x: ``[n]`` or ``[n, channels]`` float samples.
        rate: sample rate.
        subtype: soundfile subtype; by default the module's level policy (16-bit PCM, or
            32-bit float above full scale where the format holds it; Vorbis for OGG).
            Audio above full scale in a subtype that cannot hold it is scaled down to full
            scale, said on stderr (never clipped).
        normalise: scale to a 0.99 peak first (for signals not in [-1, 1]).

    Returns:
        The path written.

    Raises:
        AudioError: the samples cannot be written (empty, NaN, bad rate, a format that
            cannot take them).
    """
    x = np.asarray(x, dtype=np.float32)
    check_audio(x, rate, path, allow_silent=True)
    if normalise and np.any(x):
        x = 0.99 * x / np.max(np.abs(x))
    fmt, peak = output_format(path), float(np.max(np.abs(x)))
    subtype = subtype or _level_subtype(fmt, peak > 1.0)
    if not sf.check_format(fmt, subtype):
        raise AudioError(f"{path}: {fmt} files cannot hold {subtype} samples")
    x = x * np.float32(_limit(path, fmt, subtype, peak))  # integer and lossy formats cannot hold more
    with atomic_path(path) as tmp:
        try:
            sf.write(str(tmp), x, rate, format=fmt, subtype=subtype)
        except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
            raise AudioError(f"{path}: cannot write {fmt} audio ({exc})") from None
    return Path(path)
