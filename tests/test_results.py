import json

import numpy as np
import pytest

from gansig.papers.mimo5g import reference
from gansig.results import ResultsTable, summarise

REFERENCES = {"Table 1": {"GAN": {"RMSE": 0.15}}, "Table 2": {"GAN": {"MUSHRA": 70.0}}}


def make_table():
    t = ResultsTable("demo", "smoke", "fixture", seed=3, comparable=False, config={"epochs": 1},
                     references=REFERENCES)
    t.add("Table 1", "GAN", "RMSE", 0.2, n_eval=10)
    t.add("Table 1", "AE", "RMSE", 0.3, n_eval=10)
    t.add("Table 1", "AE", "MSE", 0.09, n_eval=10, note="beyond the paper")
    t.not_measured("Table 2", "GAN", "MUSHRA", "needs listeners")
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


def test_references_are_filled_by_name():
    t = make_table()
    assert t.get("Table 1", "GAN", "RMSE").reference == 0.15
    assert t.get("Table 1", "AE", "RMSE").reference is None
    assert t.get("Table 2", "GAN", "MUSHRA").reference == 70.0


def test_markdown_is_wide_with_the_papers_value_beside_ours():
    md = make_table().to_markdown()
    assert "### Table 1" in md and "### Table 2" in md
    assert "| row | RMSE (paper) | RMSE | MSE | n |" in md
    assert "| GAN | 0.1500 | 0.2000 |  | 10 |" in md
    assert "| AE |  | 0.3000 | 0.0900 [1] | 10 |" in md and "[1] beyond the paper" in md
    assert "| GAN | 70 | not measured [1] |  |" in md and "[1] needs listeners" in md
    assert "profile `smoke`" in md and "comparable with the paper: no" in md


def test_rows_carry_their_run_and_the_table_each_runs_config(tmp_path):
    t = ResultsTable("demo", "smoke", "fixture", seed=0, comparable=False, references={"T": {"Exp 1": {"SNR": 0.1}}})
    t.run_configs["1"] = {"epochs": 50}
    t.add("T", "Exp 1", "SNR", 0.2, run="1")
    t.add("T", "silence", "SNR", 0.0)
    t.write(tmp_path)
    back = ResultsTable.from_json(tmp_path / "table.json")
    assert back.get("T", "Exp 1", "SNR").run == "1" and back.run_configs == {"1": {"epochs": 50}}
    assert "| run | row | SNR (paper) | SNR | n |" in back.to_markdown()
    assert "run" in (tmp_path / "table.csv").read_text().splitlines()[0].split(",")


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
    rows = reference.REFERENCE[reference.TABLE_II]
    rmse = [rows[f"{s} / GAN"]["RMSE"] for s in (50, 100, 250, 500, 1000)]
    mse = [rows[f"{s} / GAN"]["MSE"] for s in (50, 100, 250, 500, 1000)]
    mean, spread = summarise(rmse)
    assert (round(mean, 4), round(spread, 4)) == (0.1530, 0.0022)
    mean, spread = summarise(mse)
    assert (round(mean, 4), round(spread, 4)) == (0.0228, 0.0003)  # the paper rounds this to 0.0004


def _seed_table(seed: int, values: dict, items: bool = False) -> ResultsTable:
    t = ResultsTable("mimo5g", "quick", "hand-made", seed, False, references={"T": {"GAN": {"RMSE": 0.15}}})
    for (row, metric), value in values.items():
        if value is None:
            t.not_measured("T", row, metric, "no weights here")
        else:
            t.add("T", row, metric, value, items=[value - 0.01, value, value + 0.01] if items else None)
    return t.finish()


def test_seeds_aggregate_into_their_mean_and_range_with_every_value_kept(tmp_path):
    from gansig.results import aggregate

    tables = [_seed_table(s, {("GAN", "RMSE"): v, ("AE", "RMSE"): w}) for s, v, w in
              ((0, 0.10, 0.20), (1, 0.16, 0.22), (2, 0.13, 0.30))]
    merged = aggregate(tables)
    gan = merged.get("T", "GAN", "RMSE")
    assert gan.measured == pytest.approx(0.13) and gan.spread == [0.10, 0.16] and gan.spread_kind == "min-max"
    assert gan.seeds == {"0": 0.10, "1": 0.16, "2": 0.13} and gan.reference == 0.15
    merged.write(tmp_path)
    back = ResultsTable.from_json(tmp_path / "table.json")
    assert back.get("T", "AE", "RMSE").seeds == {"0": 0.20, "1": 0.22, "2": 0.30}
    assert "| GAN | 0.1500 | 0.1300 (0.1000–0.1600) |" in back.to_markdown()
    assert back.provenance["seeds"] == [0, 1, 2]
    five = aggregate([_seed_table(s, {("GAN", "RMSE"): float(s)}) for s in range(5)])  # from five seeds: the std
    assert five.rows[0].spread_kind == "std"
    assert five.rows[0].spread == pytest.approx([2 - 1.5811, 2 + 1.5811], abs=1e-4)


def test_a_cell_missing_in_one_seed_is_said_and_not_averaged():
    from gansig.results import NOT_MEASURED, aggregate

    merged = aggregate([_seed_table(0, {("GAN", "RMSE"): 0.1, ("GAN", "FID"): 3.0}),
                        _seed_table(1, {("GAN", "RMSE"): 0.2, ("GAN", "FID"): None}),
                        _seed_table(2, {("GAN", "RMSE"): 0.3})])
    fid = merged.get("T", "GAN", "FID")
    assert fid.measured is None and fid.note == f"{NOT_MEASURED}: missing in seed(s) 1, 2 of 3, so not averaged"
    assert fid.seeds == {"0": 3.0, "1": None, "2": None}
    with pytest.raises(ValueError, match="one table per seed"):
        aggregate([_seed_table(0, {}), _seed_table(0, {})])


def test_a_mean_over_items_gets_its_bootstrap_interval():
    from gansig.results import bootstrap_ci

    items = np.random.default_rng(3).normal(1.0, 0.5, 400)
    low, high = bootstrap_ci(items, seed=0)
    assert low < items.mean() < high and high - low == pytest.approx(2 * 1.96 * 0.5 / 20, rel=0.15)
    assert bootstrap_ci([1.0]) is None and bootstrap_ci([1.0, 2.0], seed=1) == bootstrap_ci([1.0, 2.0], seed=1)
    row = _seed_table(0, {("GAN", "RMSE"): 0.1}, items=True).rows[0]
    assert row.ci[0] < 0.1 < row.ci[1]
    assert "0.1000 [" in _seed_table(0, {("GAN", "RMSE"): 0.1}, items=True).to_markdown()
