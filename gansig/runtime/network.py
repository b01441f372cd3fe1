"""Networks exported to ONNX, run by ONNX Runtime: what the tools run instead of Keras.

A model folder that a tool reads holds the paper's own description (``codec.json``,
``restorer.json``, ...), the Keras networks it was trained as (``NAME.keras``, optional),
and their exports: ``NAME.onnx`` for each network and ``export.json``, which names the
export format, the gansig that wrote it, each file with its SHA-256 and how far its
outputs lay from the Keras network's when it was exported. :func:`load_networks` checks all
of that before any work. ``python -m gansig models export FOLDER`` (``make models`` for the
shipped ones; every ``train`` and ``reproduce`` at their end) writes the exports.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from gansig.errors import ModelError

EXPORT = "export.json"
EXPORT_FORMAT = "gansig.export/1"


def sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Network:
    """An exported network: call it with NumPy arrays (its inputs in order); it returns its
    output (or a tuple of them), running ``batch`` examples at a time.

    Args:
        path: the ``.onnx`` file.
        threads: ONNX Runtime's intra-op threads (default: every core).

    Raises:
        ModelError: the file is not a model ONNX Runtime can run.
    """

    def __init__(self, path: str | os.PathLike, threads: int | None = None):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.enable_cpu_mem_arena = False  # the arena keeps the largest block's buffers: measured 70 MB more at peak
        self.path = Path(path)
        try:
            self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # ONNX Runtime raises its own exception types for a bad file
            raise ModelError(f"{path}: not a model ONNX Runtime can run ({str(exc).splitlines()[0][:200]})") from None
        self.inputs = self.session.get_inputs()
        self.output_names = [o.name for o in self.session.get_outputs()]

    @property
    def input_shapes(self) -> list[tuple]:
        """Each input's shape (None where it is free, e.g. the batch)."""
        return [tuple(d if isinstance(d, int) else None for d in i.shape) for i in self.inputs]

    def __call__(self, *arrays: np.ndarray, batch: int = 256) -> np.ndarray | tuple[np.ndarray, ...]:
        if len(arrays) != len(self.inputs):
            raise ValueError(f"{self.path.name}: takes {len(self.inputs)} input(s), got {len(arrays)}")
        arrays = [np.ascontiguousarray(a, np.int32 if "int" in spec.type else np.float32)
                  for a, spec in zip(arrays, self.inputs, strict=True)]
        parts = []
        for start in range(0, max(1, len(arrays[0])), batch):
            feed = {spec.name: a[start:start + batch] for spec, a in zip(self.inputs, arrays, strict=True)}
            parts.append(self.session.run(self.output_names, feed))
        outputs = tuple(np.concatenate([p[k] for p in parts]) for k in range(len(self.output_names)))
        return outputs[0] if len(outputs) == 1 else outputs


def predict(network, *inputs: np.ndarray) -> np.ndarray | tuple[np.ndarray, ...]:
    """A network's outputs for ``inputs``, whichever it is: an exported :class:`Network` (or
    any callable), or a Keras model (its ``predict``, as a reproduction's freshly trained
    networks are): one inference path for the tools and the tables.
    """
    if hasattr(network, "predict"):
        return network.predict(list(inputs) if len(inputs) > 1 else inputs[0], verbose=0)
    return network(*inputs)


def exported(folder: str | os.PathLike) -> dict | None:
    """A model folder's ``export.json`` (None when there is none).

    Raises:
        ModelError: one that cannot be read, or of another export format.
    """
    path = Path(folder) / EXPORT
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        networks = record["networks"]
        if not isinstance(networks, dict):
            raise TypeError("networks is not an object")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path}: not a readable export description ({exc})") from None
    if record.get("format") != EXPORT_FORMAT:
        raise ModelError(f"{path}: exported by another version of gansig (format {record.get('format')!r}, this one "
                         f"reads {EXPORT_FORMAT}); export it again: python -m gansig models export {Path(folder)}")
    return record


def load_networks(folder: str | os.PathLike, names: Iterable[str], *, threads: int | None = None
                  ) -> dict[str, Network]:
    """The exported networks ``names`` of a model folder, each file checked against the
    digest ``export.json`` records.

    Raises:
        ModelError: naming the file and what to run: no export (a folder of Keras networks
            only), a file missing or altered, another export format.
    """
    folder = Path(folder)
    record = exported(folder)
    if record is None:
        keras_only = [n for n in names if (folder / f"{n}.keras").is_file()]
        what = (f"holds the Keras network(s) {', '.join(f'{n}.keras' for n in keras_only)} but no export"
                if keras_only else "holds no exported model")
        raise ModelError(f"{folder / EXPORT}: missing: {folder} {what}; export it once with `python -m gansig "
                         f"models export {folder}` (it needs TensorFlow; the tools then do not)")
    networks = {}
    for name in names:
        entry = record["networks"].get(name)
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise ModelError(f"{folder / EXPORT}: lists no network {name!r}; export the folder again")
        path = folder / entry["file"]
        if not path.is_file():
            raise ModelError(f"{path}: missing (listed in {EXPORT}); export the folder again")
        if sha256(path) != entry.get("sha256"):
            raise ModelError(f"{path}: altered or damaged (its SHA-256 is not the one {EXPORT} records); export the "
                             "folder again, or reinstall gansig for a shipped model")
        networks[name] = Network(path, threads)
    return networks
