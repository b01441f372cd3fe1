import csv

import numpy as np
import pytest
import soundfile as sf

from gansig.data import cache
from gansig.data.corpora import TIMIT_CORE_TEST_SPEAKERS, load_folder, load_timit, load_urbansound
from gansig.errors import AudioError, DataError


def tone(rate, seconds=0.3, freq=440.0):
    t = np.arange(int(rate * seconds)) / rate
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def make_timit(root, speakers_per_region=1, drop_txt=None, upper=True):
    """A miniature TIMIT: NIST SPHERE .WAV files and .TXT transcripts in the LDC layout."""
    name = str.upper if upper else str.lower
    core = sorted(TIMIT_CORE_TEST_SPEAKERS)
    for split in ("train", "test"):
        for i in range(1, 9):
            for k in range(speakers_per_region):
                speaker = core[(i - 1) * 3] if split == "test" and k == 0 else f"{'mf'[k % 2]}xyz{i}{k}"
                folder = root / name(split) / name(f"dr{i}") / name(speaker)
                folder.mkdir(parents=True)
                for utt in ("sa1", "si1000", "sx20"):
                    wav = folder / name(f"{utt}.wav")
                    sf.write(wav, tone(16000), 16000, format="NIST", subtype="PCM_16")
                    if wav != drop_txt:
                        (folder / name(f"{utt}.txt")).write_text(f"0 4800 Sentence {utt} of {speaker}.\n")
    return root


def test_timit_splits_and_transcripts(tmp_path):
    root = make_timit(tmp_path / "TIMIT", speakers_per_region=2)
    train = load_timit(root, "train")
    assert len(train) == 8 * 2 * 2  # SA sentences excluded
    assert {item.extra["dialect"] for item in train} == {f"DR{i}" for i in range(1, 9)}
    assert train[0].text.startswith("Sentence si1000 of")
    assert len(load_timit(root, "train", include_sa=True)) == 8 * 2 * 3
    core = load_timit(root, "core-test")
    assert {i.speaker for i in core} <= TIMIT_CORE_TEST_SPEAKERS and len({i.speaker for i in core}) == 8
    x, rate = sf.read(core[0].path)
    assert rate == 16000 and len(x) == 4800


def test_timit_lower_case_copy_and_parent_folder(tmp_path):
    make_timit(tmp_path / "timit", upper=False)
    assert len(load_timit(tmp_path, "test")) == 16


