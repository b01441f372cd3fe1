"""A results folder (``--out``): what a run may replace there, and one run in it at a time.

A run writes into ``OUT/.staging`` and swaps its files into ``OUT`` when it is over
(:func:`swap_in`). ``OUT/run.json`` records the paper, the run and the list of files the
run wrote. The rules, checked before any work (:func:`check`):

- a run replaces only the files that an earlier run **of the same paper** listed in
  ``run.json``; a folder holding anything else (the user's files, or no ``run.json``) or
  another paper's results is refused, naming what is in the way; nothing is ever deleted
  that gansig did not write;
- training state (``checkpoints/``), the staging area, other workers' folders and a
  multi-seed run's seeds (``seeds/N/``, each a run folder of its own) are the run's own and
  are kept;
- one run at a time: ``OUT/.lock`` names the process that holds the folder (:class:`Lock`);
  a second run is refused at once, and a lock left by a killed process is cleared.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import socket
import time
from pathlib import Path
from typing import Any

from gansig import interrupt
from gansig.errors import GansigError
from gansig.fileio import check_output_dir, write_text

STAGING = ".staging"
CHECKPOINTS = "checkpoints"
WORKERS = ".workers"
RUN_FILE = "run.json"
LOCK_FILE = ".lock"
_REPLACED = ".replaced"
SEEDS = "seeds"  # a multi-seed run's folder of each seed's run (gansig.seeds)
_OWN = (CHECKPOINTS, STAGING, _REPLACED, WORKERS, LOCK_FILE, SEEDS)  # the run's own, never results


def result_files(folder: Path) -> list[str]:
    """The files of a results folder (relative, '/'-separated), less the run's own state."""
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name in _OWN:
            continue
        if entry.is_dir() and not entry.is_symlink():
            found += [p.relative_to(folder).as_posix() for p in sorted(entry.rglob("*")) if not p.is_dir()]
        else:
            found.append(entry.name)
    return found


def run_record(folder: Path) -> dict[str, Any] | None:
    """``folder/run.json`` as a dict, or None when there is none or it cannot be read."""
    try:
        record = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def listing(names: list[str]) -> str:
    """The first three names and how many more, for a message."""
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def check(final: Path, paper: str) -> None:
    """Check, before any work, that a run of ``paper`` may put its results in ``final``.

    Raises:
        OutputError: ``final`` is not a writable folder.
        GansigError: ``final`` holds another paper's results, or files that no earlier run of
            ``paper`` wrote (named in the message).
    """
    check_output_dir(final)
    files = result_files(final)
    if not files:
        return
    record = run_record(final)
    if record is None:
        raise GansigError(f"{final}: holds files that are not a gansig run's results ({listing(files)}); "
                          "give --out a new or empty folder, or one an earlier run wrote")
    if record.get("paper") != paper:
        raise GansigError(f"{final}: holds the results of the {record.get('paper')!r} paper (run.json); a "
                          f"{paper} run does not replace them: give --out another folder")
    owned = record.get("files")
    if not isinstance(owned, list):
        raise GansigError(f"{final}: holds results of an older gansig that did not list its files; move them "
                          "away or give --out another folder")
    refuse_foreign(final, files, owned, f"{paper} run")


def refuse_foreign(folder: Path, present: list[str], owned: list[str], writer: str) -> None:
    """The rule of every folder gansig fills (a run's results, the report's site): it
    replaces only the files it listed as its own; anything else there stops it.

    Args:
        folder: the folder.
        present: the files in it (relative names).
        owned: the files its list names.
        writer: who wrote the list ("mimo5g run", "report"), for the message.

    Raises:
        GansigError: naming the files no ``writer`` wrote.
    """
    foreign = [f for f in present if f not in set(owned)]
    if foreign:
        raise GansigError(f"{folder}: holds files that no {writer} wrote ({listing(foreign)}); gansig replaces only "
                          "its own files: move them away or give --out another folder (nothing was written)")


