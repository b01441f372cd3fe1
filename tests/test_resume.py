"""Kill and resume: a run interrupted in each phase (mid-epoch, after the last epoch while
BPGAN fits its context model, while scoring) and run again completes its table without
training any finished epoch twice; where resumption is exact (everything after training)
the numbers are those of an uninterrupted run (the golden smoke tables, within the
tolerances measured for float kernels: tests/helpers.py)."""

from __future__ import annotations

import json
from pathlib import Path

import keras
import pytest
from helpers import assert_same_numbers

from gansig.papers import load

GOLDEN = Path(__file__).parent / "golden"


class Interrupt(keras.callbacks.Callback):
    """Ctrl-C at a given training batch of a given epoch (0-based)."""

    def __init__(self, epoch: int, batch: int):
        super().__init__()
        self.at, self.epoch = (epoch, batch), -1

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            raise KeyboardInterrupt


class Count(keras.callbacks.Callback):
    """The epochs a fit begins."""

    begun: list[int] = []

    def on_epoch_begin(self, epoch, logs=None):
        Count.begun.append(epoch)


def _with(monkeypatch, module, extra):
    import gansig.training.callbacks as shared

    original = shared.standard_callbacks
    monkeypatch.setattr(module, "standard_callbacks", lambda *a, **k: original(*a, **k) + [extra])


def test_interrupted_mid_epoch_resumes_from_the_last_finished_epoch(tmp_path, monkeypatch, capsys):
    import gansig.papers.sinedenoise.train as train

    sine = load("sinedenoise")
    settings = dict(warmup_epochs=1, max_epochs=3, patience=5)
    _with(monkeypatch, train, Interrupt(epoch=1, batch=0))
    with pytest.raises(KeyboardInterrupt):
        sine.reproduce("smoke", out_dir=tmp_path / "run", verbose=0, **settings)
    assert not (tmp_path / "run" / "table.json").exists()  # nothing half-written
    Count.begun = []
    _with(monkeypatch, train, Count())
    table = sine.reproduce("smoke", out_dir=tmp_path / "run", verbose=0, **settings)
    assert Count.begun == [1, 2]  # epoch 0 finished before the interruption: not trained again
    assert "resuming the interrupted run" in capsys.readouterr().err
    assert table.get("Training", "schedule", "epochs run").measured == 3  # the history is whole
    saved = json.loads((tmp_path / "run" / "run.json").read_text())
    assert saved["paper"] == "sinedenoise"


@pytest.mark.slow
def test_interrupted_while_scoring_resumes_without_training_and_gives_the_same_table(tmp_path, monkeypatch):
    import gansig.papers.mimo5g.evaluate as evaluate

    mimo = load("mimo5g")
    original = evaluate.scores
    calls = []

    def interrupted(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(*args)

    monkeypatch.setattr(evaluate, "scores", interrupted)
    with pytest.raises(KeyboardInterrupt):
        mimo.reproduce("smoke", out_dir=tmp_path, verbose=0)
    monkeypatch.setattr(evaluate, "scores", original)
    Count.begun = []
    import gansig.papers.mimo5g.train as train

    _with(monkeypatch, train, Count())
    table = mimo.reproduce("smoke", out_dir=tmp_path, verbose=0)
    assert Count.begun == []  # the three trained networks were kept
    assert sum("trained by an earlier run" in note for note in table.notes) == 3
    assert_same_numbers(table, GOLDEN / "mimo5g_smoke.json")


@pytest.mark.slow
@pytest.mark.system_deps
def test_bpgan_interrupted_while_fitting_its_context_model_keeps_its_networks(tmp_path, monkeypatch, speech_corpus,
                                                                              capsys):
    import gansig.papers.bpgan.train as train

    bpgan = load("bpgan")
    original = train.build_codec

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(train, "build_codec", interrupted)
    with pytest.raises(KeyboardInterrupt):
        bpgan.reproduce("smoke", out_dir=tmp_path, verbose=0)
    monkeypatch.setattr(train, "build_codec", original)
    capsys.readouterr()
    table = bpgan.reproduce("smoke", out_dir=tmp_path, verbose=0)
    err = capsys.readouterr().err
    assert "networks: using the networks" in err and "training on" not in err
    assert_same_numbers(table, GOLDEN / "bpgan_smoke.json")
