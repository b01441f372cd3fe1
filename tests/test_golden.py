"""Refactoring guards: the finished papers behave as they did when these files were captured
(seed 0; the ``.bpg`` files of format version 3 when it was introduced, the version 2 file at
commit 476c761). The smoke tables are compared in ``test_papers.py``; here BPGAN's ``.bpg``
files for a fixed input and a committed smoke codec, and a file of the format before, which
still decodes.

What is exact on every CPU is exact here: the entropy coding of given symbols (the bytes),
and the encoder-only code (one network pass, then the nearest of 16 levels). The ADMM
search iterates through the generator's gradients, whose float kernels differ between
CPUs (oneDNN picks them per instruction set): measured on an AVX-512 machine, with oneDNN
on its file was the golden one (captured on AVX2) byte for byte, with oneDNN off 6 of its
1,280 symbols differed (0.5%; the range coder then changes every later byte, 379 of 698,
at the same size). So its symbols must agree with the golden's for at least 97% and its
size within 3%. Decoded audio is compared by its STFT magnitudes, within 0.5% of the golden's
(measured: 1.6e-4 to 8.5e-4, for the Keras and the exported generator, oneDNN on and off):
its phases come from Griffin-Lim, which amplifies float noise of 1e-6 in the generator's
output into sample differences of up to 0.02, while the magnitudes hold. The golden audio was
recaptured when Griffin-Lim moved to NumPy (gansig.runtime.dsp: its random start is NumPy's,
so the phases moved; the codes and the bytes did not)."""

import dataclasses
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from helpers import speech_like

from gansig.papers.bpgan import bitstream
from gansig.papers.bpgan.codec import Codec
from gansig.runtime import dsp

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def codec():
    return Codec.load(GOLDEN / "bpgan_smoke_codec", keras=True)  # the search differentiates the Keras generator


def assert_same_audio(decoded: np.ndarray, expected: np.ndarray) -> None:
    """The same length and, within 0.5 %, the same STFT magnitudes (see the module's note)."""
    assert decoded.shape == expected.shape
    got, want = np.abs(dsp.stft(decoded, 512, 128)), np.abs(dsp.stft(expected, 512, 128))
    assert np.linalg.norm(got - want) / np.linalg.norm(want) < 5e-3


@pytest.mark.parametrize("mode", ["search", "encoder"])
def test_bpgan_encodes_the_same_code_and_decodes_the_same_audio(codec, mode):
    x = speech_like(2.5, 22050, seed=11)
    golden = (GOLDEN / f"bpgan_{mode}.bpg").read_bytes()
    data = codec.encode(x, 22050, search=mode == "search")
    if mode == "encoder":
        assert data == golden
    else:
        agree = np.mean(np.concatenate(codec.read(data)[1]) == np.concatenate(codec.read(golden)[1]))
        assert agree >= 0.97 and abs(len(data) - len(golden)) <= 0.03 * len(golden), (agree, len(data), len(golden))
    expected = np.load(GOLDEN / "bpgan_decoded.npz")[mode].astype(np.float32)  # stored as float16
    for decoder in (codec, Codec.load(GOLDEN / "bpgan_smoke_codec")):  # Keras, and the export the tools run
        decoded, rate = decoder.decode(golden)
        assert rate == 22050
        assert_same_audio(decoded, expected)


def test_a_file_of_the_format_before_still_decodes(codec):
    """Version 2 (one header, one payload) decodes as one frame, to what it decoded to when
    version 3 came (its Griffin-Lim runs on the mel in the signal's units now, so its phases,
    not its spectrogram, moved from what the version 2 decoder gave)."""
    decoded, rate = codec.decode((GOLDEN / "bpgan_search_v2.bpg").read_bytes())
    assert rate == 22050
    assert_same_audio(decoded, np.load(GOLDEN / "bpgan_decoded.npz")["search_v2"].astype(np.float32))


@pytest.mark.parametrize("mode", ["search", "encoder"])
def test_the_symbols_of_a_file_code_to_its_very_bytes(codec, mode):
    golden = (GOLDEN / f"bpgan_{mode}.bpg").read_bytes()
    header, symbols = codec.read(golden)
    frames = list(bitstream.read_stream(BytesIO(golden))[1])
    coded = [dataclasses.replace(f, payload=codec.symbols.encode(s)) for f, s in zip(frames, symbols, strict=True)]
    assert bitstream.pack(header, coded) == golden
