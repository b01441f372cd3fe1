"""Turn the quick runs' trained networks into the shipped models (``python -m gansig models
ship``, the last step of ``make models``): each model's networks exported to ONNX
(:mod:`gansig.models.export`), its description copied, and its card written from the run
that trained it (``results/PAPER/PROFILE``: its table, provenance and config) and the
corpora's manifests. Needs TensorFlow (the export); what it writes does not.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

from gansig.errors import GansigError
from gansig.fileio import load_model, write_text
from gansig.models import CARD, CARD_FORMAT, ROOT, Shipped
from gansig.models.export import export_network, version
from gansig.results import ResultsTable
from gansig.results_folder import run_record
from gansig.runtime.network import EXPORT, EXPORT_FORMAT, sha256


def _corpus(name: str) -> dict:
    """A corpus's name, source packages, licences and manifest digest, from its manifest."""
    from gansig.data.corpora.registry import corpus_dir

    path = corpus_dir(name) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GansigError(f"{path}: cannot read the manifest of {name}, which the model was trained on ({exc}); "
                          f"build it: python -m gansig.data build {name}") from None
    return {"corpus": name, "sources": manifest.get("sources", {}), "licences": manifest.get("licences", []),
            "manifest_sha256": sha256(path)}


def _scores(table: ResultsTable, model: Shipped) -> tuple[list[dict], str]:
    """The card's rows (every metric of ``model.rows``) and its headline in words."""
    rows = [{"table": r.table, "row": r.row, "metric": r.metric, "measured": r.measured, "paper": r.reference,
             "n_eval": r.n_eval, "unit": r.unit} for r in table.rows if (r.table, r.row) in model.rows]
    name, row, metric, baseline = model.headline

    def value(of: str) -> float | None:
        found = [r["measured"] for r in rows if r["table"] == name and r["row"] == of and r["metric"] == metric]
        return found[0] if found and found[0] is not None and math.isfinite(found[0]) else None

    if value(row) is None:
        raise GansigError(f"{table.paper} table: no measured {metric!r} of {row!r} in {name!r}, the headline of "
                          f"{model.name}; the run's table is not the one this gansig writes: run it again")
    text = f"{metric} {value(row):.3g}" + (f" ({baseline}: {value(baseline):.3g})" if baseline and value(baseline)
                                            is not None else "")
    return rows, f"{row}: {text}"


def ship(model: Shipped, results: Path = Path("results")) -> Path:
    """Export ``model``'s networks from its run and write its folder and card.

    Returns:
        The model's folder (``gansig/models/NAME``), replaced whole once written.

    Raises:
        GansigError: the run is missing or not of this gansig (no table, no networks).
    """
    run = results / model.paper / model.profile
    source = run / model.source
    try:
        table = ResultsTable.from_json(run / "table.json")
    except (OSError, ValueError) as exc:
        raise GansigError(f"{run / 'table.json'}: no run to ship {model.name} from ({exc}); run `python -m gansig "
                          f"reproduce {model.paper} --profile {model.profile}` first (make models does)") from None
    rows, headline = _scores(table, model)
    staging = ROOT / f".{model.name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        for file in model.files:
            shutil.copyfile(source / file, staging / file)
        networks = {}
        for name in model.networks:
            keras_network = load_model(source / f"{name}.keras")
            networks[name] = export_network(keras_network, staging / f"{name}.onnx")
            if model.search_weights and name == "generator":
                from gansig.papers.bpgan.codec import save_search_weights

                save_search_weights(keras_network, staging)
        write_text(staging / EXPORT, json.dumps({"format": EXPORT_FORMAT, "gansig": version(), "networks": networks},
                                                indent=1))
        prov = table.provenance
        files = {p.name: sha256(p) for p in sorted(staging.iterdir())}
        write_text(staging / CARD, json.dumps({
            "format": CARD_FORMAT, "name": model.name, "what": model.what, "tool": model.tool, "paper": model.paper,
            "headline": headline,
            "trained_by": {"command": f"python -m gansig reproduce {model.paper} --profile {model.profile} --seed "
                                      f"{table.seed}", "make": "make models", "commit": prov.get("git_sha"),
                           "profile": model.profile, "seed": table.seed, "started": prov.get("started"),
                           "wall_time_s": prov.get("wall_time_s"), "versions": prov.get("versions"),
                           "run": (run_record(run) or {}).get("started"), "config": table.config},
            "data": [_corpus(c) for c in model.corpora] or [
                {"corpus": "synthetic", "what": f"{table.dataset}: generated from the seed, no recording, no licence"}],
            "exported_by": {"command": "python -m gansig models ship (make models)", "gansig": version(),
                            "weights": {n: e["weights"] for n, e in networks.items()},
                            "max_abs_diff_from_keras": {n: e["max_abs_diff"] for n, e in networks.items()}},
            "size_bytes": sum(p.stat().st_size for p in staging.iterdir()),
            "scores": {"dataset": table.dataset, "rows": rows},
            "files": files}, indent=1))
        target = ROOT / model.name
        old = ROOT / f".{model.name}.old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
