import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gansig.errors import ConfigError
from gansig.training import distribute

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def equivalence() -> dict:
    out = subprocess.run([sys.executable, str(ROOT / "tests" / "replica_equivalence.py")], capture_output=True,
                         text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def test_every_strategy_trains_on_two_replicas_as_on_one(equivalence):
    from replica_equivalence import CASES

    assert set(equivalence) == set(CASES)
    for name, result in equivalence.items():
        assert result["moved"] > 1e-2, name  # training changed the weights ...
        assert result["difference"] < 1e-5, (name, result["difference"])  # ... alike on one and two replicas
        for metric in ("d_loss", "g_loss", "d_updates"):
            assert result["two"][metric] == pytest.approx(result["one"][metric], rel=1e-4, abs=1e-6), (name, metric)


def test_replicas_skip_the_discriminator_together(equivalence):
    updates = equivalence["discriminator skipping with forced updates"]["two"]["d_updates"]
    assert any(0.0 < u < 1.0 for u in updates), updates  # some steps skipped, some updated


def test_warm_up_on_two_replicas_starts_the_discriminator_in_its_epoch(equivalence):
    assert equivalence["generator-only warm-up"]["two"]["d_updates"] == [0.0, 1.0]


@pytest.mark.parametrize("tf_config, message", [
    (None, "needs TF_CONFIG"),
    ("{not json", "not a usable cluster"),
    ('{"cluster": {"worker": ["localhost:1"]}, "task": {"type": "worker", "index": 3}}', "not a usable cluster"),
])
def test_multiworker_needs_a_usable_cluster(monkeypatch, tf_config, message):
    if tf_config is None:
        monkeypatch.delenv("TF_CONFIG", raising=False)
    else:
        monkeypatch.setenv("TF_CONFIG", tf_config)
    with pytest.raises(ConfigError, match=message):
        distribute.choose("multiworker")
    with pytest.raises(ConfigError, match="one of"):
        distribute.choose("several")
    assert distribute.choose("one").num_replicas_in_sync == 1


def free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def test_two_workers_train_a_smoke_reproduction(tmp_path):
    workers = [f"localhost:{p}" for p in free_ports(2)]
    out = tmp_path / "results"
    processes = []
    for index in range(2):
        env = dict(os.environ, TF_CONFIG=json.dumps({"cluster": {"worker": workers},
                                                     "task": {"type": "worker", "index": index}}))
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gansig", "reproduce", "sinedenoise", "--profile", "smoke", "--strategy",
             "multiworker", "--out", str(out), "--quiet"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True))
    results = [p.communicate(timeout=600) for p in processes]
    for p, (_, err) in zip(processes, results, strict=True):
        assert p.returncode == 0, err[-3000:]
    chief, worker = json.loads((out / "table.json").read_text()), out / ".workers" / "1"
    assert chief["rows"] and (out / "run.json").is_file()
    assert chief["provenance"]["training"] == {"strategy": "multiworker", "replicas": 2, "workers": 2,
                                               "task": "worker:0"}
    # The other worker's copy of the results and checkpoints stays apart from the chief's.
    assert (worker / "table.json").is_file() and (worker / "checkpoints").is_dir()
    assert sorted(p.name for p in out.iterdir()) == sorted([".workers", "audio", "checkpoints", "figures", "models",
                                                             "run.json", "table.csv", "table.json", "table.md"])


def test_a_worker_port_in_use_is_refused_and_a_missing_worker_is_named(tmp_path):
    taken = socket.socket()
    taken.bind(("", 0))
    taken.listen()
    port, absent = taken.getsockname()[1], free_ports(1)[0]
    command = [sys.executable, "-m", "gansig", "reproduce", "sinedenoise", "--profile", "smoke", "--strategy",
               "multiworker", "--out", str(tmp_path / "o"), "--quiet"]

    def run_with(workers):
        env = dict(os.environ, GANSIG_CLUSTER_TIMEOUT_S="5",
                   TF_CONFIG=json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": 0}}))
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)

    try:
        in_use = run_with([f"localhost:{port}", f"localhost:{absent}"])
    finally:
        taken.close()
    assert in_use.returncode == 2 and f"localhost:{port} is in use" in in_use.stderr, in_use.stderr[-2000:]
    own = free_ports(1)[0]
    alone = run_with([f"localhost:{own}", f"localhost:{absent}"])
    assert alone.returncode != 0 and "Traceback" not in alone.stderr
    assert f"did not come together within 5 s (no answer from localhost:{absent})" in alone.stderr, alone.stderr[-2000:]
    assert not (tmp_path / "o").exists()
