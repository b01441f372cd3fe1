"""One evaluation protocol for every row (A6.3, A7-#8): the held-out excerpt of the
recording, damaged at the evaluation cut, restored by each method, scored against the
thesis's training target (original + noise) and against the clean original; and the gansig
restorer's goals, against the clean original.

Metrics: the thesis's five (waveform MSE and RMSE, SNR in dB, LSD in its dB form, STOI on
the whole excerpt), the bandwidth-extension field's LSD (log10 power, floor 1e-8, n_fft
2048, hop 512) over all bins and below and above the cut, and ViSQOL in audio mode at
48 kHz (full band); against the clean original SNR, LSD and STOI.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gansig import baselines, metrics
from gansig.errors import AudioError
from gansig.metrics.harness import Method
from gansig.papers.film import reference
from gansig.papers.film.config import Config
from gansig.papers.film.restore import Restorer

LSD_STD, LSD_LOW, LSD_HIGH, VISQOL = ("LSD (log10, BWE standard)", "LSD below the cut", "LSD above the cut",
                                      "ViSQOL (audio, 48 kHz)")
TARGET_METRICS = (reference.MSE, reference.RMSE, reference.SNR, reference.LSD, reference.STOI, LSD_STD, LSD_LOW,
                  LSD_HIGH, VISQOL)
CLEAN_METRICS = ("SNR vs clean (dB)", "LSD vs clean (log10)", "STOI vs clean")
SILENCE, DAMAGED, BWE, BWE_WIENER, GANSIG = ("Silence (all zeros)", "Damaged input, unchanged",
                                             "Classical bandwidth extension (band replication)",
                                             "Band replication + Wiener denoiser",
                                             "gansig restorer (trained for the clean original)")


def scorer(clean: np.ndarray, config: Config, cutoff_hz: float) -> Callable[[np.ndarray, np.ndarray], dict]:
    """``(target, output) -> scores`` on the excerpt whose clean original is ``clean``."""
    rate = config.rate
    visqol_n = len(clean) if config.visqol_seconds is None else int(config.visqol_seconds * rate)

    def score(target: np.ndarray, y: np.ndarray) -> dict[str, float]:
        y = np.asarray(y, np.float32)[: len(target)]
        mse = float(metrics.mse(target, y)[0])
        lsd = lambda ref, form="log10", band=None: metrics.log_spectral_distance(  # noqa: E731
            ref, y, rate, form=form, n_fft=config.n_fft, hop=config.hop, band=band)
        try:
            visqol = metrics.visqol(target[:visqol_n], y[:visqol_n], rate)
        except AudioError:
            visqol = float("nan")
        return {
            reference.MSE: mse, reference.RMSE: float(np.sqrt(mse)), reference.SNR: float(metrics.snr_db(target, y)[0]),
            reference.LSD: lsd(target, "db"), reference.STOI: metrics.stoi(target, y, rate), LSD_STD: lsd(target),
            LSD_LOW: lsd(target, band=(0, cutoff_hz)), LSD_HIGH: lsd(target, band=(cutoff_hz, rate / 2)),
            VISQOL: visqol, CLEAN_METRICS[0]: float(metrics.snr_db(clean, y)[0]), CLEAN_METRICS[1]: lsd(clean),
            CLEAN_METRICS[2]: metrics.stoi(clean, y, rate)}
    return score


def baseline_methods(config: Config, cutoff_hz: float) -> dict[str, Method]:
    """The rows that make the table readable: silence, the input as it is, and a classical
    bandwidth extension with and without a denoiser."""
    rate = config.rate

    def bwe(x):
        return baselines.band_replication(x, rate, cutoff_hz, n_fft=config.n_fft, hop=config.hop)

    return {SILENCE: lambda x: (np.zeros_like(x), None), DAMAGED: lambda x: (x, None), BWE: lambda x: (bwe(x), None),
            BWE_WIENER: lambda x: (baselines.wiener(bwe(x), rate), None)}


def restorer_method(restorer: Restorer, cutoff_hz: float | None = None, strength: float = 1.0) -> Method:
    """A trained restorer as a method of the harness."""
    return lambda x: (restorer.restore(x, cutoff_hz, strength), None)


def verdict(cases: dict[str, dict[str, dict[str, float]]], main: str) -> str:
    """The gansig restorer's goals against the clean original, each met or not: on the
    ``main`` case (the thesis's damage) LSD at least 40 % below the damaged input's and below
    band replication + Wiener's, SNR at most 0.5 dB below the input's, STOI and ViSQOL above
    it; on every other case LSD below the damaged input's."""
    s = cases[main]
    g, d, w = s[GANSIG], s[DAMAGED], s[BWE_WIENER]
    checks = [
        (f"LSD at least 40% below the damaged input's ({g[LSD_STD]:.3f} vs {d[LSD_STD]:.3f}, "
         f"{100 * (1 - g[LSD_STD] / d[LSD_STD]):.0f}% lower)", g[LSD_STD] <= 0.6 * d[LSD_STD]),
        (f"LSD below band replication + Wiener's ({g[LSD_STD]:.3f} vs {w[LSD_STD]:.3f})", g[LSD_STD] < w[LSD_STD]),
        (f"SNR at most 0.5 dB below the damaged input's ({g[reference.SNR]:.2f} vs {d[reference.SNR]:.2f} dB)",
         g[reference.SNR] >= d[reference.SNR] - 0.5),
        (f"STOI above the damaged input's ({g[reference.STOI]:.3f} vs {d[reference.STOI]:.3f})",
         g[reference.STOI] > d[reference.STOI]),
        (f"ViSQOL above the damaged input's ({g[VISQOL]:.2f} vs {d[VISQOL]:.2f})", g[VISQOL] > d[VISQOL]),
    ]
    for case, scores in cases.items():
        if case != main:
            checks.append((f"{case}: LSD below the damaged input's ({scores[GANSIG][LSD_STD]:.3f} vs "
                           f"{scores[DAMAGED][LSD_STD]:.3f})", scores[GANSIG][LSD_STD] < scores[DAMAGED][LSD_STD]))
    met = sum(ok for _, ok in checks)
    return (f"The gansig restorer meets {met} of its {len(checks)} goals against the clean original ({main}: "
            + "; ".join(f"{text}: {'met' if ok else 'NOT met'}" for text, ok in checks) + ").")
