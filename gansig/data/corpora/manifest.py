"""Manifests of built corpora: what went in (Debian packages, licences), what came out
(every file with its sha256 and duration), and whether a rebuild is needed."""

from __future__ import annotations

import csv
import io as _io
import json
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from gansig.data.cache import file_digest
from gansig.errors import DataError
from gansig.fileio import write_text


@dataclass(frozen=True)
class Entry:
    """One output file of a corpus (``path`` relative to the corpus folder)."""

    path: str
    split: str
    speaker: str
    real: bool
    source: str
    duration_s: float
    text: str = ""
    label: str = ""
    sha256: str = ""


def package_version(name: str) -> str:
    """The installed Debian version of a package, or "not installed"."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "not installed"


def require_packages(names: tuple[str, ...], corpus: str) -> dict[str, str]:
    """Versions of the Debian packages a corpus is built from.

    Raises:
        DataError: some are missing (names them and says how to install them).
    """
    versions = {n: package_version(n) for n in names}
    missing = [n for n, v in versions.items() if v == "not installed"]
    if missing:
        raise DataError(f"building {corpus} needs Debian package(s) {', '.join(missing)}; "
                        f"run `make system-deps` (or apt-get install them)")
    return versions


def write_manifest(root: Path, name: str, params: dict, sources: dict, licences: list[str],
                   entries: list[Entry]) -> Path:
    """Hash every output, then write ``metadata.csv`` and ``manifest.json`` (last, atomically:
    a corpus without its manifest counts as unbuilt)."""
    hashed = [Entry(**{**asdict(e), "sha256": file_digest(root / e.path)}) for e in entries]
    buf = _io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(asdict(hashed[0])))
    writer.writeheader()
    writer.writerows(asdict(e) for e in hashed)
    write_text(root / "metadata.csv", buf.getvalue())
    manifest = {"corpus": name, "params": params, "sources": sources, "licences": licences,
                "files": [asdict(e) for e in hashed]}
    return write_text(root / "manifest.json", json.dumps(manifest, indent=1))


def read_manifest(root: Path) -> dict:
    """The manifest of a built corpus.

    Raises:
        DataError: not built (no manifest) or unreadable.
    """
    path = root / "manifest.json"
    if not path.is_file():
        raise DataError(f"{root}: not built (no manifest.json); run `python -m gansig.data build {root.name}`")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DataError(f"{path}: unreadable manifest ({exc})") from None


def is_current(root: Path, params: dict, *, verify: bool = False) -> bool:
    """Whether ``root`` holds a complete build with these parameters (a rebuild would be a
    no-op). ``verify`` also re-hashes every file."""
    try:
        manifest = read_manifest(root)
    except DataError:
        return False
    if manifest.get("params") != params:
        return False
    for f in manifest["files"]:
        path = root / f["path"]
        if not path.is_file() or (verify and file_digest(path) != f["sha256"]):
            return False
    return True
