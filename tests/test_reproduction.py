"""What every reproduce() shares: named runs, kept networks, and a results folder that always
holds one run's results."""

import argparse
import dataclasses
import json
import re

import keras
import numpy as np
import pytest

from gansig.cli import add_run_arguments
from gansig.errors import ConfigError, GansigError
from gansig.profiles import Checkpoint, RunSpec, needed_runs, run_config
from gansig.registry import PAPERS
from gansig.reproduction import Trained, start


@dataclasses.dataclass(frozen=True)
class Toy:
    epochs: int = 3
    lr: float = 1e-3
    LIMITS = {"epochs": (1, None)}


PROFILES = {"paper": Toy(), "quick": dataclasses.replace(Toy(), epochs=2),
            "smoke": dataclasses.replace(Toy(), epochs=1)}
RUNS = {"1": RunSpec({"lr": 2e-3}), "1_a": Checkpoint("1", 1),
        "2": RunSpec({"epochs": 5}, start_from=Checkpoint("1", 1)), "3": RunSpec({"lr": 1e-4})}


def network():
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])


def test_runs_derive_from_the_profile_and_checkpoints_need_their_chain():
    base = PROFILES["quick"]
    assert run_config(base, RUNS, "1") == Toy(epochs=2, lr=2e-3)
    assert run_config(base, RUNS, "1_a") == run_config(base, RUNS, "1")
    assert needed_runs(RUNS, ["1_a"]) == ["1"]
    assert needed_runs(RUNS, ["2", "3"]) == ["1", "2", "3"]
    assert needed_runs(RUNS, None) == ["1", "2", "3"]
    with pytest.raises(ConfigError, match="unknown run 'x'"):
        needed_runs(RUNS, ["x"])
    with pytest.raises(ConfigError, match="epochs=0"):
        run_config(base, {"bad": RunSpec({"epochs": 0})}, "bad")


def test_each_run_trains_once_in_its_own_folder(tmp_path):
    run = start("toy", PROFILES, "smoke", tmp_path / "out", 0, "fixture", {}, runs=RUNS, selected=["2"])
    assert run.selected == ["1", "2"]
    folders = {name: run.work_dir_of(run.run_config(name)) for name in run.selected}
    assert len(set(folders.values())) == 2 and run.table.run_configs["2"]["epochs"] == 5
    calls = []

    def train(folder):
        calls.append(folder)
        return Trained({"net": network()}, {"loss": [1.0, 0.5]}, {"note": 1})

    first = run.trained("gan", train, work_dir=folders["1"])
    again = run.trained("gan", train, work_dir=folders["1"])
    assert len(calls) == 1 and again.history == {"loss": [1.0, 0.5]} and again.extra == {"note": 1}
    assert again.networks["net"].get_weights()[0].tolist() == first.networks["net"].get_weights()[0].tolist()
    assert any("trained by an earlier run" in note for note in run.table.notes)
    (folders["1"] / "gan" / "net.keras").write_bytes(b"damaged")
    run.trained("gan", train, work_dir=folders["1"])
    assert len(calls) == 2  # a damaged keep is trained again


def test_the_results_folder_holds_one_runs_results(tmp_path):
    out = tmp_path / "out"
    first = start("toy", PROFILES, "smoke", out, 1, "fixture", {})
    (first.out / "figures").mkdir(parents=True)
    (first.out / "figures" / "old.png").write_text("seed 1")
    first.finish()
    assert json.loads((out / "run.json").read_text())["seed"] == 1 and (out / "figures" / "old.png").is_file()
    second = start("toy", PROFILES, "smoke", out, 2, "fixture", {})
    (second.out / "models").mkdir(parents=True)
    (second.out / "models" / "new.keras").write_text("seed 2, interrupted before it finished")
    assert json.loads((out / "run.json").read_text())["seed"] == 1  # unfinished: the old results stand
    assert not (out / "models").exists()
    third = start("toy", PROFILES, "smoke", out, 3, "fixture", {})
    assert not (out / ".staging").exists()  # the interrupted run's partial results are cleared
    third.finish()
    assert json.loads((out / "run.json").read_text())["seed"] == 3
    assert not (out / "figures").exists()  # nothing of seed 1's run is left beside seed 3's
    assert json.loads((out / "table.json").read_text())["seed"] == 3


def test_a_results_folder_is_checked_before_any_work(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(GansigError, match="not a folder"):
        start("toy", PROFILES, "smoke", tmp_path / "file", 0, "fixture", {})
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("a user's own work")
    with pytest.raises(GansigError, match="not a gansig run's results"):
        start("toy", PROFILES, "smoke", tmp_path / "mine", 0, "fixture", {})
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["thesis.tex"]
    with pytest.raises(GansigError, match="cannot write"):
        start("toy", PROFILES, "smoke", tmp_path / "file" / "below", 0, "fixture", {})


def test_the_runs_option_names_the_papers_runs():
    parser = argparse.ArgumentParser()
    add_run_arguments(parser, PAPERS["mimo5g"], runs=tuple(RUNS))
    assert parser.parse_args(["--runs", "2,1_a"]).runs == ["2", "1_a"]
    with pytest.raises(SystemExit):
        parser.parse_args(["--runs", "2,nine"])
    plain = argparse.ArgumentParser()
    add_run_arguments(plain, PAPERS["mimo5g"])
    with pytest.raises(SystemExit):
        plain.parse_args(["--runs", "1"])


def _hashes(folder):
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".staging" not in p.parts}


