"""What every reproduce() shares: named runs, kept networks, and a results folder that always
holds one run's results."""

import argparse
import dataclasses
import json

import keras
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
