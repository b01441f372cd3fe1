"""Scoring the codec beside the reference codecs on the same speech (the shared harness of
:mod:`gansig.metrics.harness`): Table 3's rows, and ``evaluate`` on the user's own files."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from tqdm import tqdm

from gansig import metrics, plots
from gansig.baselines import codecs
from gansig.data import io, signals
from gansig.data.corpora import load_folder
from gansig.errors import AudioError
from gansig.metrics.harness import KBPS, SCORED, Method, Outcome, items, means, means_table, run_methods
from gansig.papers.bpgan import frontend
from gansig.papers.bpgan.codec import Codec
from gansig.results import ResultsTable

RATE = frontend.RATE
NB, WB, STOI, MUSHRA = "PESQ-NB (raw P.862)", "PESQ-WB (P.862.2)", "STOI", "MUSHRA"
METRICS = (NB, WB, STOI, *metrics.DNSMOS_METRICS)
MIN_SECONDS = 1.0  # the shortest file evaluate scores
MUSHRA_REASON = ("a listening test with human listeners, not run here; the DNSMOS columns predict listeners' "
                 "absolute ratings (P.835, P.808), not MUSHRA")
ORIGINAL = "Original (16-bit PCM)"
WEIGHTED = "BPGAN (ADMM, level-weighted search)"
WARM = "BPGAN (warm start: distilled encoder + short search)"
COMPARED = ("Unified GAN (encoder only)", "Codec2 1200", "Codec2 3200", "Opus 6k", "Opus 9k", "AMR-WB 6.60k",
            "CELP 8k (Speex NB)")
PLOT_LABELS = {"BPGAN (ADMM)": "BPGAN (paper's search)", WEIGHTED: "BPGAN (weighted)", WARM: "BPGAN (warm start)",
               "Unified GAN (encoder only)": "Unified GAN (encoder only)"}


def join_segments(waveforms: list[np.ndarray], seconds: float, limit: int | None) -> list[np.ndarray]:
    """Join utterances (0.3 s of silence between them) into segments of about ``seconds``,
    levelled to -26 dBFS: long enough for PESQ, few enough for the codecs' start-up cost."""
    gap = np.zeros(int(0.3 * RATE), np.float32)
    out, current = [], []
    for x in waveforms:
        current += [x, gap]
        if sum(len(c) for c in current) >= seconds * RATE:
            out.append(np.concatenate(current[:-1]))
            current = []
            if limit and len(out) >= limit:
                break
    if current and (not limit or len(out) < limit):
        out.append(np.concatenate(current[:-1]))
    return [signals.set_level(s, -26.0) for s in out]


def methods(codec: Codec) -> dict[str, Method]:
    """Method name -> (segment -> (decoded audio, bytes)). "BPGAN (ADMM)" is the paper's
    search (plain MSE, from the paper's encoder); the level-weighted search from the same
    start gets a row of its own, and so does the codec's own search where it starts from
    the distilled encoder (:data:`WARM`, ``config.warm_iterations`` steps)."""
    def bpgan(c: Codec, search: bool) -> Method:
        def run(x):
            coded = c.encode(x, RATE, search=search)
            return c.decode(coded)[0], len(coded)
        return run

    def reference_codec(fn) -> Method:
        def run(x):
            coded = fn(x)
            return coded.decoded, coded.n_bytes
        return run

    cold = codec.searching(start="encoder")
    paper_search = dataclasses.replace(cold, config=dataclasses.replace(cold.config, admm_level_power=0.0))
    weighted = {WEIGHTED: bpgan(cold, True)} if codec.config.admm_level_power else {}
    warm = {WARM: bpgan(codec, True)} if codec.warm else {}
    return {
        ORIGINAL: lambda x: (x, 2 * len(x)),
        "BPGAN (ADMM)": bpgan(paper_search, True),
        **weighted,
        **warm,
        "Unified GAN (encoder only)": bpgan(codec, False),
        "CELP 8k (Speex NB)": reference_codec(lambda x: codecs.speex_nb(x, RATE, 8)),
        "Opus 9k": reference_codec(lambda x: codecs.opus(x, RATE, 9)),
        "AMR-WB 6.60k": reference_codec(lambda x: codecs.amr_wb(x, RATE, 6.60)),
        "Opus 6k": reference_codec(lambda x: codecs.opus(x, RATE, 6)),
        "Codec2 3200": reference_codec(lambda x: codecs.codec2(x, RATE, 3200)),
        "Codec2 1200": reference_codec(lambda x: codecs.codec2(x, RATE, 1200)),
    }


