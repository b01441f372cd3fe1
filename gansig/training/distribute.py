"""Where training runs: one device, every local device, or several machines.

Every command that trains takes ``--strategy one|mirrored|multiworker`` and calls
:func:`choose` once; each paper then builds, compiles and fits its networks inside
:func:`scope`. ``mirrored`` is ``tf.distribute.MirroredStrategy`` over every local GPU
(every logical CPU on a machine without one); ``multiworker`` is
``MultiWorkerMirroredStrategy`` over the machines that ``TF_CONFIG`` lists, each running
the same command: tf.data shards the data between them, and only the chief writes the
results folder (:func:`worker_folder`). :class:`gansig.training.AdversarialModel` trains
every strategy with several replicas as it does with one.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import tensorflow as tf

from gansig.errors import ConfigError
from gansig.results_folder import WORKERS  # a non-chief worker's own folder, inside the chief's
from gansig.training import STRATEGIES, cluster

_chosen: tf.distribute.Strategy | None = None
_made: dict[str, tf.distribute.Strategy] = {}  # one of each per process: their collectives would collide


def default_name() -> str:
    """``"mirrored"`` on a machine with several GPUs, else ``"one"``."""
    return "mirrored" if len(tf.config.list_logical_devices("GPU")) > 1 else "one"


def choose(name: str | None = None) -> tf.distribute.Strategy:
    """Set the strategy every later training of this process runs under.

    Args:
        name: one of :data:`STRATEGIES`; None for :func:`default_name`.

    Returns:
        The strategy.

    Raises:
        ConfigError: an unknown name, or ``multiworker`` without a usable ``TF_CONFIG``.
    """
    global _chosen
    name = name or default_name()
    if name not in STRATEGIES:
        raise ConfigError(f"--strategy must be one of {', '.join(STRATEGIES)}, got {name!r}")
    if name == "one":
        _chosen = None
    elif name in _made:
        _chosen = _made[name]
    elif name == "mirrored":
        devices = tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("CPU")
        _chosen = _made[name] = tf.distribute.MirroredStrategy([d.name for d in devices])
    else:
        _chosen = _made[name] = _join_cluster()
        _mend_keras_for_several_workers()
    return strategy()


def _join_cluster() -> tf.distribute.MultiWorkerMirroredStrategy:
    """The multi-worker strategy of the checked ``TF_CONFIG``.

    TensorFlow waits for every worker without a limit while the strategy is made, inside
    C++ code that holds the interpreter (no Python thread or signal handler runs then), so a
    watcher process (:func:`cluster.watch`) ends the command after
    :func:`cluster.join_timeout_s` with a message naming the workers that do not answer.

    Raises:
        ConfigError: a bad ``TF_CONFIG``, or this worker's port taken.
    """
    found = cluster.check_tf_config()
    cluster.check_own_port(found)
    with cluster.watch(found, cluster.join_timeout_s()):
        return tf.distribute.MultiWorkerMirroredStrategy()


def _mend_keras_for_several_workers() -> None:
    """Work around two failures of Keras 3.x's ``fit`` under ``MultiWorkerMirroredStrategy``:
    before training it averages one distributed batch over the replicas only to learn its
    shapes (the first local replica's batch has them), and it averages each step's scalar
    metrics over the replicas along an axis they do not have (their sum over the replicas,
    divided by the replicas, is that average)."""
    from keras.src.backend.tensorflow import trainer

    def build(self, iterator=None, data_batch=None):
        if self._distribute_strategy is None:
            return
        if iterator is not None:
            for _, _, batches in iterator:
                data_batch = tf.nest.map_structure(
                    lambda x: (self.distribute_strategy.experimental_local_results(x)[0]
                               if isinstance(x, tf.distribute.DistributedValues) else x), next(batches))
                break
        with self.distribute_strategy.scope():
            self._symbolic_build(data_batch=data_batch)

    keras_reduce = trainer.reduce_per_replica

    def reduce_per_replica(values, strategy, reduction):
        if reduction in ("auto", "mean") and isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
            n = strategy.num_replicas_in_sync
            return tf.nest.map_structure(lambda v: strategy.reduce("SUM", v, axis=None) / n, values)
        return keras_reduce(values, strategy, reduction)

    trainer.TensorFlowTrainer._maybe_symbolic_build = build
    trainer.reduce_per_replica = reduce_per_replica


def strategy() -> tf.distribute.Strategy:
    """The chosen strategy (TensorFlow's default, one device, when none was chosen)."""
    return _chosen or tf.distribute.get_strategy()


def scope() -> AbstractContextManager:
    """The chosen strategy's scope: build, compile and fit networks inside it."""
    return strategy().scope()


def replicas() -> int:
    """How many replicas a training step runs on."""
    return strategy().num_replicas_in_sync


def description() -> dict[str, object]:
    """What a results table records about where it trained: the strategy, its replicas and,
    for several machines, the workers and this one's place among them."""
    chosen = strategy()
    name = next((n for n, made in _made.items() if made is chosen), "one")
    described: dict[str, object] = {"strategy": name, "replicas": chosen.num_replicas_in_sync}
    if name == "multiworker":
        resolver = chosen.cluster_resolver
        described.update(workers=len(resolver.cluster_spec().as_dict().get("worker", [])),
                         task=f"{resolver.task_type}:{resolver.task_id}")
    return described


def is_chief() -> bool:
    """Whether this process writes the results (always, unless it is a non-chief worker)."""
    if not isinstance(_chosen, tf.distribute.MultiWorkerMirroredStrategy):
        return True
    resolver = _chosen.cluster_resolver
    if resolver.task_type == "chief":
        return True
    has_chief = "chief" in resolver.cluster_spec().as_dict()
    return resolver.task_type == "worker" and resolver.task_id == 0 and not has_chief


def worker_folder(results: Path) -> Path:
    """Where this process writes a run's results: ``results`` itself for the chief (and
    outside multi-worker training), ``results/.workers/N`` for the other workers, whose
    copies of the results and checkpoints are their own (a resumed run then resumes
    every worker alike)."""
    if is_chief():
        return results
    return results / WORKERS / str(_chosen.cluster_resolver.task_id)
