"""Safe file output: checked before any work, written atomically, never over the user's input.

The rules every writer in gansig follows (:func:`check_output`, :func:`atomic_path`):

- an output that is one of the command's inputs (the same file, also through a link) is
  refused before any work;
- an existing file is never written over unless the user says so (``force``, the
  commands' ``--force``/``-f``), as ``ffmpeg`` without ``-y`` and ``cp -n`` behave;
- a name longer than the file system takes is refused before any work, naming it;
- an existing output that is not a regular file (a folder, a device such as /dev/null, a
  FIFO) is refused: gansig never replaces it;
- an output that is a symbolic link is written through: its target is replaced, the link
  stays (as ``cp`` and ``sox`` do), under the same rules;
- the output's folder is made if needed, and must be writable;
- a file is written to a temporary file beside it and renamed into place, so a failure
  never leaves a half-written result or clobbers a good one; a new file gets the usual
  mode (0666 less the umask), an overwritten one keeps its own.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from gansig.errors import ModelError, OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_name(path: str | os.PathLike) -> None:
    """Refuse a path whose name, or one of whose folders' names, is longer than the file
    system takes (``File name too long`` later, in the middle of the work).

    Raises:
        OutputError: naming the path, the name's length and the limit.
    """
    path = Path(path)
    folder = Path(path.absolute().anchor)
    for parent in reversed(path.absolute().parents):  # the deepest folder there is (a long name is not looked up)
        try:
            if not parent.is_dir():
                break
        except OSError:
            break
        folder = parent
    try:
        name_max, path_max = os.pathconf(folder, "PC_NAME_MAX"), os.pathconf(folder, "PC_PATH_MAX")
    except (OSError, ValueError):
        name_max, path_max = 255, 4096
    for part in path.parts:
        if len(os.fsencode(part)) > name_max:
            raise OutputError(f"{str(path)[:60]}...: a name of {len(os.fsencode(part))} bytes; this file system "
                              f"takes at most {name_max}")
    if len(os.fsencode(str(path.absolute()))) >= path_max:
        raise OutputError(f"{str(path)[:60]}...: a path of {len(os.fsencode(str(path.absolute())))} bytes; this "
                          f"system takes at most {path_max - 1}")


def check_output(path: str | os.PathLike, *, inputs: Iterable[str | os.PathLike] = (),
                 suffixes: Iterable[str] | None = None, force: bool = False) -> Path:
    """Check, before any work, that ``path`` may be written.

    Args:
        path: the output the user named.
        inputs: the command's input files; the output must not be one of them.
        suffixes: the suffixes the output may have (lower case, with the dot), or None.
        force: an existing file may be written over (the commands' ``--force``).

    Returns:
        The path where the bytes will go (a symbolic link's target).

    Raises:
        OutputError: naming ``path`` and the problem.
    """
    path = Path(path)
    check_name(path)
    target = Path(os.path.realpath(path))
    if suffixes is not None:
        allowed = tuple(suffixes)
        if path.suffix.lower() not in allowed:
            raise OutputError(f"{path}: the output must end in {' or '.join(allowed)}")
    if target.exists():
        mode = target.stat().st_mode
        if stat.S_ISDIR(mode):
            raise OutputError(f"{path}: is a folder; give a file name for the output")
        if not stat.S_ISREG(mode):
            raise OutputError(f"{path}: exists and is not a regular file (a device or a pipe); gansig does not "
                              "write over it")
    for source in inputs:
        source = Path(source)
        same = source.exists() and target.exists() and os.path.samefile(source, target)
        if same or Path(os.path.realpath(source)) == target:
            raise OutputError(f"{path}: is the input {source}; write the output to another file")
    if target.exists() and not force:
        raise OutputError(f"{path}: exists; add --force to write over it (nothing was written)")
    folder = next(p for p in (target.parent, *target.parent.parents) if p.exists())
    if not folder.is_dir():
        raise OutputError(f"{path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot write in {folder} (permission denied)")
    return target


def check_output_dir(path: str | os.PathLike) -> Path:
    """Check, before any work, that files may be written into the folder ``path`` (made
    when missing).

    Raises:
        OutputError: ``path`` is a file, or its nearest existing folder cannot be written.
    """
    path = Path(path)
    check_name(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: exists and is not a folder; give a folder for the outputs")
    folder = next(p for p in (path, *path.absolute().parents) if p.exists())
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot write there ({folder} is not a writable folder)")
    return path


def input_problem(path: str | os.PathLike) -> str | None:
    """What keeps ``path`` from being read as an input file (None: nothing): missing, a
    folder, or not a regular file (a pipe or device, which reading could block on)."""
    path = Path(path)
    if not path.exists():
        return "no such file"
    if path.is_dir():
        return "is a folder, not a file"
    if not path.is_file():
        return "is not a regular file"
    if not os.access(path, os.R_OK):
        return "cannot be read (permission denied)"
    return None


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``'s target; rename it onto the target on success.

    The temporary file keeps the suffix so writers that infer a format from the name
    (soundfile, Keras) still work. On any exception it is removed and the target is left
    untouched. The rules of the module docstring apply (:func:`check_output`), but for the
    one on existing files: a command checks its user's outputs (``force``) before its work
    starts, and the suite's own files (results, caches) are rewritten.

    Raises:
        OutputError: the output cannot be written there (an OS error while writing, such as
            a full device, is reported so, naming the output).
    """
    target = check_output(path, force=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem[:40]}.", suffix=target.suffix[:16], dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write there ({exc.strerror or exc})") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask()
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, target)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise OutputError(f"{path}: no space left on the device holding {target.parent}; nothing was "
                              "written") from None
        raise OutputError(f"{path}: cannot write there ({exc.strerror or exc})") from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


LAYER_MODULES = ("gansig.layers", "gansig.papers.bpgan.models", "gansig.papers.film.restorer_net")  # custom layers


def load_model(path: str | os.PathLike):
    """``keras.models.load_model``, with gansig's own layers registered first (their
    modules, :data:`LAYER_MODULES`, may not have been imported by the command that loads
    the model).

    Raises:
        ModelError: no such file, or a ``.keras`` file that is not a Keras archive (Keras
            itself says "File not found" for both).
    """
    import importlib
    import zipfile

    import keras

    for module in LAYER_MODULES:
        importlib.import_module(module)  # registers its layers

    problem = input_problem(path)
    if problem:
        raise ModelError(f"{path}: {problem}")
    if Path(path).suffix == ".keras" and not zipfile.is_zipfile(path):
        raise ModelError(f"{path}: not a Keras model file (a .keras file is a zip archive; this one is not)")
    return keras.models.load_model(path)


def save_model(model, path: str | os.PathLike) -> Path:
    """Save a Keras model (format from the suffix, e.g. ``.keras``) atomically."""
    with atomic_path(path) as tmp:
        model.save(tmp)
    return Path(path)


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)
