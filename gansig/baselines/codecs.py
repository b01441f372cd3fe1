"""Reference speech codecs, run for real: Opus (opus-tools), Speex narrowband CELP (speex),
Codec2 (codec2) and AMR-WB (libvo-amrwbenc / libopencore-amrwb through ctypes).

Each codec takes mono float audio at any rate and returns the decoded audio at that rate,
delay-aligned to the input, with the bitrate measured from the encoded file's bytes.
The Debian packages come from ``make system-deps``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import signal as sps

from gansig import metrics
from gansig.data import io
from gansig.errors import GansigError


class CodecError(GansigError):
    """A reference codec is missing or failed."""


@dataclass(frozen=True)
class Coded:
    """A codec's output.

    Attributes:
        decoded: decoded audio at the input's rate and length, delay-aligned.
        n_bytes: size of the encoded file (container and headers included).
        kbps: ``8 * n_bytes / duration / 1000``.
        delay: samples the decoder's output lagged the input (removed in ``decoded``).
    """

    decoded: np.ndarray
    n_bytes: int
    kbps: float
    delay: int


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CodecError(f"{name} not found: install the Debian package {package} (make system-deps)")
    return path


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise CodecError(f"{Path(cmd[0]).name} failed: {done.stderr.strip()[:300]}")


def _pcm16(x: np.ndarray) -> np.ndarray:
    return (np.clip(x, -1, 1) * 32767).round().astype("<i2")


def _best_lag(a: np.ndarray, b: np.ndarray, max_lag: int, centre: int = 0) -> int:
    """The lag of ``a`` behind ``b`` within ``centre ± max_lag`` maximising their correlation."""
    corr = sps.correlate(a - a.mean(), b - b.mean(), mode="full", method="fft")
    lags = np.arange(-len(b) + 1, len(a))
    window = np.abs(lags - centre) <= max_lag
    return int(lags[window][np.argmax(corr[window])])


def align(reference: np.ndarray, decoded: np.ndarray, rate: int, max_delay_s: float = 0.25) -> tuple[np.ndarray, int]:
    """Shift ``decoded`` so it lines up with ``reference``; returns it (same length as
    ``reference``) and the delay in samples.

    The lag is found on the amplitude envelopes first (rectified, low-passed at 50 Hz), then
    refined on the waveforms within ±1 ms. Envelopes first, because parametric codecs such
    as Codec2 do not keep the waveform's phase and plain cross-correlation can lock onto the
    wrong pitch period; the ±1 ms refinement stays within half of any voice's pitch period.
    """
    if len(decoded) == 0 or len(reference) == 0:
        return np.zeros(len(reference), np.float32), 0
    sos = sps.butter(2, 50, fs=rate, output="sos")
    head = decoded[: len(reference) + int(max_delay_s * rate)]
    coarse = _best_lag(_envelope(sos, head), _envelope(sos, reference), int(max_delay_s * rate))
    delay = _best_lag(head, reference, int(0.001 * rate), centre=coarse)
    shifted = decoded[delay:] if delay >= 0 else np.concatenate([np.zeros(-delay, decoded.dtype), decoded])
    out = np.zeros(len(reference), np.float32)
    out[: min(len(reference), len(shifted))] = shifted[: len(reference)]
    return out, delay


def _envelope(sos: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The low-passed rectified signal, zero-phase (signals shorter than the filter's
    default padding are padded less)."""
    default_pad = 3 * (2 * len(sos) + 1)
    return sps.sosfiltfilt(sos, np.abs(x), padlen=None if len(x) > default_pad else len(x) - 1)


def _finish(x: np.ndarray, rate: int, decoded: np.ndarray, decoded_rate: int, n_bytes: int) -> Coded:
    decoded = io.resample(decoded, decoded_rate, rate)
    aligned, delay = align(x, decoded, rate)
    return Coded(aligned, n_bytes, metrics.kbps(n_bytes, len(x) / rate), delay)


def opus(x: np.ndarray, rate: int, kbps: float) -> Coded:
    """Opus (opusenc VBR at ``kbps``, 16 kHz input), decoded by opusdec."""
    enc, dec = _tool("opusenc", "opus-tools"), _tool("opusdec", "opus-tools")
    with tempfile.TemporaryDirectory() as tmp:
        src, coded, out = Path(tmp, "in.wav"), Path(tmp, "c.opus"), Path(tmp, "out.wav")
        io.save(src, io.resample(x, rate, 16000), 16000)
        _run([enc, "--quiet", "--bitrate", f"{kbps:g}", str(src), str(coded)])
        _run([dec, "--quiet", "--rate", "16000", str(coded), str(out)])
        return _finish(x, rate, io.load(out, allow_silent=True)[0], 16000, coded.stat().st_size)


