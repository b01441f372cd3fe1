"""Paper 4: SpecGAN-style generation of UrbanSound8K street-music mel spectrograms (a
course report), its model as reported beside Donahue et al.'s canonical SpecGAN and a
class-conditional one, scored with the report's RMSE and FID and with in-domain scores
from a classifier trained here; and the generators as tools."""

from gansig.papers import lazy_reproduce
from gansig.papers.specgan.config import PROFILES, RUNS, Config

lazy_reproduce(__name__)  # reproduce() (and TensorFlow) imported on first use

__all__ = ["Config", "PROFILES", "RUNS", "reproduce"]
