"""Paper 2: BPGAN speech compression (Liu, Cao & Kim) — a latent code found by
back-propagating through a trained generator (ADMM), quantised to 16 levels and
range-coded into ``.bpg`` files; Table 3 against Opus, Speex, AMR-WB and Codec2."""

from gansig.papers import lazy_reproduce
from gansig.papers.bpgan.config import PROFILES, Config

lazy_reproduce(__name__)  # reproduce() (and TensorFlow) imported on first use

__all__ = ["Config", "PROFILES", "reproduce"]