def _finished(out, seed=0, name="toy", files=("figures/a.png", "audio/x.wav")):
    run = start(name, PROFILES, "smoke", out, seed, "fixture", {})
    for f in files:
        (run.out / f).parent.mkdir(parents=True, exist_ok=True)
        (run.out / f).write_text(f"{name} seed {seed}")
    run.finish()
    return run


@pytest.mark.parametrize("case", ["user-project", "other-paper", "user-files-added"])
def test_a_run_never_replaces_what_it_did_not_write(tmp_path, case):
    """The three data-loss cases of --out: a user's project holding a table.json, another
    paper's results, a rerun after the user added files; every file hashed before and after."""
    out = tmp_path / "out"
    if case == "user-project":
        (out / "data").mkdir(parents=True)
        (out / "table.json").write_text("{}")
        (out / "thesis.tex").write_text("a user's own work")
        (out / "data" / "recording.wav").write_bytes(b"RIFF precious")
        message = "not a gansig run's results"
    elif case == "other-paper":
        _finished(out, name="film")
        message = "holds the results of the 'film' paper"
    else:
        _finished(out)
        (out / "NOTES.txt").write_text("mine")
        (out / "figures" / "my_extra.wav").write_bytes(b"mine too")
        message = "no toy run wrote (NOTES.txt, figures/my_extra.wav)"
    before = _hashes(out)
    with pytest.raises(GansigError, match=re.escape(message)):
        start("toy", PROFILES, "smoke", out, 5, "fixture", {})
    assert _hashes(out) == before and not (out / ".lock").exists()


def test_a_rerun_replaces_only_its_own_files(tmp_path):
    out = tmp_path / "out"
    _finished(out, seed=1, files=("figures/a.png", "figures/old_only.png", "models/m/net.keras"))
    run = start("toy", PROFILES, "smoke", out, 2, "fixture", {})
    (out / "checkpoints" / "kept.txt").parent.mkdir(parents=True, exist_ok=True)
    (out / "checkpoints" / "kept.txt").write_text("training state")
    (run.out / "figures").mkdir(parents=True)
    (run.out / "figures" / "a.png").write_text("seed 2")
    run.finish()
    record = json.loads((out / "run.json").read_text())
    assert record["seed"] == 2 and sorted(record["files"]) == ["figures/a.png", "run.json", "table.csv",
                                                               "table.json", "table.md"]
    assert (out / "figures" / "a.png").read_text() == "seed 2"
    assert not (out / "figures" / "old_only.png").exists() and not (out / "models").exists()
    assert (out / "checkpoints" / "kept.txt").read_text() == "training state"
    assert not (out / ".lock").exists() and not (out / ".staging").exists()


def test_one_run_at_a_time_in_a_results_folder(tmp_path):
    import os
    import subprocess
    import sys

    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        out.mkdir()
        (out / ".lock").write_text(json.dumps({"host": __import__("socket").gethostname(), "pid": holder.pid,
                                               "what": "film --profile quick --seed 0", "started": "now"}))
        before = _hashes(out)
        with pytest.raises(GansigError, match=f"another run is writing there .*process {holder.pid}"):
            start("toy", PROFILES, "smoke", out, 0, "fixture", {})
        assert _hashes(out) == before
    finally:
        holder.kill()
        holder.wait()
    run = start("toy", PROFILES, "smoke", out, 0, "fixture", {})  # the holder is gone: a stale lock
    assert json.loads((out / ".lock").read_text())["pid"] == os.getpid()
    run.finish()
    assert not (out / ".lock").exists()


def test_a_failed_command_releases_the_folder_it_held(tmp_path):
    from gansig.cli import run as run_cli

    def failing(argv):
        start("toy", PROFILES, "smoke", tmp_path / "new" / "out", 0, "fixture", {})
        raise GansigError("failed after the start")

    assert run_cli(failing, []) == 2
    assert not (tmp_path / "new").exists()  # the folders the lock made are gone with it


def test_a_ctrl_c_that_a_callback_swallowed_still_stops_the_run_and_keeps_the_old_results(tmp_path, capsys):
    import os
    import signal
    import weakref

    from gansig.cli import run as run_cli

    out = tmp_path / "out"
    _finished(out, seed=1)
    before = _hashes(out)

    def main(argv):
        run = start("toy", PROFILES, "smoke", out, 2, "fixture", {})

        class Figure:
            pass

        figure = Figure()
        weakref.finalize(figure, os.kill, os.getpid(), signal.SIGINT)  # Ctrl-C inside a weakref callback
        del figure
        run.finish()  # writing the results goes on: the interrupt was swallowed
        return 0

    assert run_cli(main, []) == 130
    assert capsys.readouterr().err.strip().endswith("interrupted")
    assert _hashes(out) == before and not (out / ".lock").exists()


def test_a_diverged_training_is_refused_and_nothing_is_saved(tmp_path):
    from gansig.errors import TrainingError

    run = start("toy", PROFILES, "smoke", tmp_path / "out", 0, "fixture", {})

    def diverged(folder):
        net = network()
        net.set_weights([w * np.nan for w in net.get_weights()])
        return Trained({"net": net}, {"loss": [1.0, float("nan")]})

    with pytest.raises(TrainingError, match="gan: the training diverged \\(non-finite weights in net\\); nothing"):
        run.trained("gan", diverged)
    assert not list((tmp_path / "out").rglob("*.keras"))

    def nan_loss(folder):
        return Trained({"net": network()}, {"loss": [1.0, float("inf")]})

    with pytest.raises(TrainingError, match="non-finite loss at the last epoch"):
        run.trained("gan", nan_loss)