def score(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """PESQ-NB, PESQ-WB and STOI of decoded ``y`` against original ``x`` (both at 16 kHz),
    and DNSMOS of ``y`` alone (non-intrusive: what a listening test's absolute rating would
    see, where MUSHRA cannot be run).

    Raises:
        AudioError: where PESQ cannot score the pair (e.g. no speech found).
    """
    return {NB: metrics.pesq(x, y, RATE, "nb"), WB: metrics.pesq(x, y, RATE, "wb"), STOI: metrics.stoi(x, y, RATE),
            **metrics.dnsmos(y, RATE)}


def add_rows(table: ResultsTable, name: str, results: Mapping[str, list[Outcome]]) -> dict[str, dict[str, float]]:
    """One Table 3 (rows: methods) from coded segments; returns each method's means."""
    averages = {}
    for method, coded in results.items():
        m = averages[method] = means(coded, METRICS)
        failed = len(coded) - m[SCORED]
        table.add(name, method, KBPS, m[KBPS], n_eval=len(coded))
        table.add(name, method, NB, m[NB], n_eval=m[SCORED], items=items(coded, NB),
                  note=f"{failed} segment(s) PESQ could not score" if failed else "")
        for metric in METRICS[1:]:
            table.add(name, method, metric, m[metric], n_eval=m[SCORED], items=items(coded, metric))
        table.not_measured(name, method, MUSHRA, MUSHRA_REASON)
    return averages


def evaluate(codec: Codec, paths: list[str | Path]) -> dict[str, dict[str, float]]:
    """Score a codec beside the reference codecs on the user's own audio files.

    Each file is one segment, levelled to -26 dBFS as Table 3's speech is; the codec runs
    its own search (and the encoder alone), the reference codecs their Table 3 modes.

    Args:
        codec: the trained codec.
        paths: audio files and folders (searched recursively).

    Returns:
        Method -> its means (kbit/s from the bytes; PESQ-NB, PESQ-WB, STOI and DNSMOS over
        the files PESQ could score; how many it scored).

    Raises:
        DataError: a folder holds no audio files.
        AudioError: a file is missing or cannot be used (unreadable, empty, silent, shorter
            than :data:`MIN_SECONDS`, ...).
        CodecError: a reference codec is not installed.
    """
    files = []
    for path in map(Path, paths):
        files += [item.path for item in load_folder(path)] if path.is_dir() else [path]
    segments = []
    for f in tqdm(files, desc="loading audio", unit="file", leave=False):
        x = io.load(f, RATE)[0]
        if len(x) < MIN_SECONDS * RATE:
            raise AudioError(f"{f}: too short to score ({len(x) / RATE:.2f} s; PESQ and STOI need at least "
                             f"{MIN_SECONDS:g} s of speech)")
        segments.append(signals.set_level(x, -26.0))
    own_search = WARM if codec.warm else WEIGHTED if codec.config.admm_level_power else "BPGAN (ADMM)"
    chosen = {name: run for name, run in methods(codec).items() if name in (own_search, *COMPARED)}
    return {name: means(coded, METRICS) for name, coded in run_methods(segments, chosen, score, RATE,
                                                                         label="coding").items()}


def format_means(averages: Mapping[str, Mapping[str, float]]) -> str:
    """Methods as a markdown table: measured kbit/s, PESQ-NB, PESQ-WB, STOI, DNSMOS, files scored."""
    return means_table(averages, METRICS)


def rate_quality_plot(averages: Mapping[str, Mapping[str, float]], path: Path) -> Path:
    """Measured bitrate against PESQ-WB and PESQ-NB, one labelled point per method."""
    return plots.rate_quality(averages, path, rate=KBPS, metrics=(WB, NB), labels=PLOT_LABELS, leave_out=(ORIGINAL,))


def verdict(table: ResultsTable, averages: Mapping[str, Mapping[str, float]], subset: str) -> None:
    """A note saying, from the measurements, whether BPGAN beats Codec2 3200 and the encoder alone."""
    def scores(method: str) -> str:
        m = averages[method]
        return f"{method} {m[KBPS]:.2f} kbps, PESQ-NB {m[NB]:.2f} / WB {m[WB]:.2f}"

    def beats(a: str, b: str, metric: str) -> str:
        return "beats" if averages[a][metric] > averages[b][metric] else "does not beat"

    rows = ["BPGAN (ADMM)"] + [m for m in (WEIGHTED, WARM) if m in averages]
    verdicts = [f"{r} {beats(r, 'Codec2 3200', NB)} Codec2 3200 on PESQ-NB and {beats(r, 'Codec2 3200', WB)} it "
                f"on PESQ-WB" for r in rows]
    table.notes.append(
        f"On {subset}: " + "; ".join(scores(m) for m in rows + ["Unified GAN (encoder only)", "Codec2 3200"])
        + f". ADMM {beats('BPGAN (ADMM)', 'Unified GAN (encoder only)', NB)} the encoder alone (PESQ-NB); "
        + "; ".join(verdicts) + ".")
