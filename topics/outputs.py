"""Outputs that commit whole: staged writes, one final move, a manifest per output.

Every command writes through :class:`Outputs`::

    with Outputs() as out:
        staged = out.file("build/trends.week.csv")    # checked now, written later
        ...                                            # the work
        frame.to_csv(staged)
        out.manifest("build/trends.week.csv", "trends", config=...)
    # here, and only here, the files replace the previous ones

Rules, in the order they act:

* **Staging.** Each output is first written to a hidden temporary sibling
  (``.NAME.topics-tmp-PID-RANDOM``); a folder output (``topics fit``, ``topics report``) is a
  whole temporary folder. Targets are checked when declared, before any work, by the output
  rules of :mod:`topics.files` — never an input of the run, a device, FIFO or socket, a
  path another output's manifest records, or a folder holding files the command did not write —
  and a file output that is an existing folder, a folder output that is a file and a folder that
  cannot be written are one-line errors too.
* **Commit.** When the ``with`` block ends without an error, the staged outputs are moved into
  place, data first and manifest last, while holding a lock (``flock``) on each target folder, so
  that two runs to one target commit one after the other and the last one wins whole. An
  existing output folder is swapped atomically (``renameat2(RENAME_EXCHANGE)``) and the old
  one removed.
* **Failure.** On an error the staged outputs are removed and the previous outputs are left as
  they were; an :class:`OSError` (a full disk, no permission) becomes one
  :class:`~topics.errors.PersistenceError` naming the output.
* **Killed runs.** A small watcher process started with the staging (:func:`_watch`) notices
  when the run dies (even by ``SIGKILL``): before the commit began it removes the temporaries;
  after, it finishes the moves, so the outputs are the complete new ones. Temporaries of dead
  runs are also removed by the next commit to the same folder.
* **Manifests.** One manifest per output: :func:`manifest_path` names it from the whole output
  name without its last suffix (``trends.week.csv`` → ``trends.week.manifest.json``; a folder's is
  ``FOLDER/manifest.json``) and records the SHA-256 of every file it describes, so an output can
  be checked against its manifest (:func:`verify_outputs`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Unpack

# Only the standard library at module level: the watcher (:func:`_start_watcher`) loads this
# file alone, without the package, so the package's own modules are imported where used (and
# for the type checker only, below).
if TYPE_CHECKING:
    from .manifest import ManifestFields

__all__ = ["Outputs", "verify_outputs"]

_TMP = ".topics-tmp-"


# -- moving, locking, cleaning: shared by a run and its watcher ---------------------------------
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); return False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            path.unlink()


def _rename(staged: Path, target: Path) -> None:
    """Move one staged output into place (an existing folder is swapped, then removed)."""
    if target.is_dir() and not target.is_symlink():
        if _exchange(staged, target):
            _remove(staged)  # now holds the previous folder
            return
        old = target.with_name(f".{target.name}{_TMP}old-{os.getpid()}-{secrets.token_hex(4)}")
        os.rename(target, old)
        os.rename(staged, target)
        _remove(old)
        return
    os.replace(staged, target)


def _finish(moves: list[tuple[str, str, int]]) -> None:
    """Complete a commit: move each staged output still waiting (by inode), in order."""
    for staged, target, inode in moves:
        s, t = Path(staged), Path(target)
        with contextlib.suppress(FileNotFoundError):
            if os.lstat(t).st_ino == inode:  # already moved; ``staged`` may hold the old folder
                _remove(s)
                continue
        with contextlib.suppress(FileNotFoundError):
            if os.lstat(s).st_ino == inode:
                _rename(s, t)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep(folder: Path, names: Iterable[str]) -> None:
    """Remove temporaries of dead runs left beside the given output names."""
    prefixes = tuple(f"{name.lstrip('.')}{_TMP}" for name in names)
    for path in folder.iterdir():
        bare = path.name.lstrip(".")
        if path.name.startswith(".") and bare.startswith(prefixes):
            owner = bare.rsplit(_TMP, 1)[1].removeprefix("old-").split("-", 1)[0]
            if owner.isdigit() and not _alive(int(owner)):
                _remove(path)


@contextlib.contextmanager
def _locked(folders: Iterable[Path]) -> Iterator[None]:
    """Hold an exclusive ``flock`` on each folder (in sorted order, so runs cannot deadlock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fds: list[int] = []
    try:
        for folder in sorted({Path(f).resolve() for f in folders}):
            fd = os.open(folder, os.O_RDONLY)
            fds.append(fd)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for fd in reversed(fds):
            os.close(fd)  # closing releases the lock


def _watch(stream: IO[str]) -> None:
    """Run the watcher: read a run's plan from ``stream``; when it ends, clean up or finish."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    staged: list[str] = []
    plan: dict[str, Any] | None = None
    for line in stream:
        message = json.loads(line)
        if "done" in message:
            return
        if "staged" in message:
            staged.append(message["staged"])
        if "commit" in message:
            plan = message
    folders = {str(Path(p).parent) for p in staged}
    with _locked(Path(f) for f in folders if Path(f).is_dir()):
        if plan is not None:
            _finish([(s, t, int(i)) for s, t, i in plan["commit"]])
        for path in map(Path, staged):
            _remove(path)
            for inner in path.parent.glob(f".{path.name}.*"):
                _remove(inner)


def _start_watcher() -> subprocess.Popen[str] | None:
    # This file alone, loaded without the package: only the standard library runs in the watcher.
    code = (
        "import importlib.util as u, sys; s = u.spec_from_file_location('_topics_watch', "
        "sys.argv[1]); m = u.module_from_spec(s); s.loader.exec_module(m); m._watch(sys.stdin)"
    )
    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", code, str(Path(__file__).resolve())],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
    except OSError:  # pragma: no cover - no subprocesses here; the next commit sweeps instead
        return None


def _persistence_error(exc: OSError, target: Path) -> Exception:

    from .errors import PersistenceError

    reason = exc.strerror or str(exc)
    hint = {
        errno.ENOSPC: "free some space or write elsewhere",
        errno.EDQUOT: "free some space or write elsewhere",
        errno.EACCES: "choose a folder you can write to",
        errno.EPERM: "choose a folder you can write to",
        errno.EROFS: "choose a writable folder",
    }.get(exc.errno or 0, "check the path")
    return PersistenceError(
        f"cannot write {target}: {reason}; the previous output is unchanged ({hint})"
    )


class Outputs:
    r"""Stage a command's outputs and move them into place together, or not at all.

    Use as a context manager; see the module docstring for the rules. :meth:`file` and
    :meth:`folder` declare an output and return where to write it now; :meth:`manifest`
    writes the manifest of an output, listing the SHA-256 of the files it describes.

    Parameters
    ----------
    inputs
        The files and folders the run reads: no output may be one of them, hold one, or lie
        inside an input folder (see :mod:`topics.files`).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with Outputs() as out:
    ...     _ = out.file(folder / "a.week.csv").write_text("x\n1\n")
    ...     _ = out.manifest(folder / "a.week.csv", "example", config={})
    >>> sorted(p.name for p in folder.iterdir())
    ['a.week.csv', 'a.week.manifest.json']
    >>> verify_outputs(folder / "a.week.manifest.json")
    []

    """

    def __init__(self, inputs: Iterable[str | os.PathLike[str]] = ()) -> None:

        from .files import OutputTarget

        self._rules = OutputTarget(inputs)
        self._moves: list[tuple[Path, Path]] = []
        self._manifests: list[tuple[Path, Path]] = []
        self._folders: dict[Path, Path] = {}
        self._token = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._watcher: subprocess.Popen[str] | None = None

    def __enter__(self) -> Outputs:
        self._watcher = _start_watcher()
        return self

    def _tell(self, message: Mapping[str, Any]) -> None:
        if self._watcher is not None and self._watcher.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                self._watcher.stdin.write(json.dumps(dict(message)) + "\n")
                self._watcher.stdin.flush()

    def _prepare(self, target: Path) -> Path:

        from .errors import PersistenceError

        if target.name in ("", ".", ".."):
            raise PersistenceError(f"{target} is not a file or folder name to write to")
        for parent in target.parents:
            if parent.exists() and not parent.is_dir():
                raise PersistenceError(f"cannot write {target}: {parent} is a file, not a folder")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _persistence_error(exc, target) from exc
        staged = target.with_name(f".{target.name}{_TMP}{self._token}")
        self._tell({"staged": str(staged)})
        return staged

    def _stage(self, path: Path, create: Callable[[Path], None]) -> Path:
        """Create the staged file or folder of output ``path`` (``create``) and plan its move."""
        staged = self._prepare(path)
        try:
            create(staged)
        except OSError as exc:
            raise _persistence_error(exc, path) from exc
        self._moves.append((staged, path))
        return staged

    def file(
        self, target: str | os.PathLike[str], *, part_of: str | os.PathLike[str] | None = None
    ) -> Path:
        """Declare a file output; return the temporary path to write it to.

        ``part_of`` names the output whose manifest records this file (a trends CSV for the
        shares beside it); by default the file is an output of its own. The output rules
        (:mod:`topics.files`) are checked here, before any work.
        """
        from .errors import PersistenceError

        path = Path(target)
        if path.is_dir() and not path.is_symlink():
            raise PersistenceError(f"{path} is a folder; give the name of a file to write")
        self._rules.check_file(path, None if part_of is None else Path(part_of))
        return self._stage(path, Path.touch)

    def folder(self, target: str | os.PathLike[str], kind: str) -> Path:
        """Declare a folder output of ``kind`` (replaced whole); return its temporary folder.

        An existing folder is only replaced when it is empty, or when it is an earlier output
        of the same kind (its ``manifest.json`` says so) and holds nothing but the files that
        manifest lists: a folder with any file of yours in it is never replaced.
        """
        from .errors import PersistenceError

        path = Path(target)
        if (path.exists() or path.is_symlink()) and not path.is_dir():
            raise PersistenceError(f"{path} is a file; give a folder name for the {kind} output")
        self._rules.check_folder(path, kind)
        self._folders[path] = self._stage(path, Path.mkdir)
        return self._folders[path]

    def manifest(
        self, target: str | os.PathLike[str], kind: str, **fields: Unpack[ManifestFields]
    ) -> Path:
        """Write the manifest of a declared output (see :func:`topics.manifest.build_manifest`).

        Its ``outputs`` field lists every file the output consists of (for a file output: the
        files declared in this run, relative to the manifest's folder) with its SHA-256.
        Returns the manifest's final path.
        """
        from .files import manifest_path
        from .manifest import build_manifest, dumps, file_sha256

        path = Path(target)
        if path in self._folders:
            final = path / "manifest.json"
            folder = self._folders[path]
            listed = [
                (p.relative_to(folder).as_posix(), p)
                for p in sorted(folder.rglob("*"))
                if p.is_file() and p.name != "manifest.json"
            ]
            staged = folder / "manifest.json"
        else:
            final = manifest_path(path, folder=False)
            listed = [
                (Path(os.path.relpath(t, final.parent)).as_posix(), s)
                for s, t in self._moves
                if t not in self._folders
            ]
            staged = self._prepare(final)
            self._manifests.append((staged, final))
        payload = build_manifest(path, kind, **fields)
        try:
            payload["outputs"] = [{"path": name, "sha256": file_sha256(p)} for name, p in listed]
            staged.write_text(dumps(payload), encoding="utf-8")
        except OSError as exc:
            raise _persistence_error(exc, final) from exc
        return final

    def _ours(self, exc: OSError) -> bool:
        """Whether an error concerns writing the outputs (not, say, reading an input)."""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return True
        if exc.filename is None:
            return exc.errno in (errno.EIO, errno.EROFS, errno.EACCES, errno.EPERM)
        name = Path(os.fsdecode(exc.filename)).name
        return any(name.lstrip(".").startswith(t.name.lstrip(".")) for _, t in self._moves)

    def _first(self) -> Path:
        return self._moves[0][1] if self._moves else Path(".")

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any
    ) -> None:

        from .errors import TopicsError

        try:
            if exc is None:
                moves = [*self._moves, *self._manifests]
                try:
                    plan = [(str(s), str(t), os.lstat(s).st_ino) for s, t in moves]
                    folders = {t.parent for _, t in moves}
                    with _locked(folders):
                        for folder in folders:
                            _sweep(folder, {t.name for _, t in moves if t.parent == folder})
                        self._tell({"commit": plan})
                        _finish(plan)
                except OSError as error:
                    self._discard()
                    raise _persistence_error(error, self._first()) from error
            else:
                self._discard()
                if (
                    isinstance(exc, OSError)
                    and not isinstance(exc, TopicsError)
                    and self._ours(exc)
                ):
                    raise _persistence_error(exc, self._first()) from exc
        finally:
            self._tell({"done": True})
            if self._watcher is not None and self._watcher.stdin is not None:
                with contextlib.suppress(OSError, ValueError):
                    self._watcher.stdin.close()
                # told "done", it exits at once: reap it (no zombie, no ResourceWarning)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._watcher.wait(timeout=5)

    def _discard(self) -> None:
        for staged, _ in [*self._moves, *self._manifests]:
            _remove(staged)
            for inner in staged.parent.glob(f".{staged.name}.*"):
                _remove(inner)


def verify_outputs(manifest: str | os.PathLike[str]) -> list[str]:
    """Return the problems found checking an output against its manifest (empty: consistent).

    Every file the manifest's ``outputs`` (or a report's ``files``) lists must exist with the
    recorded SHA-256.
    """
    from .manifest import file_sha256

    path = Path(manifest)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"cannot read manifest {path}: {exc}"]
    entries = payload.get("outputs", payload.get("files", []))
    problems = []
    for entry in entries:
        file = path.parent / entry["path"]
        if not file.is_file():
            problems.append(f"{file} is missing")
        elif file_sha256(file) != entry["sha256"]:
            problems.append(f"{file} differs from its manifest")
    return problems