def test_timit_errors_name_what_is_missing(tmp_path):
    with pytest.raises(DataError, match="no such folder"):
        load_timit(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no TRAIN/ or TEST/"):
        load_timit(tmp_path / "empty")
    root = make_timit(tmp_path / "T")
    import shutil

    shutil.rmtree(root / "TEST" / "DR3")
    with pytest.raises(DataError, match="DR3"):
        load_timit(root, "test")
    root2 = tmp_path / "T2"
    make_timit(root2, drop_txt=root2 / "TRAIN" / "DR1" / "MXYZ10" / "SI1000.WAV")
    with pytest.raises(DataError, match="without a .TXT transcript.*SI1000.WAV"):
        load_timit(root2, "train")
    with pytest.raises(DataError, match="unknown TIMIT split"):
        load_timit(root2, "dev")


def make_urbansound(root, rows):
    (root / "metadata").mkdir(parents=True)
    with open(root / "metadata" / "UrbanSound8K.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["slice_file_name", "fsID", "start", "end", "salience", "fold", "classID", "class"])
        for name, fold, cls, rate, subtype in rows:
            folder = root / "audio" / f"fold{fold}"
            folder.mkdir(parents=True, exist_ok=True)
            sf.write(folder / name, np.stack([tone(rate), tone(rate)], axis=1), rate, subtype=subtype)
            writer.writerow([name, name.split("-")[0], 0.0, 0.3, 1, fold, 9 if cls == "street_music" else 3, cls])
    return root


US_ROWS = [("100-9-0-0.wav", 1, "street_music", 44100, "PCM_16"),
           ("101-9-0-1.wav", 2, "street_music", 48000, "PCM_24"),
           ("102-3-0-0.wav", 1, "dog_bark", 22050, "FLOAT"),
           ("103-9-1-0.wav", 3, "street_music", 11025, "PCM_U8")]


def test_urbansound_filters_and_resamples_mixed_files(tmp_path):
    root = make_urbansound(tmp_path / "US8K", US_ROWS)
    street = load_urbansound(root)
    assert [i.path.name for i in street] == ["100-9-0-0.wav", "101-9-0-1.wav", "103-9-1-0.wav"]
    assert street[1].split == "fold2" and street[1].label == "street_music" and street[1].extra["classID"] == "9"
    assert len(load_urbansound(root, classes=None)) == 4
    assert [i.path.name for i in load_urbansound(root, folds=(1,))] == ["100-9-0-0.wav"]
    for item in street:  # every bit depth and rate comes out at the target rate, mono
        x = cache.load_cached(item.path, 22050, cache_dir=tmp_path / "cache")
        assert x.ndim == 1 and len(x) == pytest.approx(0.3 * 22050, abs=2)


def test_urbansound_errors(tmp_path):
    with pytest.raises(DataError, match="UrbanSound8K.csv"):
        load_urbansound(tmp_path)
    root = make_urbansound(tmp_path / "US", US_ROWS[:1])
    with pytest.raises(DataError, match="unknown UrbanSound8K class"):
        load_urbansound(root, classes=("street_musik",))
    (root / "audio" / "fold1" / "100-9-0-0.wav").unlink()
    with pytest.raises(DataError, match="missing, e.g.*100-9-0-0.wav"):
        load_urbansound(root)
    bad = tmp_path / "bad"
    (bad / "metadata").mkdir(parents=True)
    (bad / "metadata" / "UrbanSound8K.csv").write_text("slice_file_name,fold\nx.wav,1\n")
    with pytest.raises(DataError, match="missing column"):
        load_urbansound(bad)


def test_folder_loader(tmp_path):
    (tmp_path / "a").mkdir()
    sf.write(tmp_path / "a" / "one.wav", tone(8000), 8000)
    sf.write(tmp_path / "two.flac", tone(8000), 8000)
    (tmp_path / "notes.txt").write_text("not audio")
    items = load_folder(tmp_path)
    assert [i.path.name for i in items] == ["one.wav", "two.flac"] and items[0].label == "a"
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no audio files"):
        load_folder(tmp_path / "empty")
    with pytest.raises(DataError, match="no such folder"):
        load_folder(tmp_path / "missing")


def test_cache_decodes_once_and_follows_content(tmp_path, monkeypatch):
    path = tmp_path / "x.wav"
    sf.write(path, tone(44100), 44100)
    calls = []
    real_load = cache.io.load
    monkeypatch.setattr(cache.io, "load", lambda *a, **k: calls.append(a) or real_load(*a, **k))
    first = cache.load_cached(path, 16000, cache_dir=tmp_path / "c")
    again = cache.load_cached(path, 16000, cache_dir=tmp_path / "c")
    np.testing.assert_array_equal(first, again)
    assert len(calls) == 1
    cache.load_cached(path, 8000, cache_dir=tmp_path / "c")  # other parameters: a new entry
    sf.write(path, tone(44100, freq=880), 44100)  # other content: a new entry
    changed = cache.load_cached(path, 16000, cache_dir=tmp_path / "c")
    assert len(calls) == 3 and not np.allclose(changed, first)


def test_cache_passes_audio_errors_through(tmp_path):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"garbage")
    with pytest.raises(AudioError, match="bad.wav"):
        cache.load_cached(bad, 16000, cache_dir=tmp_path / "c")
    assert not any((tmp_path / "c").rglob("*.npy"))


def test_data_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GANSIG_DATA_DIR", str(tmp_path))
    assert cache.data_dir() == tmp_path
    monkeypatch.delenv("GANSIG_DATA_DIR")
    assert cache.data_dir().name == "gansig"


def test_segment_dataset_decodes_each_file_once(tmp_path, monkeypatch):
    from gansig.data import pipeline

    monkeypatch.setenv("GANSIG_DATA_DIR", str(tmp_path / "data"))
    paths = []
    for k in range(3):
        paths.append(tmp_path / f"{k}.wav")
        sf.write(paths[-1], tone(8000, seconds=1.0, freq=200 + 100 * k), 8000)
    calls = []
    real_load = cache.io.load
    monkeypatch.setattr(cache.io, "load", lambda *a, **k: calls.append(a) or real_load(*a, **k))
    ds = pipeline.segment_dataset(paths, 16000, 4000, batch_size=5, seed=1)
    epochs = [np.concatenate([b.numpy() for b in ds]) for _ in range(2)]
    assert epochs[0].shape == (12, 4000) and len(calls) == 3
    assert not np.array_equal(epochs[0], epochs[1])  # reshuffled, same windows
    np.testing.assert_allclose(np.sort(epochs[0].sum(axis=1)), np.sort(epochs[1].sum(axis=1)), rtol=1e-5)
    pipeline.segment_dataset(paths, 16000, 4000, batch_size=5)  # a new pipeline: the disk cache serves it
    assert len(calls) == 3
    padded = pipeline.audio_segments(paths[:1], 16000, 3000, pad_last=True)
    assert padded.shape == (6, 3000) and np.all(padded[-1, 1000:] == 0)
