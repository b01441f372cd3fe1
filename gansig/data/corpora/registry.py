"""The embedded default corpora: build them into ``GANSIG_DATA_DIR/corpora/NAME`` and
summarise them."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from gansig.data.cache import data_dir
from gansig.data.corpora import film, film_restore, speech, street
from gansig.data.corpora.manifest import is_current, read_manifest
from gansig.errors import DataError

CORPORA: dict[str, ModuleType] = {speech.NAME: speech, film.NAME: film, film_restore.NAME: film_restore,
                                   street.NAME: street}


def corpus_dir(name: str) -> Path:
    """Where a corpus lives: ``GANSIG_DATA_DIR/corpora/NAME``.

    Raises:
        DataError: unknown corpus.
    """
    if name not in CORPORA:
        raise DataError(f"unknown corpus {name!r}; choose one of {', '.join(CORPORA)}")
    return data_dir() / "corpora" / name


def build(name: str, seed: int = 0, max_per_source: int | None = None, root: Path | None = None) -> Path:
    """Build a corpus unless an identical build is already there (then a no-op).

    Returns:
        The corpus folder.
    """
    root = root or corpus_dir(name)
    module = CORPORA[name]
    if is_current(root, module.corpus_params(seed, max_per_source)):
        print(f"{name}: up to date in {root}", file=sys.stderr)
        return root
    module.build_corpus(root, seed, max_per_source)
    return root


def summary(name: str, root: Path | None = None) -> str:
    """Hours, speakers, splits and the real/synthetic share of a built corpus, as text."""
    root = root or corpus_dir(name)
    files = read_manifest(root)["files"]
    lines = [f"{name} in {root}: {len(files)} files, {sum(f['duration_s'] for f in files) / 3600:.2f} h"]
    for split in sorted({f["split"] for f in files}):
        part = [f for f in files if f["split"] == split]
        real = sum(f["duration_s"] for f in part if f["real"])
        total = sum(f["duration_s"] for f in part)
        lines.append(f"  {split:6s} {len(part):6d} files {total / 3600:6.2f} h  {len({f['speaker'] for f in part}):3d} "
                     f"speakers/sources  real {100 * real / max(total, 1e-9):5.1f}%")
    origins = getattr(CORPORA[name], "CLASS_ORIGINS", {})
    for label in sorted({f.get("label", "") for f in files} - {""}):
        part = [f for f in files if f.get("label") == label]
        kind = "real" if all(f["real"] for f in part) else "synthetic" if not any(f["real"] for f in part) else "mixed"
        lines.append(f"  class {label:17s} {len(part):4d} clips  {kind:9s} {origins.get(label, '')}")
    by_source = Counter()
    for f in files:
        by_source[f["source"].split(" + ")[0]] += f["duration_s"]
    top = by_source.most_common(8)
    more = f" and {len(by_source) - len(top)} more" if len(by_source) > len(top) else ""
    lines.append("  by source: " + ", ".join(f"{s} {d / 3600:.2f} h" for s, d in top) + more)
    return "\n".join(lines)
