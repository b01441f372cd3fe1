"""The contract every registered paper keeps (CONTRIBUTING.md), and its smoke reproduction:
the table's schema, and for the finished papers the same numbers as when the golden
tables were captured (tests/golden, commit 476c761, seed 0)."""

import csv
import dataclasses
import importlib
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import assert_same_numbers, paper_params

from gansig.listening import read_index
from gansig.profiles import PROFILE_NAMES, validate
from gansig.registry import PAPERS

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
NAMES = list(PAPERS)


@pytest.mark.parametrize("name", NAMES)
def test_profiles_are_derived_from_the_paper_profile_and_valid(name):
    config = importlib.import_module(f"gansig.papers.{name}.config")
    assert tuple(config.PROFILES) == PROFILE_NAMES
    paper = config.PROFILES["paper"]
    assert dataclasses.is_dataclass(paper) and paper.__dataclass_params__.frozen
    source = Path(config.__file__).read_text(encoding="utf-8")
    for profile in ("quick", "smoke"):
        assert type(config.PROFILES[profile]) is type(paper)
        assert re.search(rf'"{profile}": dataclasses\.replace\(PAPER\b', source), f"{profile} is not derived"
    for profile in config.PROFILES.values():
        validate(profile)


@pytest.mark.parametrize("name", NAMES)
def test_reference_numbers_are_keyed_by_name(name):
    reference = importlib.import_module(f"gansig.papers.{name}.reference").REFERENCE
    assert reference
    for table, rows in reference.items():
        assert isinstance(table, str) and rows
        for row, metrics in rows.items():
            assert isinstance(row, str) and metrics
            assert all(isinstance(m, str) and isinstance(v, (int, float)) for m, v in metrics.items()), (table, row)


@pytest.mark.parametrize("name", NAMES)
def test_readme_notebook_and_make_target_exist(name):
    readme = (ROOT / "papers" / name / "README.md").read_text(encoding="utf-8")
    assert "<!-- results:begin -->" in readme and "<!-- results:end -->" in readme
    assert (ROOT / "notebooks" / f"{name}.ipynb").is_file()
    target = PAPERS[name].make_target
    done = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and f"gansig reproduce {name}" in done.stdout, done.stderr


@pytest.mark.parametrize("name", NAMES)
def test_the_command_with_no_verb_says_what_the_paper_is(name):
    done = subprocess.run([sys.executable, "-m", f"gansig.papers.{name}"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert PAPERS[name].title in done.stdout and f"python -m gansig.papers.{name} reproduce" in done.stdout
    assert done.stderr == "", done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", paper_params())
def test_smoke_reproduction_writes_the_table_and_keeps_its_numbers(name, smoke):
    out, table = smoke(name)
    for file in ("table.md", "table.csv", "table.json", "run.json"):
        assert (out / file).is_file(), file
    assert not (out / ".staging").exists()
    header = next(csv.reader((out / "table.csv").open(encoding="utf-8")))
    for column in ("table", "row", "run", "metric", "reference", "measured", "delta", "comparable", "profile",
                   "dataset", "n_eval", "seed", "git_sha"):
        assert column in header
    saved = json.loads((out / "table.json").read_text(encoding="utf-8"))
    assert saved["profile"] == "smoke" and saved["seed"] == 0 and saved["config"] and not saved["comparable"]
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["paper"] == name
    for row in table.rows:
        assert row.measured is None or math.isfinite(row.measured) or "PESQ" in row.metric, row
        assert row.measured is not None or row.note.startswith("not measured"), row
    examples, _ = read_index(out / "audio")  # the listening panel's examples, each file there
    assert examples and all((out / "audio" / e.file).is_file() for e in examples)
    assert len({(e.segment, e.system) for e in examples}) == len(examples)
    golden = GOLDEN / f"{name}_smoke.json"
    if golden.is_file():
        assert_same_numbers(table, golden)


@pytest.mark.slow
def test_a_smoke_run_prints_no_alarming_lines(tmp_path):
    """What a user sees on stderr: progress lines, not TensorFlow's known, harmless noise
    (Grappler's remapper error, retracing warnings) or Python warnings; at the Makefile's
    log level (TF_CPP_MIN_LOG_LEVEL=2, where C++ errors still show)."""
    env = {**__import__("os").environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([sys.executable, "-m", "gansig", "reproduce", "mimo5g", "--profile", "smoke", "--out",
                           str(tmp_path / "run"), "--quiet"], capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    alarming = [line for line in done.stderr.splitlines()
                if line.startswith(("E0000", "W0000", "WARNING:")) or "Traceback" in line or "Warning:" in line]
    assert alarming == [], alarming


def test_the_thesis_double_sigmoid_warns_only_where_it_is_not_intended():
    import warnings

    import keras
    import numpy as np

    from gansig.training import quiet

    probabilities = keras.layers.Activation("sigmoid")(keras.ops.convert_to_tensor(np.zeros((2, 1), np.float32)))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with quiet.double_sigmoid_is_intended(True):
            keras.losses.binary_crossentropy(np.ones((2, 1), np.float32), probabilities, from_logits=True)
        assert not [w for w in seen if "from_logits" in str(w.message)]
        with quiet.double_sigmoid_is_intended(False):
            keras.losses.binary_crossentropy(np.ones((2, 1), np.float32), probabilities, from_logits=True)
        assert [w for w in seen if "from_logits" in str(w.message)]
