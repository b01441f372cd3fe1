import numpy as np
import pytest
import soundfile as sf

from gansig.data import io
from gansig.errors import AudioError


def tone(rate=16000, seconds=0.5):
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def test_save_load_round_trip(tmp_path):
    x = tone()
    path = io.save(tmp_path / "a.wav", x, 16000)
    y, rate = io.load(path)
    assert rate == 16000 and y.shape == x.shape
    np.testing.assert_allclose(y, x, atol=2 / 32768)


def test_stereo_is_mixed_down_and_resampled(tmp_path):
    x = tone(rate=44100)
    sf.write(tmp_path / "s.flac", np.stack([x, 0 * x], axis=1), 44100)
    y, rate = io.load(tmp_path / "s.flac", rate=16000)
    assert rate == 16000 and y.ndim == 1
    assert len(y) == pytest.approx(len(x) * 16000 / 44100, abs=2)
    assert np.max(np.abs(y)) == pytest.approx(0.25, abs=0.01)
    peak = np.argmax(np.abs(np.fft.rfft(y))) * 16000 / len(y)
    assert peak == pytest.approx(440, abs=3)


def test_errors_name_the_file(tmp_path):
    with pytest.raises(AudioError, match="no such file"):
        io.load(tmp_path / "missing.wav")
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF\x00\x00not really a wave file")
    with pytest.raises(AudioError, match="bad.wav.*not a readable audio file"):
        io.load(bad)
    empty = tmp_path / "empty.wav"
    sf.write(empty, np.zeros(0, np.float32), 16000)
    with pytest.raises(AudioError, match="empty.wav.*no samples"):
        io.load(empty)
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros(100, np.float32), 16000)
    with pytest.raises(AudioError, match="silent"):
        io.load(silent)
    assert io.load(silent, allow_silent=True)[0].shape == (100,)
    nan = tmp_path / "nan.wav"
    sf.write(nan, np.array([0.1, np.nan, 0.2], np.float32), 16000, subtype="FLOAT")
    with pytest.raises(AudioError, match="NaN"):
        io.load(nan)


def test_absurd_rates_are_rejected(tmp_path):
    with pytest.raises(AudioError, match="sample rate"):
        io.save(tmp_path / "x.wav", tone(), 10)


def test_failed_write_leaves_the_old_file(tmp_path):
    path = io.save(tmp_path / "keep.wav", tone(), 16000)
    before = path.read_bytes()
    with pytest.raises(AudioError):
        io.save(path, np.array([np.nan], np.float32), 16000)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.wav"]


def test_channels_that_cancel_in_the_mix_are_reported(tmp_path, capsys):
    x = tone()
    sf.write(tmp_path / "cancel.wav", np.stack([x, -x * 0.999], axis=1), 16000, subtype="FLOAT")
    y, _ = io.load(tmp_path / "cancel.wav")
    assert np.max(np.abs(y)) < 1e-3
    assert "cancel.wav: its channels cancel in the mono mix (-66 dB" in capsys.readouterr().err
    sf.write(tmp_path / "fine.wav", np.stack([x, x], axis=1), 16000)
    io.load(tmp_path / "fine.wav")
    assert capsys.readouterr().err == ""


def test_audio_far_above_full_scale_is_refused(tmp_path):
    sf.write(tmp_path / "huge.wav", tone() * 1e4, 16000, subtype="FLOAT")
    with pytest.raises(AudioError, match=r"huge.wav: peaks at \+74 dBFS, above the \+60 dBFS"):
        io.load(tmp_path / "huge.wav")


def test_a_full_device_is_named_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    import errno

    from gansig.errors import OutputError

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sf, "write", full)
    with pytest.raises(OutputError, match="out.wav: no space left on the device holding"):
        io.save(tmp_path / "out.wav", tone(), 16000)
    assert list(tmp_path.iterdir()) == []


def test_streams_are_resampled_and_written_as_a_whole_would_be(tmp_path):
    x = np.concatenate([tone(), tone()[::-1]])
    pieces = [x[i:i + 1000] for i in range(0, len(x), 1000)]
    y = np.concatenate(list(io.resample_stream(pieces, 16000, 22050, len(x) * 22050 // 16000)))
    whole = io.resample(x, 16000, 22050)
    assert len(y) == len(x) * 22050 // 16000
    np.testing.assert_allclose(y[:len(whole)], whole[:len(y)], atol=1e-4)
    io.save_stream(tmp_path / "s.flac", iter(pieces), 16000)
    back, rate = io.load(tmp_path / "s.flac")
    assert rate == 16000 and np.allclose(back, x, atol=2 / 32768)
    with pytest.raises(AudioError, match="NaN"):
        io.save_stream(tmp_path / "bad.wav", [x[:10], np.full(10, np.nan, np.float32)], 16000)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.flac"]
