"""Refactoring guards: the finished papers behave as they did when these files were captured
(commit 476c761, seed 0). The smoke tables are compared in ``test_papers.py``; here BPGAN's
``.bpg`` bytes and decoded audio for a fixed input and a committed smoke codec."""

from pathlib import Path

import numpy as np
import pytest
from helpers import speech_like

from gansig.papers.bpgan.codec import Codec

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def codec():
    return Codec.load(GOLDEN / "bpgan_smoke_codec")


@pytest.mark.parametrize("mode", ["search", "encoder"])
def test_bpgan_encodes_the_same_bytes_and_decodes_the_same_audio(codec, mode):
    x = speech_like(2.5, 22050, seed=11)
    data = codec.encode(x, 22050, search=mode == "search")
    assert data == (GOLDEN / f"bpgan_{mode}.bpg").read_bytes()
    decoded, rate = codec.decode(data)
    expected = np.load(GOLDEN / "bpgan_decoded.npz")[mode].astype(np.float32)
    assert rate == 22050 and decoded.shape == expected.shape
    np.testing.assert_allclose(decoded, expected, atol=2e-3 * np.abs(expected).max())  # stored as float16
