"""UrbanSound8K: ``metadata/UrbanSound8K.csv`` and ``audio/fold1..fold10/*.wav``.

The same loader reads the embedded ``street-default`` corpus, written in this format.
"""

from __future__ import annotations

import csv
from pathlib import Path

from gansig.data.corpora.base import AudioItem
from gansig.errors import DataError

URBANSOUND_CLASSES = ("air_conditioner", "car_horn", "children_playing", "dog_bark", "drilling",
                      "engine_idling", "gun_shot", "jackhammer", "siren", "street_music")
COLUMNS = ("slice_file_name", "fsID", "start", "end", "salience", "fold", "classID", "class")


def load_urbansound(root: str | Path, classes: tuple[str, ...] | None = ("street_music",),
                    folds: tuple[int, ...] | None = None) -> list[AudioItem]:
    """Clips of the given classes and folds (all when None).

    Args:
        root: the folder holding ``metadata/`` and ``audio/``.
        classes: class names to keep (UrbanSound8K's names), or None for every class.
        folds: folds 1-10 to keep, or None for all.

    Returns:
        Items with ``label`` (the class), ``split`` (``"fold3"``) and ``extra`` holding the
        metadata row (fsID, start, end, salience, classID).

    Raises:
        DataError: missing or malformed metadata, an unknown class, or listed clips missing.
    """
    root = Path(root)
    meta = root / "metadata" / "UrbanSound8K.csv"
    if not meta.is_file():
        raise DataError(f"{root}: no metadata/UrbanSound8K.csv (not an UrbanSound8K copy?)")
    if classes is not None:
        unknown = sorted(set(classes) - set(URBANSOUND_CLASSES))
        if unknown:
            raise DataError(f"unknown UrbanSound8K class(es) {', '.join(unknown)}")
    with open(meta, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        absent = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if absent:
            raise DataError(f"{meta}: missing column(s) {', '.join(absent)}")
        rows = list(reader)
    items, missing = [], []
    for line, row in enumerate(rows, start=2):
        try:
            fold = int(row["fold"])
        except ValueError:
            raise DataError(f"{meta}:{line}: fold {row['fold']!r} is not a number") from None
        if (classes is not None and row["class"] not in classes) or (folds is not None and fold not in folds):
            continue
        path = root / "audio" / f"fold{fold}" / row["slice_file_name"]
        if not path.is_file():
            missing.append(path)
            continue
        extra = {k: row[k] for k in ("fsID", "start", "end", "salience", "classID")}
        items.append(AudioItem(path, split=f"fold{fold}", speaker=row["fsID"], label=row["class"],
                               real=row.get("real", "1") != "0", extra=extra))
    if missing:
        raise DataError(f"{len(missing)} clip(s) listed in {meta} are missing, e.g. {missing[0]}")
    if not items:
        raise DataError(f"{meta}: no clips of class(es) {classes} in fold(s) {folds}")
    return items
