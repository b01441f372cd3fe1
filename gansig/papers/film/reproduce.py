"""Table 5.1 regenerated: every experiment trained as a chain, every row scored from its
checkpoint on one held-out excerpt, beside silence, the damaged input, a classical
bandwidth extension (with and without a denoiser) and the gansig restorer; then the gansig
restorer against the clean original on the thesis's damage and five others."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from gansig import plots
from gansig.data import features
from gansig.data.corpora.film_restore import CLIP_S
from gansig.errors import DataError
from gansig.listening import Examples
from gansig.metrics.harness import means, run_methods
from gansig.papers.film import data, evaluate, reference, restorer_net, train
from gansig.papers.film.config import PROFILES, ROWS, RUNS, Config
from gansig.papers.film.damage import Damage
from gansig.papers.film.restore import Restorer
from gansig.reproduction import Run, Trained, data_digest, load_networks, start
from gansig.results import ResultsTable

NAME = "film"
CLEAN_TABLE = "Against the clean original (the same excerpt and outputs)"
RESTORER_TABLE = "The gansig restorer against the clean original (the held-out excerpt, six damages)"
RESTORER_METRICS = (evaluate.LSD_STD, evaluate.LSD_LOW, evaluate.LSD_HIGH, reference.SNR, reference.STOI,
                    evaluate.VISQOL)


def reproduce(profile: str = "quick", out_dir: str | Path | None = None, seed: int = 0,
              verbose: int | str = "auto", runs: list[str] | None = None, recording: str | Path | None = None,
              **overrides) -> ResultsTable:
    """Train the experiments' chains and the gansig restorer, then regenerate Table 5.1 and
    the restorer's section against the clean original.

    Args:
        profile: ``"paper"`` (the thesis's widths and epochs: a GPU job), ``"quick"``
            (default: narrower, a thousandth of the epochs) or ``"smoke"``.
        out_dir: results directory (default ``results/film/PROFILE``).
        seed: seed of the noise, the weights and the shuffling.
        verbose: Keras ``fit`` verbosity.
        runs: only these rows of Table 5.1 (and the chains they are checkpoints of); all
            when None. The baselines and the gansig row are always scored.
        recording: a clean recording of your own instead of film-default's.
        **overrides: config fields to change.

    Returns:
        The results table (also written to ``out_dir``).
    """
    rows = [r for r in ROWS if runs is None or r in runs]
    selected = sorted({RUNS[r].run for r in rows}) if runs is not None else None
    run = start(NAME, PROFILES, profile, out_dir, seed, "", overrides, references=reference.REFERENCE, runs=RUNS,
                selected=selected)
    config: Config = run.config
    clean, run.table.dataset = data.recording(config, recording)
    train_part, heldout = data.film_set(clean, config, seed, config.cutoffs_hz)
    cutoff = config.eval_cutoff_hz
    run.log(f"profile {profile}: {len(clean) / config.rate:.0f} s recording, {len(heldout.clean) / config.rate:.1f} s "
            f"held out; {len(run.selected)} training chains for {len(rows)} rows of Table 5.1")

    recording_digest = data_digest(clean)  # the chains' data: the recording (their damage comes from the seed)
    networks = _train_chains(run, train_part, seed, verbose, recording_digest)
    methods = evaluate.baseline_methods(config, cutoff)
    clips, corpus = data.restorer_clips(config)
    gansig, gansig_history = trained_restorer(run, clips, corpus, seed, verbose)
    methods[evaluate.GANSIG] = evaluate.restorer_method(gansig)  # it detects the cut, as the tool does
    for row in rows:
        methods[reference.row_name(row)] = evaluate.restorer_method(_row_restorer(run, row, networks, recording_digest))

    run.log(f"restoring and scoring the held-out excerpt with {len(methods)} methods")
    outcomes = run_methods([heldout.damaged[cutoff]], methods, evaluate.scorer(heldout.clean, config, cutoff),
                           config.rate, references=[heldout.target], label="scoring")
    metrics = evaluate.TARGET_METRICS + evaluate.CLEAN_METRICS
    scores = {name: means(result, metrics) for name, result in outcomes.items()}
    for name, values in scores.items():
        row_run = next((r for r in rows if reference.row_name(r) == name), "")
        for table, metric_names in ((reference.TABLE, evaluate.TARGET_METRICS), (CLEAN_TABLE, evaluate.CLEAN_METRICS)):
            for metric in metric_names:
                _add(run.table, table, name, metric, values[metric], row_run)
    examples = Examples(run.out / "audio")  # the held-out excerpt's panel first, then the restorer's cases
    outputs = {name: result[0].output for name, result in outcomes.items()}
    _outputs(run, heldout, outputs, scores, rows, examples)
    _restorer_section(run, gansig, heldout, seed, examples)
    examples.write()

    run.log("writing figures, audio examples and models")
    curves = {chain: {k: v for k, v in trained.history.items() if k in ("d_loss", "g_adv", "g_content")}
              for chain, trained in networks.items() if chain in ("exp5", "exp8", "exp11")}
    plots.training_curves({f"{chain} (thesis)": h for chain, h in curves.items()} | {
        "gansig restorer": {"L1 of the log power": gansig_history.get("g_content", [])}},
        run.out / "figures" / "training.png", title="Training curves (epochs on this profile's clock)")
    gansig.save(run.out / "models" / "gansig")
    return run.finish()


def _add(table: ResultsTable, name: str, row: str, metric: str, value: float, run: str = "") -> None:
    """A measured value, or "not measured" where the metric could not score the excerpt
    (ViSQOL on an excerpt too short for it, or on silence)."""
    if math.isfinite(value):
        table.add(name, row, metric, value, run=run, n_eval=1)
    else:
        table.not_measured(name, row, metric, "could not be scored on this excerpt (too short, or silent)", run=run)


def _train_chains(run: Run, part: data.Part, seed: int, verbose, digest: str) -> dict[str, dict]:
    """Train (or take the kept networks of) every chain the rows need, in order, on the
    recording of digest ``digest``."""
    networks, pairs = {}, {}
    for chain in run.selected:
        config = run.run_config(chain)
        key = (config.front_end, config.segment_s, config.all_cuts)
        if key not in pairs:
            pairs[key] = data.training_pairs(part, config)
        inputs, targets = pairs[key]
        start, end = train.span(run.config, RUNS, chain)
        parent = RUNS[chain].start_from
        begin = None if parent is None else _networks_at(run, parent.run, start, networks, digest)
        run.log(f"{chain}: epochs {start} -> {end} ({config.generator}/{config.discriminator}, {config.front_end}, "
                f"{len(inputs)} pairs)")

        def fit(folder, config=config, inputs=inputs, targets=targets, start=start, end=end, begin=begin,
                chain=chain):
            nets, history = train.train_chain(config, inputs, targets, start=start, end=end,
                                              keep=train.kept_epochs(run.config, RUNS, chain), work_dir=folder,
                                              seed=seed + config.seed_offset, verbose=verbose, start_networks=begin)
            return Trained(nets, history)

        networks[chain] = run.trained(chain, fit, work_dir=run.work_dir_of(config, digest))
    return networks


def _networks_at(run: Run, chain: str, epoch: int, networks: dict, digest: str) -> dict:
    """A chain's networks at ``epoch``: its final ones, or those it kept at that epoch."""
    if epoch == train.span(run.config, RUNS, chain)[1]:
        return networks[chain].networks
    folder = run.work_dir_of(run.run_config(chain), digest) / chain / "epochs" / f"epoch_{epoch:05d}"
    return load_networks(folder, ["generator", "discriminator"])


def _row_restorer(run: Run, row: str, networks: dict, digest: str) -> Restorer:
    checkpoint = RUNS[row]
    epoch = train.checkpoint_epoch(run.config, RUNS, checkpoint)
    generator = _networks_at(run, checkpoint.run, epoch, networks, digest)["generator"]
    return Restorer("thesis", run.run_config(checkpoint.run), generator)


def trained_restorer(run: Run, clips: list[np.ndarray], corpus: str, seed: int,
                     verbose: int | str = "auto") -> tuple[Restorer, dict]:
    """The gansig restorer of ``run``'s config trained on clean ``clips`` (kept from an
    earlier run of the same config, seed, code and clips where there is one), and its history."""
    config: Config = run.config
    run.log(f"the gansig restorer: {config.restorer_epochs} epochs on {corpus}, a damage drawn per clip")

    def fit(folder):
        g, history, ratio = restorer_net.train(config, clips, seed=seed, work_dir=folder, verbose=verbose)
        return Trained({"generator": g}, history, {"band_ratio": ratio})

    trained = run.trained("gansig", fit, work_dir=run.work_dir_of(config, data_digest(clips)))
    ratio = trained.extra["band_ratio"]
    run.table.notes.append(f"The gansig restorer was trained on {corpus} (never on film-default), for the clean "
                           f"original; its predicted band holds {10 * np.log10(ratio):.1f} dB of the true band's "
                           "energy on its training examples (the level rule's correction).")
    return Restorer("gansig", config, trained.networks["generator"], band_ratio=ratio), trained.history


def restorer_cases(config: Config, part: data.Part, seed: int) -> dict[str, tuple[np.ndarray, float]]:
    """The damages the restorer's section scores, name -> (damaged excerpt, cut-off): the
    thesis's (the excerpt of Table 5.1), its 1500 and 3000 Hz cuts, a Butterworth, no noise
    and louder noise at the evaluation cut."""
    cut, rate = config.eval_cutoff_hz, config.rate
    cases = {f"{Damage.of(config, cut).describe()} (the thesis's)": (part.damaged[cut], cut)}
    for other in (1500.0, 3000.0):
        if other in part.damaged:
            cases[Damage.of(config, other).describe()] = (part.damaged[other], other)
    rng = np.random.default_rng([seed, 7])
    for damage in (Damage(cut, "butterworth", 8, config.noise_rms_dbfs), Damage(cut, noise_dbfs=None),
                   Damage(cut, noise_dbfs=-25.0)):
        cases[damage.describe()] = (damage.apply(part.clean, rate, rng), cut)
    return cases


def _restorer_section(run: Run, gansig: Restorer, part: data.Part, seed: int, examples: Examples) -> None:
    """The gansig restorer beside the damaged input and band replication (with and without
    Wiener) on each case, against the clean original, its goals checked, and the listening
    examples (clean / damaged / band replication / restored)."""
    config: Config = run.config
    n = int(config.example_seconds * config.rate)
    scores = {}
    for i, (case, (x, cutoff)) in enumerate(restorer_cases(config, part, seed).items(), start=1):
        methods = {**{k: v for k, v in evaluate.baseline_methods(config, cutoff).items() if k != evaluate.SILENCE},
                   evaluate.GANSIG: evaluate.restorer_method(gansig)}  # the restorer detects the cut itself
        outcomes = run_methods([x], methods, evaluate.scorer(part.clean, config, cutoff), config.rate,
                               references=[part.clean], label=case)
        scores[case] = {name: means(result, RESTORER_METRICS) for name, result in outcomes.items()}
        for name, values in scores[case].items():
            for metric in RESTORER_METRICS:
                _add(run.table, RESTORER_TABLE, f"{case}: {name}", metric, values[metric])
        heard = {"clean original": part.clean, "damaged": x, "band replication": outcomes[evaluate.BWE][0].output,
                 "gansig restorer": outcomes[evaluate.GANSIG][0].output}
        examples.segment(f"case {i}", {name: y[:n] for name, y in heard.items()}, config.rate,
                         files={"clean original": "restorer/clean.wav", "damaged": f"restorer/case{i}_damaged.wav",
                                "band replication": f"restorer/case{i}_band_replication.wav",
                                "gansig restorer": f"restorer/case{i}_restored.wav"},
                         caption=f"{case}: the held-out excerpt's first {config.example_seconds:g} s")
    run.table.notes.append(evaluate.verdict(scores, next(iter(scores))))
    run.table.notes.append("audio/restorer/ holds clean.wav and, for each case of the restorer's section in its order, "
                           "caseN_damaged.wav, caseN_band_replication.wav and caseN_restored.wav (the first "
                           f"{config.example_seconds:g} s; audio/index.json names each).")


def _outputs(run: Run, part: data.Part, outputs: dict, scores: dict, rows: list[str], examples: Examples) -> None:
    config: Config = run.config
    n = int(config.example_seconds * config.rate)

    def spectrogram(x):
        return features.amplitude_to_db(features.magnitude(np.asarray(x[:n], np.float32), config.n_fft,
                                                           config.hop)).numpy()[0].T

    shown = {"clean original": part.clean, "target (original + noise)": part.target, **outputs}
    plots.panels({name: spectrogram(x) for name, x in shown.items() if not name.startswith("Experiment")},
                 run.out / "figures" / "spectrograms_baselines.png", cols=3, vmin=-40, vmax=60,
                 title="Held-out excerpt (dB): the clean original, the target, the baselines and the gansig restorer")
    if rows:
        plots.panels({name: spectrogram(x) for name, x in outputs.items() if name.startswith("Experiment")},
                     run.out / "figures" / "spectrograms_thesis_rows.png", cols=6, vmin=-40, vmax=60,
                     title="Held-out excerpt restored by each regenerated thesis row (dB)")
    best = min((reference.row_name(r) for r in rows), key=lambda r: scores[r][evaluate.LSD_STD], default=None)
    heard = {"clean original": ("clean", part.clean), "thesis target (original + noise)": ("target", part.target),
             "damaged": ("damaged", outputs[evaluate.DAMAGED]),
             "band replication": ("band_replication", outputs[evaluate.BWE]),
             "gansig restorer": ("gansig", outputs[evaluate.GANSIG])}
    if best:
        heard[f"best thesis row: {best}"] = ("best_thesis_row", outputs[best])
    examples.segment("held-out excerpt", {name: x[:n] for name, (_, x) in heard.items()}, config.rate,
                     files={name: f"{file}.wav" for name, (file, _) in heard.items()},
                     caption=f"the thesis's damage on the held-out excerpt's first {config.example_seconds:g} s: "
                             "the clean original, the thesis's target, the damaged input and each restoration")
    if best:
        run.table.notes.append(f"audio/best_thesis_row.wav is {best} (the lowest LSD of the regenerated rows).")


def train_restorer(audio: str | Path, out_dir: str | Path, profile: str = "quick", seed: int = 0,
                   verbose: int | str = "auto", **overrides) -> Path:
    """Train the gansig restorer on clean recordings of your own (a file, or a folder of
    them as the other papers' ``train`` take; each cut into 8 s clips, each clip damaged as
    drawn for it) and save it, without the table.

    Returns:
        The restorer's folder (what ``restore --model`` takes).

    Raises:
        AudioError: a recording cannot be used (named).
        DataError: no folder or no audio in it, or too little for one clip.
    """
    from gansig.data.corpora import load_folder

    files = [item.path for item in load_folder(audio)] if Path(audio).is_dir() else [Path(audio)]
    run = start(NAME, PROFILES, profile, out_dir, seed, f"{audio} (the user's recording)", overrides)
    n, clips, seconds = int(CLIP_S * run.config.rate), [], 0.0
    for file in files:
        clean, _ = data.recording(run.config, file)
        clips += [clean[i:i + n] for i in range(0, len(clean) - n + 1, n)]
        seconds += len(clean) / run.config.rate
    if not clips:
        raise DataError(f"{audio}: {seconds:.1f} s is too short to train a restorer on (at least {CLIP_S:g} s in "
                        "one file)")
    trained_restorer(run, clips, f"{audio} ({len(clips)} clips of {CLIP_S:g} s)", seed, verbose)[0].save(
        run.out / "models" / "gansig")
    return run.commit() / "models" / "gansig"