def speex_nb(x: np.ndarray, rate: int, kbps: float = 8.0) -> Coded:
    """Speex narrowband (CELP) at ``kbps``, 8 kHz."""
    enc, dec = _tool("speexenc", "speex"), _tool("speexdec", "speex")
    with tempfile.TemporaryDirectory() as tmp:
        src, coded, out = Path(tmp, "in.wav"), Path(tmp, "c.spx"), Path(tmp, "out.wav")
        io.save(src, io.resample(x, rate, 8000), 8000)
        _run([enc, "--narrowband", "--bitrate", str(int(kbps * 1000)), str(src), str(coded)])
        _run([dec, str(coded), str(out)])
        decoded, decoded_rate = io.load(out, allow_silent=True)
        return _finish(x, rate, decoded, decoded_rate, coded.stat().st_size)


CODEC2_MODES = (3200, 2400, 1600, 1400, 1300, 1200, 700)


def codec2(x: np.ndarray, rate: int, mode: int = 3200) -> Coded:
    """Codec2 at ``mode`` bit/s (8 kHz raw 16-bit PCM in and out)."""
    if mode not in CODEC2_MODES:
        raise CodecError(f"Codec2 mode {mode} is not one of {CODEC2_MODES}")
    enc, dec = _tool("c2enc", "codec2"), _tool("c2dec", "codec2")
    with tempfile.TemporaryDirectory() as tmp:
        src, coded, out = Path(tmp, "in.raw"), Path(tmp, "c.c2"), Path(tmp, "out.raw")
        _pcm16(io.resample(x, rate, 8000)).tofile(src)
        _run([enc, str(mode), str(src), str(coded)])
        _run([dec, str(mode), str(coded), str(out)])
        decoded = np.fromfile(out, "<i2").astype(np.float32) / 32768
        return _finish(x, rate, decoded, 8000, coded.stat().st_size)


AMRWB_MODES = (6.60, 8.85, 12.65, 14.25, 15.85, 18.25, 19.85, 23.05, 23.85)
_AMRWB_FRAME = 320  # 20 ms at 16 kHz
_AMRWB_MAGIC = b"#!AMR-WB\n"


def _library(name: str, package: str) -> ctypes.CDLL:
    found = ctypes.util.find_library(name)
    try:
        return ctypes.CDLL(found or f"lib{name}.so.0")
    except OSError:
        raise CodecError(f"lib{name} not found: install the Debian package {package} (make system-deps)") from None


def amr_wb(x: np.ndarray, rate: int, kbps: float = 6.60) -> Coded:
    """AMR-WB (3GPP) at one of :data:`AMRWB_MODES` kbit/s, through the VisualOn encoder and
    the OpenCORE decoder (Debian's ffmpeg has no AMR encoder). The size counted is that of
    the storage-format file (``#!AMR-WB`` header and one table-of-contents byte per frame)."""
    if kbps not in AMRWB_MODES:
        raise CodecError(f"AMR-WB mode {kbps} kbit/s is not one of {AMRWB_MODES}")
    enc_lib = _library("vo-amrwbenc", "libvo-amrwbenc0")
    dec_lib = _library("opencore-amrwb", "libopencore-amrwb0")
    enc_lib.E_IF_init.restype = ctypes.c_void_p
    enc_lib.E_IF_encode.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_short),
                                    ctypes.POINTER(ctypes.c_ubyte), ctypes.c_int]
    enc_lib.E_IF_exit.argtypes = [ctypes.c_void_p]
    dec_lib.D_IF_init.restype = ctypes.c_void_p
    dec_lib.D_IF_decode.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_ubyte), ctypes.POINTER(ctypes.c_short),
                                    ctypes.c_int]
    dec_lib.D_IF_exit.argtypes = [ctypes.c_void_p]
    pcm = _pcm16(io.resample(x, rate, 16000))
    pcm = np.pad(pcm, (0, -len(pcm) % _AMRWB_FRAME))
    mode = AMRWB_MODES.index(kbps)
    enc, dec = enc_lib.E_IF_init(), dec_lib.D_IF_init()
    stream, decoded = bytearray(_AMRWB_MAGIC), []
    buf = (ctypes.c_ubyte * 64)()
    out = (ctypes.c_short * _AMRWB_FRAME)()
    try:
        for start in range(0, len(pcm), _AMRWB_FRAME):
            frame = np.ascontiguousarray(pcm[start:start + _AMRWB_FRAME])
            n = enc_lib.E_IF_encode(enc, mode, frame.ctypes.data_as(ctypes.POINTER(ctypes.c_short)), buf, 0)
            stream += bytes(buf[:n])
            dec_lib.D_IF_decode(dec, buf, out, 0)
            decoded.append(np.frombuffer(bytes(out), "<i2").copy())
    finally:
        enc_lib.E_IF_exit(enc)
        dec_lib.D_IF_exit(dec)
    return _finish(x, rate, np.concatenate(decoded).astype(np.float32) / 32768, 16000, len(stream))
