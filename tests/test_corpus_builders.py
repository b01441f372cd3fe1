"""Reduced builds of the embedded corpora (needs the Debian packages: `make system-deps`)."""

import json

import numpy as np
import pytest
import soundfile as sf

from gansig.data.corpora import load_timit, load_urbansound, registry, speech
from gansig.data.corpora.manifest import is_current
from gansig.data.corpora.urbansound import URBANSOUND_CLASSES
from gansig.errors import DataError

pytestmark = pytest.mark.system_deps


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GANSIG_DATA_DIR", str(tmp_path))
    return tmp_path


def test_speech_default_is_speaker_disjoint_and_reads_as_timit(data_dir, capsys):
    root = registry.build("speech-default", seed=0, max_per_source=2)
    train, test = load_timit(root, "train"), load_timit(root, "test")
    assert {i.speaker for i in train}.isdisjoint({i.speaker for i in test})
    assert len({i.speaker for i in train} | {i.speaker for i in test}) >= 20
    assert any(i.real for i in test) and any(not i.real for i in test)
    x, rate = sf.read(train[0].path)
    assert rate == 16000 and x.ndim == 1
    assert 20 * np.log10(np.sqrt(np.mean(x**2))) == pytest.approx(speech.LEVEL_DBFS, abs=0.5)
    assert any(i.text for i in train if not i.real)
    manifest = json.loads((root / "manifest.json").read_text())
    assert set(manifest["sources"]) == set(speech.PACKAGES) and manifest["licences"]
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])
    before = (root / "manifest.json").stat().st_mtime_ns
    registry.build("speech-default", seed=0, max_per_source=2)  # identical parameters: a no-op
    assert (root / "manifest.json").stat().st_mtime_ns == before
    assert "up to date" in capsys.readouterr().err
    assert is_current(root, speech.corpus_params(0, 2), verify=True)
    assert "real" in registry.summary("speech-default") and "speakers/sources" in registry.summary("speech-default")


def test_film_default_is_a_clean_48k_recording(data_dir):
    root = registry.build("film-default", seed=0, max_per_source=3)
    assert sorted(p.name for p in root.glob("*.wav")) == ["clean.wav"]
    clean, rate = sf.read(root / "clean.wav")
    assert rate == 48000 and len(clean) == 3 * 48000 and 0.8 < np.abs(clean).max() <= 0.9
    spectrum = np.abs(np.fft.rfft(clean))
    assert spectrum[np.fft.rfftfreq(len(clean), 1 / rate) > 4000].sum() > 1e-3 * spectrum.sum()  # full band


def test_street_default_reads_as_urbansound(data_dir):
    root = registry.build("street-default", seed=0, max_per_source=12)
    items = load_urbansound(root)
    assert len(items) == 12 and {i.label for i in items} == {"street_music"}
    by_source = {}
    for item in items:  # slices of one music source never split across folds
        by_source.setdefault(item.speaker, set()).add(item.split)
    assert all(len(folds) == 1 for folds in by_source.values()) and "fold10" in {i.split for i in items}
    x, rate = sf.read(items[0].path)
    assert rate == 22050 and len(x) == 4 * 22050
    assert -40 < 20 * np.log10(np.sqrt(np.mean(x**2))) < -10


def test_street_default_has_ten_classes_marked_real_or_synthetic(data_dir):
    root = registry.build("street-default", seed=0, max_per_source=2)
    items = load_urbansound(root, classes=None)
    assert sorted({i.label for i in items}) == sorted(URBANSOUND_CLASSES) and len(items) == 20
    synthetic = {i.label for i in items if not i.real}
    assert synthetic == {"air_conditioner", "dog_bark", "gun_shot", "siren"}
    assert {i.split for i in items} == {"fold10", "fold9"}  # even a tiny build has the test fold
    text = registry.summary("street-default")
    assert "class siren" in text and "synthetic" in text and "openttd-opensfx: 'Jackhammer'" in text
    for item in items:
        x, _ = sf.read(item.path)
        assert np.abs(x).max() > 1e-3, item


def test_street_default_never_feeds_one_recording_to_training_and_test_folds(data_dir):
    import csv

    from gansig.data.corpora import street

    root = registry.build("street-default", seed=0, max_per_source=12)
    with open(root / "metadata" / "UrbanSound8K.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    test, training = set(), set()
    for row in rows:
        parts = row["sources"].split(";")
        assert len(parts) == 2  # a foreground (music, a recording's stretch or a synthesis) and an ambience stretch
        (test if row["fold"] == "10" else training).update(parts)
        stretches = [p for p in parts if p.endswith((":test", ":train"))]
        assert all(p.endswith(":test" if row["fold"] == "10" else ":train") for p in stretches), row
    assert test and training and not test & training
    recordings = {p.rsplit(":", 1)[0] for p in test | training if p.endswith((":test", ":train"))}
    assert any(r.startswith("jackhammer/") for r in recordings) and any(r.endswith(".wav") for r in recordings)
    rate, x = street.RATE, np.arange(4 * street.RATE, dtype=np.float32)  # a recording that numbers its samples
    train_part, test_part = street.stretch(x, test=False), street.stretch(x, test=True)
    assert test_part[0] - train_part[-1] - 1 == int(street.GAP_S * rate)  # the gap, and no sample in both
    assert len(test_part) == len(x) - int(len(x) * (1 - street.TEST_SHARE)) and train_part[0] == 0
    short = np.zeros(int(street.MIN_SPLIT_S * rate) - 1, np.float32)
    assert street.stretch(short, test=True) is None and len(street.stretch(short, test=False)) == len(short)
    assert street.stretch(short, test=False, whole_to_test=True) is None
    assert street.whole_to_test([short, x, short]) == [False, False, True]  # the last short one, whole
    assert street.whole_to_test([short]) == [False] and street.whole_to_test([x, x]) == [False, False]


def test_unknown_and_unbuilt_corpora(data_dir):
    with pytest.raises(DataError, match="unknown corpus"):
        registry.corpus_dir("speech")
    with pytest.raises(DataError, match="not built"):
        registry.summary("street-default")


def test_film_restore_credits_its_sources_and_never_holds_the_scored_music(data_dir):
    from gansig.data.corpora import film, film_restore

    root = registry.build("film-restore", seed=0, max_per_source=1)
    manifest = json.loads((root / "manifest.json").read_text())
    assert set(manifest["sources"]) == set(film_restore.PACKAGES) and len(manifest["licences"]) >= 5
    files = manifest["files"]
    assert sorted(f["label"] for f in files) == ["dialogue", "music", "speech"]
    for f in files:
        x, rate = sf.read(root / f["path"])
        assert rate == 48000 and len(x) == 8 * 48000 and 0.8 < np.abs(x).max() <= 0.9, f
        assert f["real"] and f["source"] and f["speaker"]
        assert film.score_track(0).stem not in f["speaker"] and "wesnoth" not in f["speaker"] + f["source"]
    assert manifest["params"]["excluded"] == film.score_track(0).name
