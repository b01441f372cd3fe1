"""Paper 3: restoration of damaged film sound with GANs (Aksoy's thesis): the eleven
experiments on low-pass-cut, noisy recordings and Table 5.1, beside silence, the damaged
input, classical bandwidth extension and gansig's own restorer (trained for the clean
original); and the restorers as a tool for one's own recordings."""

from gansig.papers import lazy_reproduce
from gansig.papers.film.config import PROFILES, ROWS, RUNS, Config

lazy_reproduce(__name__)  # reproduce() (and TensorFlow) imported on first use

__all__ = ["Config", "PROFILES", "ROWS", "RUNS", "reproduce"]
