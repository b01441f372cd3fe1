"""Run papers' smoke reproductions under MirroredStrategy over two logical CPUs: a check
that every paper's training and scoring work with several replicas (the equivalence of the
training strategies themselves is tested in tests/test_distribute.py).

Run: .venv/bin/python scripts/smoke_on_two_replicas.py [NAME ...]   (default: every paper; minutes)
"""

from __future__ import annotations

import sys
import tempfile

import tensorflow as tf


def main(names: list[str]) -> int:
    cpu = tf.config.list_physical_devices("CPU")[0]  # two logical CPUs, before TensorFlow runs anything
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from gansig.papers import PAPERS, load
    from gansig.training import distribute

    assert distribute.choose("mirrored").num_replicas_in_sync == 2
    failed = 0
    for name in names or list(PAPERS):
        with tempfile.TemporaryDirectory() as out:
            try:
                table = load(name).reproduce("smoke", out_dir=out, seed=0, verbose=0)
                print(f"{name}: ok, trained on {table.provenance['training']}")
            except Exception as exc:  # report every paper, then fail
                failed += 1
                print(f"{name}: FAILED: {type(exc).__name__}: {exc}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
