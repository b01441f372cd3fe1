"""The claims ledger's rule on hand-made tables, and several seeds in one command: the
aggregate, resumption of a killed run, the bad --seeds."""

from __future__ import annotations

import importlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gansig.claims import Claim, at_least, below, ledger, verdict
from gansig.registry import PAPERS
from gansig.results import ResultsTable, aggregate

ROOT = Path(__file__).resolve().parents[1]


def _table(seed: int, gan: float | None, autoencoder: float) -> ResultsTable:
    t = ResultsTable("mimo5g", "quick", "hand-made", seed, False)
    if gan is None:
        t.not_measured("T", "GAN", "RMSE", "no weights here")
    else:
        t.add("T", "GAN", "RMSE", gan)
    t.add("T", "AE", "RMSE", autoencoder)
    return t.finish()


CLAIM = Claim("the GAN beats the autoencoder", "paper", "T: RMSE", below(("T", "GAN", "RMSE"), ("T", "AE", "RMSE")))


@pytest.mark.parametrize("gans,expected", [
    ((0.10, 0.11, 0.12), "holds on every seed"),
    ((0.10, 0.11, 0.30), "holds on the mean, not on every seed (2 of 3)"),  # two of three: not "every seed"
    ((0.10, 0.30, 0.30), "refuted (1 of 3 seed(s) hold it)"),
])
def test_the_verdict_rule(gans, expected):
    seeds = [_table(s, g, 0.2) for s, g in enumerate(gans)]
    assert verdict(CLAIM, aggregate(seeds), seeds) == expected


def test_one_seed_unmeasured_rows_and_claims_out_of_reach_are_said_so():
    one = _table(0, 0.1, 0.2)
    assert verdict(CLAIM, one, [one]) == "holds (one seed)"
    missing = [_table(0, None, 0.2), _table(1, 0.1, 0.2)]
    assert verdict(CLAIM, aggregate(missing), missing) == "not measured"
    far = Claim("PESQ 3.26", "paper", "T", lambda t: None, out_of_reach="the paper's profile: 9 h of an H100")
    assert verdict(far, one, [one]) == "out of reach on this hardware (the paper's profile: 9 h of an H100)"
    assert at_least(("T", "GAN", "RMSE"), 0.1)(one) and not at_least(("T", "GAN", "RMSE"), 0.2)(one)
    text = ledger([CLAIM, far], one, [one])
    assert "| paper | the GAN beats the autoencoder | T: RMSE | **holds (one seed)** |" in text
    assert "*refuted* where it fails on the mean" in text


@pytest.mark.parametrize("name", list(PAPERS))
def test_every_paper_has_claims_and_its_readme_opens_with_the_ledger(name):
    claims = importlib.import_module(f"gansig.papers.{name}.claims").CLAIMS
    assert claims and all(isinstance(c, Claim) and c.source in ("paper", "gansig") for c in claims)
    assert any(c.source == "paper" for c in claims)
    readme = (ROOT / "papers" / name / "README.md").read_text(encoding="utf-8")
    assert readme.split("\n", 3)[2] == "## Claims" and "<!-- claims:begin -->" in readme
    assert f"<!-- claims:{name}:begin -->" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_killed_multi_seed_run_resumes_and_keeps_the_seeds_it_finished(tmp_path):
    argv = [sys.executable, "-m", "gansig", "reproduce", "sinedenoise", "--profile", "smoke", "--seeds", "0,1",
            "--out", str(tmp_path / "out"), "--quiet"]
    proc = subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = tmp_path / "out" / "seeds" / "0" / "table.json"
    started = time.monotonic()
    while proc.poll() is None and not first.is_file() and time.monotonic() - started < 600:
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)  # in seed 1's run
    proc.communicate(timeout=300)
    assert first.is_file() and not (tmp_path / "out" / "table.json").exists()
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "seed 0 (1 of 2): finished earlier" in done.stderr and "seed 1 (2 of 2): running into" in done.stderr
    merged = ResultsTable.from_json(tmp_path / "out" / "table.json")
    row = merged.get("Validation set: noisy input vs low-pass filter vs denoiser", "Denoiser (GAN generator)", "MSE")
    assert set(row.seeds) == {"0", "1"} and row.spread_kind == "min-max" and merged.provenance["seeds"] == [0, 1]
    seed_one = ResultsTable.from_json(tmp_path / "out" / "seeds" / "1" / "table.json")
    assert row.seeds["1"] == seed_one.get(row.table, row.row, row.metric).measured
