"""Datasets: loaders for real corpora (TIMIT, UrbanSound8K, a folder of audio files)."""

from gansig.data.corpora.base import AudioItem
from gansig.data.corpora.folder import load_folder
from gansig.data.corpora.timit import TIMIT_CORE_TEST_SPEAKERS, load_timit
from gansig.data.corpora.urbansound import URBANSOUND_CLASSES, load_urbansound

__all__ = ["AudioItem", "load_folder", "load_timit", "load_urbansound", "TIMIT_CORE_TEST_SPEAKERS",
           "URBANSOUND_CLASSES"]
