"""Perceptual quality and intelligibility: PESQ (ITU-T P.862, NB and WB), STOI, DNSMOS
(Microsoft's non-intrusive P.835 and P.808 predictors), and ViSQOL in audio mode (full-band
music and sound at 48 kHz)."""

from __future__ import annotations

import numpy as np

from gansig.data.io import resample
from gansig.errors import AudioError

_PESQ_RATE = {"nb": 8000, "wb": 16000}


def pesq(reference: np.ndarray, degraded: np.ndarray, rate: int, mode: str = "wb") -> float:
    """PESQ of ``degraded`` against ``reference`` (both resampled to the mode's rate).

    Args:
        reference: clean speech, 1-D.
        degraded: processed speech, 1-D, same length (aligned beforehand).
        rate: their sample rate.
        mode: ``"nb"`` (P.862 narrowband, raw MOS scale up to 4.5; scored at 8 kHz) or
            ``"wb"`` (P.862.2 wideband, scored at 16 kHz).

    Returns:
        The PESQ score.

    Raises:
        AudioError: PESQ cannot score the pair (e.g. no speech detected, too short).
    """
    import pesq as pesq_lib

    if mode not in _PESQ_RATE:
        raise ValueError(f"mode must be 'nb' or 'wb', got {mode!r}")
    target = _PESQ_RATE[mode]
    ref = resample(np.asarray(reference, np.float32), rate, target)
    deg = resample(np.asarray(degraded, np.float32), rate, target)
    n = min(len(ref), len(deg))
    try:
        return float(pesq_lib.pesq(target, ref[:n], deg[:n], mode))
    except (pesq_lib.PesqError, ValueError) as exc:
        raise AudioError(f"PESQ cannot score this pair: {exc}") from None


def stoi(reference: np.ndarray, degraded: np.ndarray, rate: int, extended: bool = False) -> float:
    """Short-time objective intelligibility (0..1; ``extended`` for ESTOI)."""
    from pystoi import stoi as stoi_lib

    n = min(len(reference), len(degraded))
    return float(stoi_lib(np.asarray(reference[:n], np.float64), np.asarray(degraded[:n], np.float64),
                          rate, extended=extended))


DNSMOS_RATE = 16_000
DNSMOS_METRICS = ("DNSMOS OVRL", "DNSMOS SIG", "DNSMOS BAK", "DNSMOS P.808")


def dnsmos(audio: np.ndarray, rate: int) -> dict[str, float]:
    """Non-intrusive quality predictions (no reference): DNSMOS P.835's overall, signal and
    background scores and DNSMOS P.808's MOS, each 1-5.

    The ONNX models ship inside the ``speechmos`` wheel (MIT licence) and run on the CPU with
    ``onnxruntime``; nothing is downloaded. Audio is resampled to 16 kHz and clipped to full
    scale as the models expect; clips shorter than the models' 9.01 s window are repeated
    to fill it (speechmos's convention), longer ones scored in 1 s hops and averaged.

    Returns:
        ``{"DNSMOS OVRL", "DNSMOS SIG", "DNSMOS BAK", "DNSMOS P.808"}``.
    """
    from speechmos import dnsmos as model

    x = np.clip(resample(np.asarray(audio, np.float32), rate, DNSMOS_RATE), -1.0, 1.0)
    scores = model.run(x, DNSMOS_RATE)
    return dict(zip(DNSMOS_METRICS, (float(scores[k]) for k in ("ovrl_mos", "sig_mos", "bak_mos", "p808_mos")),
                    strict=True))


VISQOL_RATE = 48_000
_visqol = None


def visqol(reference: np.ndarray, degraded: np.ndarray, rate: int) -> float:
    """ViSQOL v3 in audio mode (MOS-LQO, 1-~4.75) of ``degraded`` against ``reference``, both
    resampled to 48 kHz: a perceptual measure of the full band, which PESQ and STOI (blind
    above 8 and ~5 kHz) are not. Runs ``visqol-python`` (the reference implementation's
    algorithm and SVR model, offline); its first call compiles it (a few seconds).

    Raises:
        AudioError: ViSQOL cannot score the pair (too short, silent reference).
    """
    global _visqol
    from visqol import VisqolApi

    if _visqol is None:
        _visqol = VisqolApi()
        _visqol.create(mode="audio")
    ref = resample(np.asarray(reference, np.float32), rate, VISQOL_RATE).astype(np.float64)
    deg = resample(np.asarray(degraded, np.float32), rate, VISQOL_RATE).astype(np.float64)
    n = min(len(ref), len(deg))
    try:
        with np.errstate(invalid="ignore", divide="ignore"):  # a silent output's level scaling: 0 / 0, harmless
            return float(_visqol.measure_from_arrays(ref[:n], deg[:n], VISQOL_RATE).moslqo)
    except (ValueError, ZeroDivisionError, IndexError, FloatingPointError) as exc:
        raise AudioError(f"ViSQOL cannot score this pair: {exc}") from None
