"""Could BPGAN's short search run without TensorFlow? The search needs the generator's
vector-Jacobian product (the gradient of the reconstruction error with respect to the
latent); this exports that gradient as an ONNX graph of its own (tf2onnx, with handlers for
the four TensorFlow gradient ops it does not convert: TanhGrad, RsqrtGrad, LeakyReluGrad,
ShapeN) and times it in ONNX Runtime beside TensorFlow on the same inputs.

Run: .venv/bin/python benchmarks/bpgan_vjp_onnx.py [--model results/bpgan/quick/models/codec] [--batch 8]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np


def _const(ctx, value: float) -> str:
    from tf2onnx import utils

    return ctx.make_const(utils.make_name("c"), np.array(value, np.float32)).output[0]


def _replace(ctx, node, op: str, inputs: list[str]) -> None:
    new = ctx.make_node(op, inputs)
    ctx.replace_all_inputs(node.output[0], new.output[0])
    ctx.remove_node(node.name)


def _tanh_grad(ctx, node, name, args):  # dy * (1 - y^2)
    y, dy = node.input
    _replace(ctx, node, "Mul", [dy, ctx.make_node("Sub", [_const(ctx, 1.0), ctx.make_node("Mul", [y, y]).output[0]])
                                .output[0]])


def _rsqrt_grad(ctx, node, name, args):  # dy * -y^3 / 2
    y, dy = node.input
    cube = ctx.make_node("Mul", [ctx.make_node("Mul", [y, y]).output[0], y]).output[0]
    _replace(ctx, node, "Mul", [ctx.make_node("Mul", [dy, _const(ctx, -0.5)]).output[0], cube])


def _leaky_relu_grad(ctx, node, name, args):  # g where x > 0, else alpha g
    g, x = node.input
    alpha = node.get_attr_value("alpha", 0.2)
    mask = ctx.make_node("Cast", [ctx.make_node("Greater", [x, _const(ctx, 0.0)]).output[0]], attr={"to": 1}).output[0]
    if alpha:
        rest = ctx.make_node("Sub", [_const(ctx, 1.0), mask]).output[0]
        mask = ctx.make_node("Add", [mask, ctx.make_node("Mul", [rest, _const(ctx, alpha)]).output[0]]).output[0]
    _replace(ctx, node, "Mul", [g, mask])


def _shape_n(ctx, node, name, args):  # one Shape per input
    for i, source in enumerate(node.input):
        ctx.replace_all_inputs(node.output[i], ctx.make_node("Shape", [source]).output[0])
    ctx.remove_node(node.name)


HANDLERS = {"TanhGrad": (_tanh_grad, []), "RsqrtGrad": (_rsqrt_grad, []), "LeakyReluGrad": (_leaky_relu_grad, []),
            "ShapeN": (_shape_n, [])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="results/bpgan/quick/models/codec")
    parser.add_argument("--batch", type=int, default=8, help="patches a VJP computes at once (a frame's 8)")
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    import onnx
    import onnxruntime as ort
    import tensorflow as tf
    import tf2onnx

    from gansig.fileio import load_model

    generator = load_model(Path(args.model) / "generator.keras")
    n = args.batch
    spec = (tf.TensorSpec([n, *generator.input_shape[1:]], tf.float32),
            tf.TensorSpec([n, *generator.output_shape[1:]], tf.float32),
            tf.TensorSpec([n, *generator.output_shape[1:]], tf.float32))

    @tf.function(input_signature=spec)
    def vjp(z, x, w):
        with tf.GradientTape() as tape:
            tape.watch(z)
            error = tf.reduce_mean(w * tf.square(generator(z, training=False) - x), axis=[1, 2, 3])
            total = tf.reduce_sum(error)
        return error, tape.gradient(total, z)

    proto, _ = tf2onnx.convert.from_function(vjp, input_signature=spec, opset=17, custom_op_handlers=HANDLERS)
    with tempfile.TemporaryDirectory() as tmp:
        onnx.save(proto, str(Path(tmp) / "vjp.onnx"))
        session = ort.InferenceSession(str(Path(tmp) / "vjp.onnx"), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    z = rng.uniform(0, 1, spec[0].shape).astype(np.float32)
    x = rng.uniform(-1, 1, spec[1].shape).astype(np.float32)
    feed = dict(zip([i.name for i in session.get_inputs()], (z, x, np.ones_like(x)), strict=True))
    error, gradient = (t.numpy() for t in vjp(z, x, np.ones_like(x)))
    got_error, got_gradient = session.run(None, feed)
    print(f"ONNX against TensorFlow: error {np.abs(got_error - error).max():.2e}, gradient "
          f"{np.abs(got_gradient - gradient).max():.2e} (largest gradient {np.abs(gradient).max():.2e})")
    for name, call in (("TensorFlow", lambda: vjp(z, x, np.ones_like(x))), ("ONNX Runtime", lambda: session.run(
            None, feed))):
        call()
        start = time.perf_counter()
        for _ in range(args.repeats):
            call()
        print(f"{name:>12s}: {(time.perf_counter() - start) / args.repeats * 1000:7.1f} ms per VJP of {n} patches")


if __name__ == "__main__":
    main()
