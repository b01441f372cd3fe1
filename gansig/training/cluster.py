"""The cluster ``--strategy multiworker`` trains on, checked before TensorFlow joins it.

``TF_CONFIG`` names every worker's ``host:port`` and this process's task. Checked here, with
no TensorFlow (a command line refuses a bad one at once): the JSON, the task within the
list, a port on every address, this worker's port free. While the workers find each other
:func:`missing` names those that do not answer, for the message of a cluster that did not
come together within :func:`join_timeout_s`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

from gansig.errors import ConfigError

TIMEOUT_VARIABLE = "GANSIG_CLUSTER_TIMEOUT_S"
DEFAULT_TIMEOUT_S = 300


@dataclass(frozen=True)
class Cluster:
    """``TF_CONFIG``, checked: every address (the chiefs', then the workers') and this
    process's task."""

    addresses: tuple[str, ...]
    task_type: str
    task_index: int
    chiefs: int = 0

    @property
    def own(self) -> str:
        """This process's address."""
        return self.addresses[self.task_index + (self.chiefs if self.task_type == "worker" else 0)]


def _port(address: object) -> int | None:
    host, sep, port = str(address).rpartition(":")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        return None
    return int(port)


def check_tf_config() -> Cluster:
    """``TF_CONFIG`` as a :class:`Cluster`.

    Raises:
        ConfigError: unset, not JSON, no worker list, a task outside it, or an address
            without a port (named).
    """
    text = os.environ.get("TF_CONFIG")
    if not text:
        raise ConfigError("--strategy multiworker needs TF_CONFIG: set it on every machine to "
                          '{"cluster": {"worker": ["host1:port", "host2:port"]}, "task": {"type": "worker", '
                          '"index": N}} (see the README, "Training on several GPUs or machines")')
    try:
        config = json.loads(text)
        chiefs, workers = config["cluster"].get("chief", []), config["cluster"]["worker"]
        task_type, index = config["task"]["type"], int(config["task"]["index"])
        valid = (isinstance(workers, list) and isinstance(chiefs, list) and task_type in ("worker", "chief")
                 and 0 <= index < len(workers if task_type == "worker" else chiefs))
    except (ValueError, KeyError, TypeError, AttributeError):
        valid = False
    if not valid:
        raise ConfigError(f"TF_CONFIG is not a usable cluster description: {text!r} (it needs "
                          '"cluster": {"worker": [...]} and a "task" of type worker or chief with an index '
                          "within the list)")
    addresses = tuple(str(a) for a in [*chiefs, *workers])
    for address in addresses:
        if _port(address) is None:
            raise ConfigError(f"TF_CONFIG: the address {address!r} has no port; write it as host:port")
    return Cluster(addresses, task_type, index, len(chiefs))


def check_own_port(cluster: Cluster) -> None:
    """Refuse to start when this worker's port is taken (gRPC would fail to serve on it).

    Raises:
        ConfigError: naming the address.
    """
    port = _port(cluster.own)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("", port))
        except OSError:
            raise ConfigError(f"TF_CONFIG: this worker's address {cluster.own} is in use (port {port} is taken by "
                              "another program); give it a free port on every machine") from None


def missing(cluster: Cluster, wait_s: float = 2.0) -> list[str]:
    """The other workers' addresses where nothing answers now."""
    silent = []
    for address in cluster.addresses:
        if address == cluster.own:
            continue
        host = address.rpartition(":")[0].strip("[]")
        with contextlib.suppress(OSError), socket.create_connection((host, _port(address)), timeout=wait_s):
            continue
        silent.append(address)
    return silent


def join_timeout_s() -> int:
    """How long the workers wait for each other (``GANSIG_CLUSTER_TIMEOUT_S``, default 300 s).

    Raises:
        ConfigError: a value that is not a positive whole number of seconds.
    """
    text = os.environ.get(TIMEOUT_VARIABLE, str(DEFAULT_TIMEOUT_S))
    if not text.isdigit() or int(text) < 1:
        raise ConfigError(f"{TIMEOUT_VARIABLE}={text!r}: must be a whole number of seconds, at least 1")
    return int(text)


@contextlib.contextmanager
def watch(cluster: Cluster, timeout_s: int) -> Iterator[None]:
    """Within the block, a watcher process ends this one after ``timeout_s`` with a message
    naming the workers that do not answer (exit status 137); leaving the block stops it."""
    watcher = subprocess.Popen([sys.executable, "-c", "from gansig.training.cluster import _watch; _watch()",
                                str(os.getpid()), str(timeout_s), cluster.own, *cluster.addresses],
                               stdin=subprocess.DEVNULL)
    try:
        yield
    finally:
        watcher.kill()
        watcher.wait()


def _watch() -> None:
    """The watcher of :func:`watch` (arguments: pid, seconds, own address, every address)."""
    pid, timeout_s, own, *addresses = sys.argv[1:]
    deadline = time.monotonic() + int(timeout_s)
    while time.monotonic() < deadline:
        time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), 0)
            continue
        return  # the process it watches is gone
    silent = missing(Cluster(tuple(addresses), "worker", addresses.index(own)))
    who = f" (no answer from {', '.join(silent)})" if silent else ""
    print(f"error: the workers of TF_CONFIG did not come together within {timeout_s} s{who}; start the same "
          f"command on every machine, or wait longer with {TIMEOUT_VARIABLE}", file=sys.stderr, flush=True)
    os.kill(int(pid), signal.SIGKILL)
