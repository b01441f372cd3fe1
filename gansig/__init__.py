"""gansig: five GAN-for-signals papers reproduced, and tools built from them."""

import os

# TensorFlow's C++ start-up chatter (oneDNN notice, CUDA probing on CPU machines) hides real output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

__version__ = "0.1.0"
