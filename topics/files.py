"""Files written whole, and the rules every output path obeys, checked before any work starts.

:func:`atomic_file` (and :func:`atomic_write_bytes`, :func:`atomic_write_text`) is the one way
the library writes a file; :func:`manifest_path` names the manifest beside each output.

A command never destroys a file the user owns. :class:`~topics.outputs.Outputs` applies these
rules to every output it is given; :func:`atomic_file` applies the special-file rule too. An
output is refused when it is

1. **an input of the same run** — the same file (by path or by inode: a hard link or a second
   name counts), a folder output that holds an input, or a path inside an input folder (the
   next run would read it as an input);
2. **a special file** — a device, a FIFO or a socket (also through a symbolic link): writing a
   regular file in its place would replace the device node;
3. **recorded by another output's manifest** — an existing manifest (``*.manifest.json`` or a
   folder's ``manifest.json``), or a file a manifest in its folder or above it lists among its
   outputs, unless that manifest is the one this run rewrites;
4. **a folder that holds files this command did not write** — a folder output replaces an
   existing folder only when the folder's ``manifest.json`` says it is an earlier output of the
   same kind *and* every file in it is one that manifest lists (notes, dotfiles and subfolders of
   your own keep the folder from being replaced).

Each refusal is one :class:`~topics.errors.UnsafeOutputError` naming the path, why, and what to
do; the command line prints it as one line and exits with status 2.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import UnsafeOutputError

__all__ = [
    "OutputTarget",
    "atomic_file",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_folder_target",
    "check_not_special",
    "foreign_files",
    "manifest_of",
    "manifest_path",
]

#: The largest manifest read when looking for who records a path (a dataset's lists chunks).
_MANIFEST_BYTES = 64 << 20
_SPECIAL = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def _special_kind(mode: int) -> str | None:
    return next((what for test, what in _SPECIAL if test(mode)), None)


def check_not_special(path: Path) -> None:
    """Refuse a path that is (or links to) a device, a FIFO or a socket."""
    for follow in (False, True):
        try:
            mode = os.stat(path, follow_symlinks=follow).st_mode
        except OSError:
            continue  # missing, or unreadable: the write itself will report it
        what = _special_kind(mode)
        if what is not None:
            link = "" if not follow or not path.is_symlink() else " (through a symbolic link)"
            raise UnsafeOutputError(
                f"{path} is {what}{link}; writing there would replace it — give the name of a "
                "regular file or folder"
            )


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _absolute(path: Path) -> Path:
    """Return the path made absolute, ``..`` resolved and links in its folders followed."""
    try:
        return path.parent.resolve() / path.name if path.name not in ("", ".", "..") else path
    except OSError:  # pragma: no cover - a loop in the parents
        return Path(os.path.abspath(path))


class OutputTarget:
    """The rules of one run: its outputs checked against its inputs and against each other.

    Parameters
    ----------
    inputs
        The files and folders the run reads (missing ones are ignored: their reader reports
        them).

    """

    def __init__(self, inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
        paths = [Path(given) for given in inputs]
        self._inputs = [(_absolute(path), _identity(path), path.is_dir()) for path in paths]
        self._declared: set[Path] = set()
        self._manifests: set[Path] = set()

    def check_file(self, target: Path, main: Path | None = None) -> None:
        """Every rule for a file output ``target`` that belongs to the output ``main``.

        ``main`` (default: ``target`` itself) is the output whose manifest records the file:
        a trends CSV for the shares beside it.
        """
        main = target if main is None else main
        owner = _absolute(manifest_of(main))
        where = _absolute(target)
        check_not_special(target)
        self._check_input(target, folder=False)
        if where in self._declared:
            raise UnsafeOutputError(f"{target} is named twice among the outputs of this run")
        if where in self._manifests:
            raise UnsafeOutputError(
                f"{target} is where this run writes a manifest; give the output another name"
            )
        if owner in self._declared:
            raise UnsafeOutputError(
                f"{owner} is both an output and the manifest of {main.name}; give one of them "
                "another name"
            )
        self._declared.add(where)
        self._manifests.add(owner)
        if _read_manifest(target) is not None:
            raise UnsafeOutputError(
                f"{target} is the manifest of another output; writing there would break that "
                "output's record — choose another name"
            )
        for manifest, listed in _manifests_recording(where):
            if manifest not in self._manifests:
                raise UnsafeOutputError(
                    f"{target} is part of another output ({manifest} records it as {listed}); "
                    "writing there would break that record — choose another name"
                )
        if target == main:
            check_not_special(owner)
            self._check_input(owner, folder=False)
            found = _read_manifest(owner)
            artefact = None if found is None else found.get("artefact")
            if artefact not in (None, main.name):
                raise UnsafeOutputError(
                    f"{owner} already describes {artefact}, another output; give {main.name} a "
                    "name that differs in more than its last suffix"
                )

    def check_folder(self, target: Path, kind: str) -> None:
        """Every rule for a folder output of ``kind``."""
        check_not_special(target)
        self._check_input(target, folder=True)
        where = _absolute(target)
        if where in self._declared:
            raise UnsafeOutputError(f"{target} is named twice among the outputs of this run")
        self._declared.add(where)
        self._manifests.add(where / "manifest.json")
        check_folder_target(target, kind)

    def _check_input(self, target: Path, *, folder: bool) -> None:
        """Rule 1: not an input, not a folder holding one, not inside an input folder."""
        where = _absolute(target)
        ident = _identity(target)
        for path, identity, is_dir in self._inputs:
            if where == path or (ident is not None and ident == identity):
                what = "folder" if is_dir else "file"
                raise UnsafeOutputError(
                    f"{target} is an input of this run (the {what} {path}); writing the output "
                    "there would destroy it — give the output another name"
                )
            if folder and _inside(path, where):
                raise UnsafeOutputError(
                    f"{target} holds the input {path}; replacing the folder would destroy it — "
                    "choose another output folder"
                )
            if is_dir and _inside(where, path):
                raise UnsafeOutputError(
                    f"{target} is inside the input folder {path}: the next run would read it as "
                    "an input — write outside the folders you read"
                )


def manifest_of(main: Path) -> Path:
    """Return the manifest of the file output ``main`` (:func:`manifest_path`)."""
    return manifest_path(main, folder=False)


def check_folder_target(target: Path, kind: str) -> None:
    """Rule 4: an existing folder is replaced only when it is wholly an earlier ``kind`` output."""
    if not target.is_dir() or not any(target.iterdir()):
        return
    manifest = _read_manifest(target / "manifest.json")
    if manifest is None or manifest.get("kind") != kind:
        raise UnsafeOutputError(
            f"{target} exists and is not an earlier {kind} output (no manifest.json of kind "
            f"{kind!r}); choose a new or empty folder"
        )
    foreign = foreign_files(target, manifest)
    if foreign:
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        shown = ", ".join(foreign[:3]) + more
        raise UnsafeOutputError(
            f"{target} holds files this command did not write ({shown}); move them out or "
            "choose another output folder — it is only replaced when it holds nothing else"
        )


def foreign_files(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Return the files in ``folder`` (relative, sorted) that its manifest does not list."""
    listed = {"manifest.json", *_listed(manifest)}
    return sorted(name for name in _walk(folder) if name not in listed)


