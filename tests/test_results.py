import json

import pytest

from gansig.papers.mimo5g import reference
from gansig.results import ResultsTable, summarise


def make_table():
    t = ResultsTable("demo", "smoke", "fixture", seed=3, comparable=False, config={"epochs": 1})
    t.add("Table 1", "GAN", "RMSE", 0.2, reference=0.15, n_eval=10)
    t.add("Table 1", "AE", "RMSE", 0.3, n_eval=10)
    t.not_measured("Table 2", "GAN", "MUSHRA", "needs listeners", reference=70.0)
    return t.finish()


def test_delta_and_lookup():
    t = make_table()
    assert t.get("Table 1", "GAN", "RMSE").delta == pytest.approx(0.05)
    assert t.get("Table 1", "AE", "RMSE").delta is None
    with pytest.raises(KeyError):
        t.get("Table 1", "GAN", "MSE")


def test_missing_measurement_needs_a_reason():
    t = ResultsTable("demo", "smoke", "fixture", seed=0, comparable=False)
    with pytest.raises(ValueError, match="reason"):
        t.add("T", "r", "m", None)


def test_markdown_shows_reference_measured_and_not_measured():
    md = make_table().to_markdown()
    assert "### Table 1" in md and "### Table 2" in md
    assert "| GAN | RMSE | 0.1500 | 0.2000 | 0.0500 | 10 |" in md
    assert "not measured" in md and "needs listeners" in md
    assert "profile `smoke`" in md and "comparable with the paper: no" in md


def test_csv_and_json_round_trip(tmp_path):
    t = make_table()
    t.write(tmp_path)
    csv_text = (tmp_path / "table.csv").read_text()
    header = csv_text.splitlines()[0].split(",")
    for column in ("table", "row", "metric", "reference", "measured", "delta", "comparable", "profile",
                   "dataset", "n_eval", "seed", "git_sha"):
        assert column in header
    back = ResultsTable.from_json(tmp_path / "table.json")
    assert back.rows == t.rows and back.provenance == t.provenance
    data = json.loads((tmp_path / "table.json").read_text())
    assert data["config"] == {"epochs": 1} and "wall_time_s" in data["provenance"]


def test_summarise_reproduces_the_papers_own_spread():
    rmse = [reference.TABLE_II[s]["GAN"][0] for s in reference.TABLE_II]
    mse = [reference.TABLE_II[s]["GAN"][1] for s in reference.TABLE_II]
    mean, spread = summarise(rmse)
    assert (round(mean, 4), round(spread, 4)) == (0.1530, 0.0022)
    mean, spread = summarise(mse)
    assert (round(mean, 4), round(spread, 4)) == (0.0228, 0.0003)  # the paper rounds this to 0.0004
