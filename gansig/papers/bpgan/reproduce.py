"""Table 3 regenerated: train the codec, encode the test speech for real (.bpg bytes), and
score it beside the reference codecs run on the same speech. The same training and scoring
serve the user's own audio: :func:`train_codec` and :func:`evaluate`."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm import tqdm

from gansig import metrics, plots
from gansig.baselines import codecs
from gansig.data import features, io, signals
from gansig.data.corpora import AudioItem, load_folder
from gansig.errors import AudioError, ConfigError, DataError, ModelError
from gansig.fileio import write_text
from gansig.papers.bpgan import data, frontend, reference, train
from gansig.papers.bpgan.codec import Codec, build_codec
from gansig.papers.bpgan.config import PROFILES, Config
from gansig.reproduction import Run, start
from gansig.results import ResultsTable

NAME = "bpgan"
RATE = frontend.RATE
ORIGIN = "origin.json"  # beside a kept codec: the source it was trained on, the run and its history
MUSHRA_REASON = "a listening test with human listeners; no objective stand-in is reported"


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


WEIGHTED = "BPGAN (ADMM, level-weighted search)"
EXAMPLE_FILES = {"Original (16-bit PCM)": "original", "BPGAN (ADMM)": "bpgan", WEIGHTED: "bpgan_weighted",
                 "Unified GAN (encoder only)": "unified_gan", "Codec2 3200": "codec2_3200", "Opus 9k": "opus_9k"}
PLOT_LABELS = {"BPGAN (ADMM)": "BPGAN (paper's search)", WEIGHTED: "BPGAN (weighted)",
               "Unified GAN (encoder only)": "Unified GAN (encoder only)"}


def _methods(codec: Codec) -> dict[str, Callable[[np.ndarray], tuple[np.ndarray, int]]]:
    """Method name -> (segment -> (decoded audio, bytes)). "BPGAN (ADMM)" is the paper's
    search (plain MSE); the codec's own level-weighted search gets a row of its own."""
    def bpgan(c: Codec, search: bool):
        def run(x):
            coded = c.encode(x, RATE, search=search)
            return c.decode(coded)[0], len(coded)
        return run

    paper_search = dataclasses.replace(codec, config=dataclasses.replace(codec.config, admm_level_power=0.0))
    weighted = {WEIGHTED: bpgan(codec, True)} if codec.config.admm_level_power else {}

    def reference_codec(fn):
        def run(x):
            coded = fn(x)
            return coded.decoded, coded.n_bytes
        return run

    return {
        "Original (16-bit PCM)": lambda x: (x, 2 * len(x)),
        "BPGAN (ADMM)": bpgan(paper_search, True),
        **weighted,
        "Unified GAN (encoder only)": bpgan(codec, False),
        "CELP 8k (Speex NB)": reference_codec(lambda x: codecs.speex_nb(x, RATE, 8)),
        "Opus 9k": reference_codec(lambda x: codecs.opus(x, RATE, 9)),
        "AMR-WB 6.60k": reference_codec(lambda x: codecs.amr_wb(x, RATE, 6.60)),
        "Opus 6k": reference_codec(lambda x: codecs.opus(x, RATE, 6)),
        "Codec2 3200": reference_codec(lambda x: codecs.codec2(x, RATE, 3200)),
        "Codec2 1200": reference_codec(lambda x: codecs.codec2(x, RATE, 1200)),
    }