def _walk(folder: Path) -> Iterator[str]:
    """Every non-folder entry under ``folder`` (dotfiles and links included), relative."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        base = Path(root).relative_to(folder)
        for name in files:
            yield (base / name).as_posix()
        for name in dirs:
            if (Path(root) / name).is_symlink():
                yield (base / name).as_posix()


def _listed(manifest: dict[str, Any]) -> list[str]:
    entries = manifest.get("outputs", manifest.get("files", []))
    if not isinstance(entries, list):
        return []
    return [str(e["path"]) for e in entries if isinstance(e, dict) and "path" in e]


def _read_manifest(path: Path) -> dict[str, Any] | None:
    """Return the topics manifest at ``path`` (a JSON object with ``kind``), else None."""
    if not path.name.endswith("manifest.json"):
        return None
    try:
        if not path.is_file() or path.stat().st_size > _MANIFEST_BYTES:
            return None
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return found if isinstance(found, dict) and "kind" in found else None


def _manifests_recording(where: Path) -> Iterator[tuple[Path, str]]:
    """Yield ``(manifest, listed name)`` for each manifest that lists ``where`` as an output.

    ``where`` is absolute; manifests are looked for in its folder and every folder above it.
    """
    text = str(where)
    for folder in where.parents:
        try:
            names = [e.name for e in os.scandir(folder) if e.name.endswith("manifest.json")]
        except OSError:
            continue
        for name in sorted(names):
            manifest = folder / name
            found = _read_manifest(manifest)
            if found is None:
                continue
            for listed in _listed(found):
                if os.path.normpath(os.path.join(folder, listed)) == text:
                    yield manifest, listed


# -- writing a file whole -------------------------------------------------------------------------
def manifest_path(artefact: str | os.PathLike[str], *, folder: bool | None = None) -> Path:
    """Return the manifest path of an output.

    A folder's manifest is ``FOLDER/manifest.json``; a file's is its name without the last
    suffix plus ``.manifest.json`` (``corpus.parquet`` → ``corpus.manifest.json``,
    ``trends.week.csv`` → ``trends.week.manifest.json``). ``folder`` says which it is when the
    output does not exist yet.
    """
    path = Path(artefact)
    if path.is_dir() if folder is None else folder:
        return path / "manifest.json"
    name = path.name
    stem = name[: name.rindex(".")] if "." in name.lstrip(".") else name
    return path.with_name(f"{stem}.manifest.json")


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes | memoryview) -> None:
    """Write bytes to ``path`` so that readers never see half a file (see :func:`atomic_file`)."""
    with atomic_file(path) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Open a binary file that appears at ``path`` only when the block completes.

    On Linux the bytes go to an unnamed file (``O_TMPFILE``) that only gets a name when it is
    complete, so a run killed while writing leaves nothing behind; elsewhere a temporary sibling
    is written and renamed. An exception inside the block leaves ``path`` as it was. The file
    gets ordinary permissions (0o666 minus the umask). Writers stream into the file, so the
    whole file is never held in memory; they must not close the handle. A ``path`` that is a
    device, a FIFO or a socket is refused (:class:`~topics.errors.UnsafeOutputError`).
    """
    target = Path(path)
    check_not_special(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
    try:
        fd = _unnamed(target.parent)
        if fd is None:
            with open(tmp, "wb") as handle:
                yield handle
            os.chmod(tmp, 0o666 & ~_umask())
        else:
            try:
                opened = os.fdopen(fd, "w+b")
            except BaseException:
                os.close(fd)
                raise
            with opened as handle:
                yield handle
                handle.flush()
                _give_name(handle, target.parent, tmp.name)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _unnamed(folder: Path) -> int | None:
    """Open an unnamed file in ``folder`` for reading and writing; None where unsupported."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        return None
    try:
        return os.open(folder, flag | os.O_RDWR, 0o666)
    except OSError:
        return None


def _give_name(handle: IO[bytes], folder: Path, name: str) -> None:
    """Name a finished unnamed file (``linkat``); without ``/proc``, copy it to ``name``."""
    where = os.open(folder, os.O_RDONLY)
    try:  # linkat(AT_SYMLINK_FOLLOW) gives the finished file its (temporary) name
        os.link(f"/proc/self/fd/{handle.fileno()}", name, dst_dir_fd=where, follow_symlinks=True)
        return
    except FileNotFoundError:  # no /proc: stream the bytes into a named temporary
        pass
    finally:
        os.close(where)
    handle.seek(0)
    with open(folder / name, "wb") as copy:
        shutil.copyfileobj(handle, copy, 1 << 20)
    os.chmod(folder / name, 0o666 & ~_umask())


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))
