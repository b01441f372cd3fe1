"""Callbacks the papers' training schedules need, on top of Keras's own."""

from __future__ import annotations

import sys
from pathlib import Path

import keras


class StepDecay(keras.callbacks.Callback):
    """Multiply the learning rate of the model's optimizers by ``factor`` every ``every`` epochs.

    Works on plain models (``model.optimizer``) and on :class:`AdversarialModel`
    (``g_optimizer`` and ``d_optimizer``), like PyTorch's ``StepLR``.
    """

    def __init__(self, every: int, factor: float = 0.5):
        super().__init__()
        self.every, self.factor = every, factor
        self._initial: dict[int, float] = {}

    def _optimizers(self):
        found = [getattr(self.model, n, None) for n in ("g_optimizer", "d_optimizer")]
        found = [o for o in found if o is not None]
        return found or [self.model.optimizer]

    def on_epoch_begin(self, epoch, logs=None):
        for opt in self._optimizers():
            initial = self._initial.setdefault(id(opt), float(keras.ops.convert_to_numpy(opt.learning_rate)))
            opt.learning_rate.assign(initial * self.factor ** (epoch // self.every))


def standard_callbacks(work_dir: str | Path | None = None, *, monitor: str | None = None,
                       patience: int | None = None, start_from_epoch: int = 0,
                       tensorboard: bool = False) -> list[keras.callbacks.Callback]:
    """The callbacks every reproduction uses.

    Args:
        work_dir: where ``BackupAndRestore`` keeps its state (a killed run resumes from
            its last epoch) and TensorBoard its logs; None for neither. Give each distinct
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
    callbacks: list[keras.callbacks.Callback] = [keras.callbacks.TerminateOnNaN()]
    if work_dir is not None:
        backup = Path(work_dir) / "backup"
        if backup.exists():
            print(f"resuming the interrupted run saved in {backup}", file=sys.stderr)
        callbacks.append(keras.callbacks.BackupAndRestore(str(backup)))
        if tensorboard:
            callbacks.append(keras.callbacks.TensorBoard(str(Path(work_dir) / "tensorboard")))
    if monitor is not None and patience is not None:
        callbacks.append(keras.callbacks.EarlyStopping(monitor=monitor, patience=patience, mode="min",
                                                       restore_best_weights=True, start_from_epoch=start_from_epoch))
    return callbacks
