"""Paper 2: BPGAN speech compression (Liu, Cao & Kim) — a latent code found by
back-propagating through a trained generator (ADMM), quantised to 16 levels and
range-coded into ``.bpg`` files; Table 3 against Opus, Speex, AMR-WB and Codec2."""

from gansig import import_tensorflow_quietly

import_tensorflow_quietly()  # before the imports below pull TensorFlow in

from gansig.papers.bpgan.config import PROFILES, Config  # noqa: E402
from gansig.papers.bpgan.reproduce import reproduce  # noqa: E402

__all__ = ["Config", "PROFILES", "reproduce"]
