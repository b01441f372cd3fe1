"""Keras networks to ONNX, once, by the suite (``python -m gansig models export``, ``make
models``, the papers' ``train``): never at a user's run time. Needs TensorFlow, Keras's
ONNX export (tf2onnx) and ``onnx``; what it writes needs neither (:mod:`gansig.runtime`).

Each network is exported through Keras (``Model.export(format="onnx")``), its weights then
stored as float16 where that is lossless enough (a ``Cast`` back to float32 in front of each:
ONNX Runtime folds it when it loads the model, so the arithmetic stays float32 and only the
weights are rounded), and checked against the Keras network on seeded inputs: the largest
difference is recorded in ``export.json`` beside the file's SHA-256.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path

import numpy as np

from gansig.fileio import atomic_path, load_model, write_text
from gansig.runtime.network import EXPORT, EXPORT_FORMAT, Network, sha256

FLOAT16_MIN_SIZE = 64     # smaller weight tensors (biases, scalars) stay float32
FLOAT16_MAX = 60_000.0    # float16's range ends at 65,504
FLOAT16_ABOVE_BYTES = 4 << 20  # "auto": float16 weights for networks whose float32 weights pass 4 MiB


def version() -> str:
    """This gansig's version (the package's)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("gansig")
    except PackageNotFoundError:
        return "unknown"


def weights_as_float16(model):
    """An ONNX model whose large float32 weights are stored as float16, each cast back to
    float32 where the graph reads it (the arithmetic unchanged, the file about half)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    kept, halves, casts = [], [], []
    for tensor in model.graph.initializer:
        values = numpy_helper.to_array(tensor) if tensor.data_type == TensorProto.FLOAT else None
        if values is None or values.size < FLOAT16_MIN_SIZE or np.abs(values).max() > FLOAT16_MAX:
            kept.append(tensor)
            continue
        halves.append(numpy_helper.from_array(values.astype(np.float16), f"{tensor.name}__float16"))
        casts.append(helper.make_node("Cast", [halves[-1].name], [tensor.name], to=TensorProto.FLOAT,
                                      name=f"{tensor.name}__to_float32"))
    model.graph.ClearField("initializer")
    model.graph.initializer.extend(kept + halves)
    nodes = casts + list(model.graph.node)
    model.graph.ClearField("node")
    model.graph.node.extend(nodes)
    onnx.checker.check_model(model)
    return model


def sample_inputs(model, seed: int = 0, free: int = 8) -> list[np.ndarray]:
    """Seeded inputs for ``model``: its free dimensions ``free`` long (the batch 2); floats
    uniform in [-1, 1], integers (labels) in 0 .. 1."""
    rng = np.random.default_rng(seed)
    out = []
    for spec in model.inputs:
        shape = [2] + [d if d is not None else free for d in spec.shape[1:]]
        if "int" in str(spec.dtype):
            out.append(rng.integers(0, 2, shape).astype(np.int32))
        else:
            out.append(rng.uniform(-1, 1, shape).astype(np.float32))
    return out


def export_network(model, path: Path, *, float16: bool | None = None, seed: int = 0) -> dict:
    """Export one Keras network to ``path`` (atomically) and check it.

    Args:
        model: the Keras network.
        path: the ``.onnx`` file to write.
        float16: store the weights as float16 (None: where the float32 weights pass
            :data:`FLOAT16_ABOVE_BYTES`; the small networks stay exact).
        seed: seed of the check's inputs.

    Returns:
        Its entry in ``export.json``: file, SHA-256, weights, the largest difference from
        the Keras network on seeded inputs and the largest output (for scale).
    """
    import onnx

    if float16 is None:
        float16 = 4 * model.count_params() > FLOAT16_ABOVE_BYTES
    samples = sample_inputs(model, seed)
    expected = np.asarray(model.predict(samples if len(samples) > 1 else samples[0], verbose=0))
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning)  # tf2onnx's probe of np.object
        model.export(str(Path(tmp) / "net.onnx"), format="onnx", verbose=False)
        proto = onnx.load(str(Path(tmp) / "net.onnx"))
    if float16:
        proto = weights_as_float16(proto)
    with atomic_path(path) as tmp_path:
        onnx.save(proto, str(tmp_path))
    got = np.asarray(Network(path)(*samples))
    return {"file": path.name, "sha256": sha256(path), "weights": "float16" if float16 else "float32",
            "max_abs_diff": float(np.abs(got - expected).max()), "max_abs_output": float(np.abs(expected).max())}


def export_folder(folder: str | Path, names: list[str] | None = None, *, float16: bool | None = None) -> Path:
    """Export a model folder's Keras networks (``NAME.keras``; all of them when ``names`` is
    None) to ``NAME.onnx`` and write ``export.json`` (``float16``: see :func:`export_network`).

    Returns:
        ``export.json``'s path.

    Raises:
        ModelError: a network missing or not loadable (named).
    """
    from gansig.errors import ModelError
    from gansig.papers import import_tensorflow_quietly

    import_tensorflow_quietly()
    folder = Path(folder)
    names = names or sorted(p.stem for p in folder.glob("*.keras"))
    if not names:
        raise ModelError(f"{folder}: holds no Keras network (NAME.keras) to export")
    networks = {}
    for name in names:
        try:
            model = load_model(folder / f"{name}.keras")
        except ModelError:
            raise
        except Exception as exc:  # Keras raises many types for a bad archive
            raise ModelError(f"{folder / (name + '.keras')}: cannot load ({exc})") from None
        networks[name] = export_network(model, folder / f"{name}.onnx", float16=float16)
    return write_text(folder / EXPORT, json.dumps({"format": EXPORT_FORMAT, "gansig": version(),
                                                   "networks": networks}, indent=1))