def swap_in(final: Path, staging: Path, record: dict[str, Any]) -> None:
    """Write ``run.json`` (``record`` plus the list of files) into ``staging``, then replace the
    previous run's files in ``final`` by the staged ones; nothing else in ``final`` is touched.

    Raises:
        GansigError: a file the user put in ``final`` during the run is where a result goes
            (the results stay in ``staging``).
    """
    interrupt.check()  # a Ctrl-C swallowed while the results were written: keep the previous ones
    new = [f for f in result_files(staging) if f != RUN_FILE] + [RUN_FILE]
    write_text(staging / RUN_FILE, json.dumps({**record, "files": new}, indent=2))
    previous = run_record(final) or {}
    owned = set(previous.get("files", [])) if isinstance(previous.get("files"), list) else set()
    in_the_way = [f for f in new if f not in owned and (final / f).exists()]
    if in_the_way:
        raise GansigError(f"{final}: {listing(in_the_way)} appeared during the run where results go; nothing was "
                          f"replaced, this run's results are in {staging}")
    replaced = final / _REPLACED
    shutil.rmtree(replaced, ignore_errors=True)
    for name in sorted(owned):
        old = final / name
        if old.is_file() or old.is_symlink():
            (replaced / name).parent.mkdir(parents=True, exist_ok=True)
            old.rename(replaced / name)
    for name in new:
        (final / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).rename(final / name)
    shutil.rmtree(replaced, ignore_errors=True)
    for name in sorted(owned, key=lambda n: -n.count("/")):  # folders the old results alone filled
        parent = (final / name).parent
        while parent != final:
            with contextlib.suppress(OSError):
                parent.rmdir()
            parent = parent.parent
    shutil.rmtree(staging, ignore_errors=True)


class Lock:
    """``folder/.lock``: one run in a results folder at a time.

    The lock records the process (host, pid, start, what it runs). A lock whose process on
    this host is gone is stale and taken over; one held by this very process (an earlier
    call that failed in-process) too. Locks still held when the process exits are released
    (:func:`release_all`), and so is a folder the lock alone created.
    """

    held: dict[Path, Lock] = {}

    def __init__(self, folder: Path, what: str):
        self.path = folder / LOCK_FILE
        self.made = [p for p in (folder, *folder.absolute().parents) if not p.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        record = {"host": socket.gethostname(), "pid": os.getpid(), "what": what,
                  "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = _holder(self.path)
                if holder is not None:
                    self.release()
                    raise GansigError(
                        f"{folder}: another run is writing there ({holder.get('what')}, process {holder.get('pid')} "
                        f"on {holder.get('host')}, started {holder.get('started')}); wait for it or give --out "
                        f"another folder (if that run is gone, delete {self.path})") from None
                self.path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(record, f)
            Lock.held[self.path] = self
            return
        raise GansigError(f"{self.path}: cannot take the results folder's lock")

    def release(self) -> None:
        """Remove the lock (if this process holds it) and any folder it alone created."""
        if Lock.held.pop(self.path, None) is not None:
            self.path.unlink(missing_ok=True)
        for folder in self.made:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty

    @classmethod
    def release_all(cls) -> None:
        """Release every lock this process still holds (a run that failed or was interrupted)."""
        for lock in list(cls.held.values()):
            lock.release()


def _holder(path: Path) -> dict[str, Any] | None:
    """The live holder of a lock file (None: stale, unreadable, or this process)."""
    try:
        holder = json.loads(path.read_text(encoding="utf-8"))
        pid = int(holder["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        # Half-written by a run that is starting this instant, or junk: only junk is old.
        return None if time.time() - _mtime(path) > 10 else {"what": "a run starting", "pid": "?", "host": "?"}
    if holder.get("host") != socket.gethostname():
        return holder  # another machine's process: it cannot be checked from here
    if pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, another user's
    return holder


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


atexit.register(Lock.release_all)
