"""Callbacks the papers' training schedules need, on top of Keras's own."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import keras

from gansig.fileio import save_model, write_text
from gansig.training import quiet


class _LearningRateSchedule(keras.callbacks.Callback):
    """Set the learning rate of the model's optimizers to its initial value times
    :meth:`factor` at the start of every epoch.

    Works on plain models (``model.optimizer``) and on :class:`AdversarialModel`
    (``g_optimizer`` and ``d_optimizer``). The initial rates are read when the callback
    meets the model, before ``BackupAndRestore`` can restore a decayed one.
    """

    def __init__(self):
        super().__init__()
        self._initial: list[tuple[keras.optimizers.Optimizer, float]] = []

    def set_model(self, model):
        super().set_model(model)
        found = [getattr(model, n, None) for n in ("g_optimizer", "d_optimizer")]
        found = [o for o in found if o is not None] or [model.optimizer]
        self._initial = [(o, float(keras.ops.convert_to_numpy(o.learning_rate))) for o in found]

    def factor(self, epoch: int) -> float:
        raise NotImplementedError

    def on_epoch_begin(self, epoch, logs=None):
        for opt, initial in self._initial:
            opt.learning_rate.assign(initial * self.factor(epoch))


class StepDecay(_LearningRateSchedule):
    """Multiply the learning rate by ``factor`` every ``every`` epochs (PyTorch's ``StepLR``)."""

    def __init__(self, every: int, factor: float = 0.5):
        super().__init__()
        self.every, self.step_factor = every, factor

    def factor(self, epoch: int) -> float:
        return self.step_factor ** (epoch // self.every)


class LinearDecay(_LearningRateSchedule):
    """Keep the learning rate for the first ``epochs - decay_epochs`` epochs, then lower it
    by ``1 / decay_epochs`` of its initial value each epoch, as pix2pixHD's ``niter`` /
    ``niter_decay`` schedule does (the last epoch runs at ``1 / decay_epochs`` of it)."""

    def __init__(self, epochs: int, decay_epochs: int):
        super().__init__()
        if not 0 <= decay_epochs <= epochs:
            raise ValueError(f"decay_epochs must be in [0, epochs={epochs}], got {decay_epochs}")
        self.start, self.decay_epochs = epochs - decay_epochs, decay_epochs

    def factor(self, epoch: int) -> float:
        return 1.0 if epoch < self.start else 1.0 - (epoch - self.start) / self.decay_epochs


class RateSteps(keras.callbacks.Callback):
    """Set every optimizer's learning rate to ``rate`` from ``epoch`` on (``{epoch: rate}``,
    0-based), as a run continued at another rate does (the film thesis's Exp 5)."""

    def __init__(self, steps: dict[int, float]):
        super().__init__()
        self.steps = dict(sorted(steps.items()))

    def on_epoch_begin(self, epoch, logs=None):
        current = [rate for start, rate in self.steps.items() if start <= epoch]
        if current:
            for name in ("g_optimizer", "d_optimizer", "optimizer"):
                optimizer = getattr(self.model, name, None)
                if optimizer is not None:
                    optimizer.learning_rate.assign(current[-1])


class ResumableHistory(keras.callbacks.Callback):
    """Keep the per-epoch logs in ``path`` as training goes, and give ``fit``'s history the
    epochs of an interrupted run that ``BackupAndRestore`` resumed (Keras's own history
    holds only the epochs of this call)."""

    def __init__(self, path: str | Path):
        super().__init__()
        self.path = Path(path)
        self.epochs: dict[int, dict[str, float]] = {}

    def on_train_begin(self, logs=None):
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            self.epochs = {int(k): v for k, v in saved.items()}
        except (OSError, ValueError):
            self.epochs = {}

    def on_epoch_end(self, epoch, logs=None):
        self.epochs[epoch] = {k: float(v) for k, v in (logs or {}).items()}
        write_text(self.path, json.dumps(self.epochs))

    def on_train_end(self, logs=None):
        history = getattr(self.model, "history", None)
        if history is None or not self.epochs:
            return
        first = min(getattr(history, "epoch", []) or [len(self.epochs)])
        earlier = [self.epochs[e] for e in sorted(self.epochs) if e < first]
        if earlier:
            history.epoch = sorted(set(range(first)) | set(history.epoch))
            for key in set(history.history) | {k for e in earlier for k in e}:
                history.history[key] = [e.get(key) for e in earlier] + list(history.history.get(key, []))


def standard_callbacks(work_dir: str | Path | None = None, *, monitor: str | None = None,
                       patience: int | None = None, start_from_epoch: int = 0,
                       tensorboard: bool = False) -> list[keras.callbacks.Callback]:
    """The callbacks every reproduction uses.

    Args:
        work_dir: where ``BackupAndRestore`` keeps its state (a killed run resumes from
            its last epoch, and its history is kept whole: :class:`ResumableHistory`) and
            TensorBoard its logs; None for none of them. Give each distinct
            run its own directory (see :func:`gansig.profiles.fingerprint`): a run resumes
            whatever state it finds there.
        monitor: metric for early stopping (e.g. ``"val_g_content"``).
        patience: early-stopping patience in epochs (None = no early stopping).
        start_from_epoch: epochs before early stopping starts watching (e.g. a warm-up);
            the weights restored at the end are the best epoch's from then on.
        tensorboard: also write TensorBoard logs under ``work_dir/tensorboard``.

    Returns:
        A list of callbacks for ``fit``.
    """
    callbacks: list[keras.callbacks.Callback] = [quiet.WithoutRemapper(), keras.callbacks.TerminateOnNaN()]
    if work_dir is not None:
        backup = Path(work_dir) / "backup"
        if backup.exists():
            print(f"resuming the interrupted run saved in {backup}", file=sys.stderr)
        callbacks.append(keras.callbacks.BackupAndRestore(str(backup)))
        callbacks.append(ResumableHistory(Path(work_dir) / "history.json"))
        if tensorboard:
            callbacks.append(keras.callbacks.TensorBoard(str(Path(work_dir) / "tensorboard")))
    if monitor is not None and patience is not None:
        callbacks.append(keras.callbacks.EarlyStopping(monitor=monitor, patience=patience, mode="min",
                                                       restore_best_weights=True, start_from_epoch=start_from_epoch))
    return callbacks


class EpochCheckpoints(keras.callbacks.Callback):
    """Save networks at the end of given epochs (1-based, as papers count them) into
    ``folder/epoch_NNNNN/NAME.keras``: rows that are checkpoints along one training chain
    are then evaluated without retraining. A checkpoint already written is kept (a resumed
    run does not rewrite it).

    Args:
        folder: where the checkpoints go.
        epochs: the epochs to keep.
        networks: name -> the model attribute holding the network (default the generator).
    """

    def __init__(self, folder: str | Path, epochs, networks: dict[str, str] | None = None):
        super().__init__()
        self.folder, self.epochs = Path(folder), set(epochs)
        self.networks = networks or {"generator": "generator"}

    def path(self, epoch: int, name: str = "generator") -> Path:
        """Where the network ``name`` of ``epoch`` is saved."""
        return self.folder / f"epoch_{epoch:05d}" / f"{name}.keras"

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 in self.epochs:
            for name, attribute in self.networks.items():
                if not self.path(epoch + 1, name).is_file():
                    save_model(getattr(self.model, attribute), self.path(epoch + 1, name))
