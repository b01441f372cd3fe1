"""Inference without TensorFlow: networks exported to ONNX and run by ONNX Runtime
(:mod:`gansig.runtime.network`), and the signal processing around them in NumPy and SciPy
(:mod:`gansig.runtime.dsp`). The tools that only run networks forward (``restore``,
``decode``, ``generate``, ``denoise``, ``encode --encoder-only``) import nothing else: a
test runs each with ``import tensorflow`` made to fail."""