def score(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """``(PESQ-NB, PESQ-WB, STOI)`` of decoded ``y`` against original ``x`` (both at 16 kHz).

    Raises:
        AudioError: where PESQ cannot score the pair (e.g. no speech found).
    """
    return metrics.pesq(x, y, RATE, "nb"), metrics.pesq(x, y, RATE, "wb"), metrics.stoi(x, y, RATE)


def _code(segments: list[np.ndarray], methods: dict, label: str) -> dict[str, list[dict]]:
    """Every method on every segment: bytes, decoded audio and scores (None where PESQ
    cannot score)."""
    results: dict[str, list[dict]] = {}
    for method, run in tqdm(methods.items(), desc=label, unit="codec", leave=False):
        results[method] = []
        for x in segments:
            y, size = run(x)
            try:
                scores = score(x, y)
            except AudioError:
                scores = None
            results[method].append({"seconds": len(x) / RATE, "bytes": size, "decoded": y, "scores": scores})
    return results


def _means(coded: list[dict]) -> dict[str, float]:
    """Measured kbit/s (all bytes over all seconds) and the mean PESQ-NB, PESQ-WB and STOI
    of the scored segments (NaN where none could be scored)."""
    scored = [c["scores"] for c in coded if c["scores"] is not None]
    nb, wb, st = np.mean(scored, axis=0) if scored else (np.nan,) * 3
    return {"kbps": metrics.kbps(sum(c["bytes"] for c in coded), sum(c["seconds"] for c in coded)),
            "nb": nb, "wb": wb, "stoi": st, "scored": len(scored)}


def _add_rows(table: ResultsTable, name: str, results: dict[str, list[dict]]) -> dict[str, dict[str, float]]:
    """One Table 3 (rows: methods) from coded segments; returns each method's means."""
    means = {}
    for method, coded in results.items():
        m = means[method] = _means(coded)
        ref = reference.TABLE_3.get(method)
        failed = len(coded) - m["scored"]
        table.add(name, method, "bitrate (kbps, from the bytes)", m["kbps"], reference=ref and ref[0],
                  n_eval=len(coded))
        table.add(name, method, "PESQ-NB (raw P.862)", m["nb"], reference=ref and ref[1], n_eval=m["scored"],
                  note=f"{failed} segment(s) PESQ could not score" if failed else "")
        table.add(name, method, "PESQ-WB (P.862.2)", m["wb"], n_eval=m["scored"])
        table.add(name, method, "STOI", m["stoi"], n_eval=m["scored"])
        table.not_measured(name, method, "MUSHRA", MUSHRA_REASON, reference=ref and ref[2])
    return means


COMPARED = ("Unified GAN (encoder only)", "Codec2 1200", "Codec2 3200", "Opus 6k", "Opus 9k", "AMR-WB 6.60k",
            "CELP 8k (Speex NB)")


def evaluate(codec: Codec, paths: list[str | Path]) -> dict[str, dict[str, float]]:
    """Score a codec beside the reference codecs on the user's own audio files.

    Each file is one segment, levelled to -26 dBFS as Table 3's speech is; the codec runs
    its own search (and the encoder alone), the reference codecs their Table 3 modes.

    Args:
        codec: the trained codec.
        paths: audio files and folders (searched recursively).

    Returns:
        Method -> ``{"kbps", "nb", "wb", "stoi", "scored"}`` (kbit/s from the bytes, mean
        PESQ-NB / PESQ-WB / STOI over the files PESQ could score, how many it scored).

    Raises:
        DataError: a folder holds no audio files.
        AudioError: a file is missing or cannot be used (unreadable, empty, silent, ...).
        CodecError: a reference codec is not installed.
    """
    files = []
    for path in map(Path, paths):
        files += [item.path for item in load_folder(path)] if path.is_dir() else [path]
    segments = [signals.set_level(io.load(f, RATE)[0], -26.0)
                for f in tqdm(files, desc="loading audio", unit="file", leave=False)]
    own_search = WEIGHTED if codec.config.admm_level_power else "BPGAN (ADMM)"
    methods = {name: run for name, run in _methods(codec).items() if name in (own_search, *COMPARED)}
    return {name: _means(coded) for name, coded in _code(segments, methods, "coding").items()}


def format_means(means: dict[str, dict[str, float]]) -> str:
    """Methods as a markdown table: measured kbit/s, PESQ-NB, PESQ-WB, STOI, files scored."""
    lines = ["| method | kbit/s (from the bytes) | PESQ-NB | PESQ-WB | STOI | scored |", "|---|---|---|---|---|---|"]
    lines += [f"| {name} | {m['kbps']:.2f} | {m['nb']:.2f} | {m['wb']:.2f} | {m['stoi']:.3f} | {m['scored']} |"
              for name, m in sorted(means.items(), key=lambda item: item[1]["kbps"])]
    return "\n".join(lines)


def train_codec(profile: str = "quick", out_dir: str | Path | None = None, seed: int = 0,
                verbose: int | str = "auto", timit: str | Path | None = None, audio: str | Path | None = None,
                **overrides) -> Path:
    """Train a codec and save it, without scoring it: on a folder of the user's own audio,
    on TIMIT, or on speech-default (the model ``reproduce`` trains before it scores).

    Args:
        profile: ``"paper"`` (GPU), ``"quick"`` (default) or ``"smoke"``.
        out_dir: results directory (default ``results/bpgan/PROFILE``); the codec goes to
            ``OUT/models/codec``, the checkpoints a killed run resumes from to ``OUT/checkpoints``.
        seed: seed of everything.
        verbose: Keras ``fit`` verbosity.
        timit: a TIMIT copy to train on (its training split).
        audio: a folder of audio files (any format, rate and length, searched recursively).
        **overrides: config fields to change.

    Returns:
        The codec's folder (what ``encode --model`` takes).

    Raises:
        DataError: the folder holds no audio, or too little of it.
        AudioError: a file in it cannot be read.
    """
    if timit is not None and audio is not None:
        raise ConfigError("train on TIMIT or on a folder of audio, not both")
    source = str(audio) if audio is not None else "TIMIT" if timit is not None else "speech-default"
    run = start(NAME, PROFILES, profile, out_dir, seed, source, overrides)
    items = load_folder(audio) if audio is not None else data.utterances("train", timit)
    _train(run, items, seed, verbose, source)
    return run.out / "models" / "codec"


def reproduce(profile: str = "quick", out_dir: str | Path | None = None, seed: int = 0,
              verbose: int | str = "auto", timit: str | Path | None = None, **overrides) -> ResultsTable:
    """Train the codec, then regenerate Table 3 on real speech and on all test speech.

    Args:
        profile: ``"paper"`` (GPU), ``"quick"`` (default; the registry's ``cpu_time``
            on a 2-core CPU) or ``"smoke"``.
        out_dir: results directory (default ``results/bpgan/PROFILE``).
        seed: seed of everything.
        verbose: Keras ``fit`` verbosity.
        timit: a TIMIT copy to use instead of the embedded speech-default corpus.
        **overrides: config fields to change.

    Returns:
        The results table (also written to ``out_dir``).
    """
    dataset = ("TIMIT (train; core test set)" if timit else
               "speech-default (stand-in for TIMIT: real and synthetic voices, speaker-disjoint test set)")
    run = start(NAME, PROFILES, profile, out_dir, seed, dataset, overrides)
    config: Config = run.config
    run.table.comparable = run.table.comparable and timit is not None
    codec, history = _train(run, data.utterances("train", timit), seed, verbose, "TIMIT" if timit else "speech-default")

    test_items = data.utterances("test", timit)
    subsets = {"real speech": [i for i in test_items if i.real],
               "synthetic speech": [i for i in test_items if not i.real]}
    methods = _methods(codec)
    segments_by_subset = {name: join_segments(data.waveforms(items), config.test_segment_s, config.test_segments)
                          for name, items in subsets.items() if items}
    coded, means = {}, {}
    for name, segments in segments_by_subset.items():
        run.log(f"coding {len(segments)} test segments of {name} with BPGAN and the reference codecs")
        coded[name] = _code(segments, methods, name)
        means[name] = _add_rows(run.table, f"Table 3 — {name}", coded[name])
    _add_rows(run.table, "Table 3 — all test speech",
              {m: [c for subset in coded.values() for c in subset[m]] for m in methods})

    first = next(iter(segments_by_subset))
    _verdict(run.table, means[first], first)
    decoded = {m: [c["decoded"] for c in results] for m, results in coded[first].items()}
    _outputs(config, run.out, segments_by_subset[first], decoded, means[first], history)
    return run.finish()


def _train(run: Run, items: list[AudioItem], seed: int, verbose: int | str, source: str) -> tuple[Codec, dict]:
    """Cut ``items`` into patches, train on them, fit the range coder's context model on
    their ADMM codes, and save the codec to ``run.out / "models" / "codec"``.

    A finished codec is also kept beside the checkpoints of its config and seed
    (``run.work_dir / "codec"``); a later run of the same config, seed and source uses it
    instead of training again (a run killed while scoring, ``reproduce`` after ``train``)
    and its table says so.

    Raises:
        DataError: fewer patches than validation needs plus one training batch.
    """
    kept = run.work_dir / "codec"
    reused = _kept_codec(run, kept, source)
    if reused is not None:
        codec, origin = reused
        run.table.notes.append(f"The codec was trained on {source} by an earlier run with this config and seed "
                               f"(git {origin.get('git_sha')}, started {origin.get('started')}); this run scored it.")
        history = origin.get("history", {})
    else:
        codec, history = _train_new(run, items, seed, verbose, source)
        (kept / ORIGIN).unlink(missing_ok=True)  # written last: only a whole codec is reused
        codec.save(kept)
        write_text(kept / ORIGIN, json.dumps({"source": source, "git_sha": run.table.provenance.get("git_sha"),
                                              "started": run.table.provenance.get("started"), "history": history}))
    codec.save(run.out / "models" / "codec")
    return codec, history


def _kept_codec(run: Run, kept: Path, source: str) -> tuple[Codec, dict] | None:
    """The codec an earlier run of this config and seed finished on ``source`` in ``kept``,
    and its ``origin.json`` (None: there is none, or it cannot be used, so train)."""
    try:
        origin = json.loads((kept / ORIGIN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(origin, dict) or origin.get("source") != source:
        return None
    try:
        codec = Codec.load(kept)
    except ModelError as exc:
        run.log(f"the codec kept from an earlier run cannot be used ({exc}); training again")
        return None
    run.log(f"using the codec this config and seed trained on {source} earlier ({kept}; delete it to train again)")
    return codec, origin


def _train_new(run: Run, items: list[AudioItem], seed: int, verbose: int | str, source: str) -> tuple[Codec, dict]:
    """Train and fit as :func:`_train` describes; returns the codec and the per-epoch history."""
    config: Config = run.config
    run.log(f"loading {source} and cutting training patches")
    limit = None if config.train_patches is None else config.train_patches + config.val_patches
    patches = data.training_patches(items, config.train_stride_frames, limit, seed=seed)
    needed = config.val_patches + config.batch_size
    if len(patches) < needed:
        seconds = ((needed - 1) * config.train_stride_frames + frontend.PATCH) * frontend.HOP / RATE
        raise DataError(f"{source}: {len(items)} audio file(s) give {len(patches)} training patch(es) of 1.024 s; "
                        f"the {run.table.profile} profile needs at least {needed} ({config.val_patches} for "
                        f"validation and a batch of {config.batch_size}), about {seconds:.0f} s of audio")
    patches = patches[np.random.default_rng(seed).permutation(len(patches))]
    val, patches = patches[: config.val_patches], patches[config.val_patches:]

    run.log(f"training on {len(patches)} patches for {config.epochs} epochs")
    parts, history = train.train(config, patches, val, seed=seed, work_dir=run.work_dir, verbose=verbose)
    run.log(f"fitting the entropy coder's context model on the ADMM codes of {config.entropy_fit_patches} "
            f"training patches")
    codec = build_codec(parts, patches[: config.entropy_fit_patches, ..., 0], config)
    return codec, {k: [float(v) for v in values] for k, values in history.items()}


def _verdict(table: ResultsTable, means: dict, subset: str) -> None:
    def scores(method: str) -> str:
        m = means[method]
        return f"{method} {m['kbps']:.2f} kbps, PESQ-NB {m['nb']:.2f} / WB {m['wb']:.2f}"

    c2 = means["Codec2 3200"]
    rows = ["BPGAN (ADMM)"] + [WEIGHTED] * (WEIGHTED in means)
    verdicts = [f"{r} {'beats' if means[r]['nb'] > c2['nb'] else 'does not beat'} Codec2 3200 on PESQ-NB and "
                f"{'beats' if means[r]['wb'] > c2['wb'] else 'does not beat'} it on PESQ-WB" for r in rows]
    b, u = means["BPGAN (ADMM)"], means["Unified GAN (encoder only)"]
    table.notes.append(
        f"On {subset}: " + "; ".join(scores(m) for m in rows + ["Unified GAN (encoder only)", "Codec2 3200"])
        + f". ADMM {'beats' if b['nb'] > u['nb'] else 'does not beat'} the encoder alone (PESQ-NB); "
        + "; ".join(verdicts) + ".")


def _outputs(config: Config, out: Path, segments: list[np.ndarray], decoded: dict, means: dict,
             history: dict) -> None:
    """Audio examples, spectrograms, the rate-quality plot and training curves."""
    k = min(config.examples, len(segments))
    for i in range(k):
        for method, slug in EXAMPLE_FILES.items():
            if method in decoded:
                io.save(out / "audio" / f"example{i + 1}_{slug}.wav", decoded[method][i], RATE)
    mels = {m: np.asarray(features.power_to_db(features.mel_spectrogram(decoded[m][0][: 3 * RATE], RATE, 512, 128,
                                                                           128)))
            for m in ("Original (16-bit PCM)", "BPGAN (ADMM)", WEIGHTED, "Unified GAN (encoder only)", "Codec2 3200")
            if m in decoded}
    plots.image_grid({m: features.to_image(v).numpy() for m, v in mels.items()}, out / "figures" / "spectrograms.png",
                     title="Mel spectrograms (dB), first 3 s of the first test segment")
    rate_quality_plot(means, out / "figures" / "rate_quality.png")
    panels = {"reconstruction MSE (train, validation)": ("g_content", "val_g_content"),
              "generator: adversarial, feature matching": ("g_adv", "g_fm"),
              "discriminator": ("d_loss", "d_real", "d_fake")}
    plots.training_curves({title: {k: history[k] for k in keys if k in history} for title, keys in panels.items()},
                          out / "figures" / "training.png", title="BPGAN training")


def rate_quality_plot(means: dict[str, dict[str, float]], path: Path) -> None:
    """Measured bitrate against PESQ-WB and PESQ-NB, one labelled point per method."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    for ax, (key, label) in zip(axes, (("wb", "PESQ-WB (P.862.2)"), ("nb", "PESQ-NB (raw P.862)"))):
        for method, m in means.items():
            if method != "Original (16-bit PCM)":
                ax.scatter(m["kbps"], m[key], s=30)
                ax.annotate(PLOT_LABELS.get(method, method.split(" (")[0]), (m["kbps"], m[key]), fontsize=7,
                            xytext=(4, 2), textcoords="offset points")
        ax.set_xscale("log")
        ax.minorticks_off()
        ax.set_xticks([1, 2, 3, 4, 6, 8, 10], labels=["1", "2", "3", "4", "6", "8", "10"])
        ax.set_xlabel("measured bitrate (kbit/s, from the files' bytes)")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    plots.save(fig, path)
