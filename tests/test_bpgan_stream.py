"""BPGAN's files as streams: frames through pipes (``-``), truncated and corrupted files, and
the WAV stream reader and writer behind standard input and output."""

import subprocess
import sys
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from helpers import speech_like

from gansig.data import io
from gansig.errors import AudioError
from gansig.papers.bpgan import bitstream
from gansig.papers.bpgan.codec import Codec, decode_file, encode_file

GOLDEN_CODEC = Path(__file__).parent / "golden" / "bpgan_smoke_codec"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def codec():
    return Codec.load(GOLDEN_CODEC)


@pytest.fixture(scope="module")
def long_file(tmp_path_factory, codec):
    """20 s of speech-like audio at 22.05 kHz (three frames of 8.192 s) and its .bpg."""
    folder = tmp_path_factory.mktemp("stream")
    sf.write(folder / "in.wav", speech_like(20.0, 22050, seed=3), 22050, subtype="PCM_16")
    encode_file(codec, folder / "in.wav", folder / "in.bpg", search=False)
    return folder


def cli(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gansig.papers.bpgan", *args, "--model", str(GOLDEN_CODEC)],
                          input=stdin, capture_output=True, timeout=600, cwd=ROOT)


@pytest.mark.slow
def test_encode_and_decode_sit_in_a_pipe(long_file):
    """``encode - -`` reads a WAV stream and writes the very bytes the file encoder writes;
    ``decode - -`` writes the audio the file decoder writes (as floats: a stream's level is not
    known ahead; the file holds the decoded level too, nothing clipped)."""
    wav = (long_file / "in.wav").read_bytes()
    encoded = cli("encode", "-", "-", "--encoder-only", stdin=wav)
    assert encoded.returncode == 0, encoded.stderr.decode()[-2000:]
    assert encoded.stdout == (long_file / "in.bpg").read_bytes()
    decoded = cli("decode", "-", "-", stdin=encoded.stdout)
    assert decoded.returncode == 0, decoded.stderr.decode()[-2000:]
    rate, blocks = io._wav_blocks(BytesIO(decoded.stdout), "<stdout>", 4096)
    piped = np.concatenate(list(blocks))
    decode_file(Codec.load(GOLDEN_CODEC), long_file / "in.bpg", long_file / "out.wav")
    from_file, file_rate = sf.read(long_file / "out.wav", dtype="float32")
    assert rate == file_rate == 22050 and len(piped) == len(from_file) == 20 * 22050
    # the same audio: the file's 16-bit PCM (or float, above full scale) rounds it, nothing more
    np.testing.assert_allclose(piped, from_file, atol=1 / 32768)


@pytest.mark.slow
def test_a_truncated_file_decodes_to_the_frames_it_holds(long_file, codec, capsys):
    data = (long_file / "in.bpg").read_bytes()
    frames = list(bitstream.read_stream(BytesIO(data))[1])
    assert [f.n_samples for f in frames] == [131072, 131072, 320000 - 2 * 131072]
    second_ends = frames[2].position
    for cut in (second_ends, second_ends + 40):  # at a frame's end, and inside the next one
        (long_file / "cut.bpg").write_bytes(data[:cut])
        decode_file(codec, long_file / "cut.bpg", long_file / "cut.wav", force=True)
        assert sf.info(long_file / "cut.wav").frames == round(2 * 131072 * 22050 / 16000)
        said = capsys.readouterr().err  # the last frame is marked: a cut between frames shows too
        assert "truncated" in said and ("holds 10 of its" in said) == (cut > second_ends), said


@pytest.mark.slow
def test_a_corrupted_frame_is_reported_by_position_and_the_rest_decodes(long_file, codec, capsys):
    data = bytearray((long_file / "in.bpg").read_bytes())
    frames = list(bitstream.read_stream(BytesIO(bytes(data)))[1])
    data[frames[1].position + bitstream.FRAME_BYTES] ^= 0xFF  # a byte of the middle frame's payload
    (long_file / "bad.bpg").write_bytes(bytes(data))
    decode_file(codec, long_file / "bad.bpg", long_file / "bad.wav")
    said = capsys.readouterr().err
    assert f"frame 1 at byte {frames[1].position} is corrupted (payload checksum); 8.19 s of silence" in said
    y, rate = sf.read(long_file / "bad.wav", dtype="float32")
    assert len(y) == 20 * 22050
    middle = y[round((131072 + 16384) * rate / 16000):round((2 * 131072 - 16384) * rate / 16000)]
    assert np.abs(middle).max() < 1e-3 < np.abs(y[:rate * 5]).max()  # silence where the frame was


@pytest.mark.parametrize("subtype,bits", [("PCM_U8", 8), ("PCM_16", 16), ("PCM_24", 24), ("PCM_32", 32),
                                          ("FLOAT", 32), ("DOUBLE", 64)])
def test_the_wav_stream_reader_reads_what_soundfile_writes(subtype, bits, tmp_path):
    x = np.stack([np.linspace(-0.9, 0.9, 3001), np.linspace(0.5, -0.5, 3001)], axis=1).astype(np.float32)
    sf.write(tmp_path / "x.wav", x, 8000, subtype=subtype)
    rate, blocks = io._wav_blocks(BytesIO((tmp_path / "x.wav").read_bytes()), "x", 1000)
    y = np.concatenate(list(blocks))
    assert rate == 8000 and len(y) == 3001
    np.testing.assert_allclose(y, x.mean(axis=1), atol=2.0 ** (1 - bits) * 2)


def test_the_wav_stream_writer_writes_what_the_reader_and_soundfile_read(tmp_path):
    x = np.sin(np.arange(5000) / 7.0).astype(np.float32) * 0.5
    for floats in (False, True):
        out = BytesIO()
        assert io.write_wav_stream(out, [x[:1234], x[1234:]], 11025, floats=floats) == 5000
        rate, blocks = io._wav_blocks(BytesIO(out.getvalue()), "x", 999)
        np.testing.assert_allclose(np.concatenate(list(blocks)), x, atol=0 if floats else 1 / 32768)
        assert rate == 11025
    with pytest.raises(AudioError, match="not a WAV stream"):
        io._wav_blocks(BytesIO(b"fLaC" + bytes(40)), "<stdin>", 10)
    with pytest.raises(AudioError, match="NaN"):
        io.write_wav_stream(BytesIO(), [np.array([np.nan], np.float32)], 8000)


@pytest.mark.slow
def test_junk_on_standard_input_is_refused_cleanly(tmp_path):
    encoded = cli("encode", "-", str(tmp_path / "x.bpg"), stdin=b"hello, not audio")
    assert encoded.returncode == 2 and b"<stdin>: not a WAV stream" in encoded.stderr
    assert b"Traceback" not in encoded.stderr and not (tmp_path / "x.bpg").exists()
    decoded = cli("decode", "-", str(tmp_path / "x.wav"), stdin=b"RIFF....WAVEfmt ")
    assert decoded.returncode == 2 and b"-: not a .bpg file" in decoded.stderr and not (tmp_path / "x.wav").exists()
