"""Signals, audio I/O, in-graph features and tf.data pipelines shared by every paper."""
