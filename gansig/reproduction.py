"""What every ``reproduce()`` does around its paper-specific work: pick the profile's
config (and each named run's), seed everything, keep trained networks, and lay out the
results folder so that it always holds one run's results.

A run writes its results into ``OUT/.staging`` and swaps them into ``OUT`` only when it
is over (:meth:`Run.finish`): a run that fails or is interrupted leaves the previous
results as they were. ``OUT/run.json`` says which run the folder holds and lists the files
it wrote, the only ones a later run may replace; one run holds a folder at a time
(:mod:`gansig.results_folder`). Training state
lives apart, in ``OUT/checkpoints/FINGERPRINT`` (config, seed, code and, for networks
trained on recorded audio, that audio's digest): a killed run resumes there, and networks a
finished training left there are used again instead of retrained (:meth:`Run.trained`); a
corpus rebuilt, a file changed or another recording trains anew.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import keras
import numpy as np

from gansig.errors import ModelError, TrainingError
from gansig.fileio import load_model, save_model, write_text
from gansig.profiles import Checkpoint, RunSpec, fingerprint, needed_runs, run_config, select, to_dict
from gansig.results import References, ResultsTable
from gansig.results_folder import CHECKPOINTS, STAGING, Lock, check, swap_in
from gansig.training import distribute
from gansig.training.distribute import worker_folder

DONE = "done.json"  # written last in a folder of kept networks: only a whole training is used again

Networks = dict[str, keras.Model]


class Trained(NamedTuple):
    """What a training leaves: the networks by name, the per-epoch history, and any other
    JSON-ready state the networks need (e.g. a quantiser's centres)."""

    networks: Networks
    history: dict
    extra: dict = {}


@dataclass
class Run:
    """One reproduction in progress.

    Attributes:
        name: the paper's short name.
        config: the selected config with overrides applied.
        final: the results folder (``results/NAME/PROFILE`` by default).
        out: where this run writes its results until :meth:`finish` swaps them into ``final``.
        work_dir: training state of exactly this config, seed and code.
        table: the results table being filled.
        seed: the run's seed.
        runs: the paper's named runs (empty for a paper with one run).
        selected: the named runs to train, in training order.
        lock: holds the results folder until the run is over.
    """

    name: str
    config: Any
    final: Path
    out: Path
    work_dir: Path
    table: ResultsTable
    seed: int
    runs: Mapping[str, RunSpec | Checkpoint] = field(default_factory=dict)
    selected: list[str] = field(default_factory=list)
    lock: Lock | None = None

    def log(self, message: str) -> None:
        """A progress line on stderr, prefixed with the paper's name and the time since the start."""
        minutes, seconds = divmod(int(self.table.elapsed()), 60)
        print(f"[{self.name} {minutes}:{seconds:02d}] {message}", file=sys.stderr, flush=True)

    # ---- named runs ----------------------------------------------------------------
    def run_config(self, run: str) -> Any:
        """The config of a named run (recorded in the table's ``run_configs``)."""
        config = run_config(self.config, self.runs, run)
        self.table.run_configs[run] = to_dict(config)
        return config

    def work_dir_of(self, config: Any, data: str = "") -> Path:
        """The training-state folder of ``config`` at this run's seed and code, trained on
        the data of digest ``data`` (:func:`data_digest`; empty where the config and seed
        make the data, as for synthetic signals)."""
        return self.final / CHECKPOINTS / fingerprint(config, self.seed, data=data)

    # ---- trained networks ------------------------------------------------------------
    def trained(self, label: str, train: Callable[[Path], Trained], *, work_dir: Path | None = None) -> Trained:
        """Networks trained once per config, seed and code, and kept the moment training ends.

        Args:
            label: names the training within the run (``"gan"``, ``"autoencoder"``, a run's name).
            train: trains from scratch, given the folder to keep resumable state in (e.g.
                for ``BackupAndRestore``).
            work_dir: the training-state folder (default this run's).

        Returns:
            Kept networks when an earlier run of the same config, seed and code finished
            this training, else freshly trained ones.

        Raises:
            TrainingError: the training diverged (non-finite weights or final losses); nothing
                is kept or saved.
        """
        folder = (work_dir or self.work_dir) / label
        kept = self._kept(folder)
        if kept is not None:
            trained, done = kept
            self.log(f"{label}: using the networks this config, seed and code trained earlier ({folder}; delete it "
                     "to train again)")
            self.table.notes.append(f"{label}: trained by an earlier run with this config, seed and code "
                                    f"(git {done.get('git_sha')}, started {done.get('started')}); this run scored it.")
            return trained
        networks, history, extra = train(folder)
        history = {k: [float(v) for v in values] for k, values in history.items()}
        _check_finite(label, networks, history)
        (folder / DONE).unlink(missing_ok=True)
        for key, network in networks.items():
            save_model(network, folder / f"{key}.keras")
        write_text(folder / DONE, json.dumps({"networks": list(networks), "history": history, "extra": extra,
                                              "git_sha": self.table.provenance.get("git_sha"),
                                              "started": self.table.provenance.get("started")}))
        if distribute.replicas() > 1:
            # Networks built for several replicas would split every later prediction between
            # them (a batch of one leaves a replica nothing); the kept copies are plain.
            networks = load_networks(folder, list(networks))
        return Trained(networks, history, extra)

    def _kept(self, folder: Path) -> tuple[Trained, dict] | None:
        if not (folder / DONE).is_file():
            return None
        try:
            done = json.loads((folder / DONE).read_text(encoding="utf-8"))
            networks = load_networks(folder, done["networks"])
        except (ValueError, KeyError, TypeError, ModelError) as exc:
            self.log(f"the networks kept in {folder} cannot be used ({exc}); training again")
            return None
        return Trained(networks, done.get("history", {}), done.get("extra", {})), done

    # ---- the results folder ------------------------------------------------------------
    def commit(self) -> Path:
        """Swap this run's results into the results folder (replacing only an earlier run's
        files), record which run it holds and what it wrote, and release the folder."""
        swap_in(self.final, self.out, {
            "paper": self.name, "profile": self.table.profile, "seed": self.seed, "dataset": self.table.dataset,
            **{k: self.table.provenance.get(k) for k in ("git_sha", "started")}})
        if self.lock is not None:
            self.lock.release()
        return self.final

    def finish(self) -> ResultsTable:
        """Stamp the wall time, write table.md/csv/json, swap the results in, print the table."""
        self.table.finish().write(self.out)
        self.commit()
        print(self.table.to_markdown())
        self.log(f"results in {self.final}")
        return self.table


def start(name: str, profiles: Mapping[str, Any], profile: str, out_dir: str | Path | None, seed: int,
          dataset: str, overrides: Mapping[str, Any], *, references: References | None = None,
          runs: Mapping[str, RunSpec | Checkpoint] | None = None, selected: list[str] | None = None) -> Run:
    """Select and check the config, check the results folder, seed Python/NumPy/TensorFlow,
    and open the results table.

    Args:
        name: the paper's short name.
        profiles: the paper's ``PROFILES``.
        profile: the profile to run.
        out_dir: the results folder (default ``results/NAME/PROFILE``).
        seed: seed of everything.
        dataset: what the numbers are measured on (a stand-in is named as such).
        overrides: config fields to change.
        references: the paper's numbers by name (``reference.REFERENCE``).
        runs: the paper's named runs, for a paper with many.
        selected: the runs (table rows) asked for; all when None.

    The table is marked comparable with the paper only for the ``paper`` profile. A
    non-chief worker of a multi-worker training writes into ``OUT/.workers/N`` instead.

    Raises:
        ConfigError: unknown profile, field or run, or a value out of range.
        GansigError: a results folder that cannot be used (another paper's, the user's files
            in it, another run writing there).
    """
    config = select(profiles, profile, **overrides)
    order = needed_runs(runs, selected) if runs else []
    for run_name in order:
        run_config(config, runs, run_name)  # every run's config checked before any training
    final = worker_folder(Path(out_dir) if out_dir is not None else Path("results") / name / profile)
    check(final, name)
    lock = Lock(final, f"{name} --profile {profile} --seed {seed}")
    staging = final / STAGING
    shutil.rmtree(staging, ignore_errors=True)  # a killed run's partial results
    keras.utils.set_random_seed(seed)
    table = ResultsTable(name, profile, dataset, seed, comparable=profile == "paper", config=to_dict(config),
                         references=references or {})
    table.provenance["training"] = distribute.description()
    return Run(name, config, final, staging, final / CHECKPOINTS / fingerprint(config, seed), table, seed,
               runs or {}, order, lock)


def data_digest(*data: np.ndarray | str | os.PathLike | Iterable) -> str:
    """A short digest of what a network trains on, for its fingerprint (:meth:`Run.work_dir_of`):
    arrays by their dtype, shape and bytes, files by their bytes, sequences item by item.

    Args:
        *data: arrays, file paths, or (nested) sequences of them.

    Returns:
        16 hex digits.
    """
    from gansig.data.cache import file_digest

    h = hashlib.sha256()

    def add(item) -> None:
        if isinstance(item, np.ndarray):
            item = np.ascontiguousarray(item)
            h.update(f"{item.dtype}{item.shape}".encode())
            h.update(memoryview(item).cast("B"))
        elif isinstance(item, (str, os.PathLike)):
            h.update(file_digest(item).encode())
        elif isinstance(item, Iterable):
            h.update(b"[")
            for part in item:
                add(part)
            h.update(b"]")
        else:
            h.update(repr(item).encode())

    for item in data:
        add(item)
    return h.hexdigest()[:16]


def _check_finite(label: str, networks: Networks, history: dict[str, list[float]]) -> None:
    """Refuse a diverged training: a network with a non-finite weight, or a non-finite final loss."""
    broken = [key for key, net in networks.items() if not all(np.isfinite(w).all() for w in net.get_weights())]
    losses = [key for key, values in history.items() if values and not np.isfinite(values[-1])]
    if broken or losses:
        what = (f"non-finite weights in {', '.join(broken)}" if broken else
                f"non-finite {', '.join(losses)} at the last epoch")
        raise TrainingError(f"{label}: the training diverged ({what}); nothing was saved. Lower the learning rate "
                            "or the loss weights (--set FIELD=VALUE) and train again")


def load_networks(folder: Path, names: list[str]) -> Networks:
    """Networks saved as ``NAME.keras`` in ``folder``.

    Raises:
        ModelError: one is missing or cannot be loaded.
    """
    networks = {}
    for key in names:
        try:
            networks[key] = load_model(folder / f"{key}.keras")
        except Exception as exc:  # Keras raises many types for a bad archive
            raise ModelError(f"{folder / (key + '.keras')}: cannot load ({exc})") from None
    return networks
