"""Files only this user may read: the wallet's home is 0700 and what it writes there 0600.

The home holds the journal (every request and rationale), the contacts and the history, so
no other local account may read it, whatever the umask. Whole files are written through a
temporary file in the same directory and renamed, so a reader sees the old or the new file,
never half of one.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from agentwallet.errors import WalletError

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """`path` as a directory only its owner may enter: made 0700, or tightened to it."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    tighten(path)
    return path


def tighten(path: Path) -> None:
    """Take group and other permissions off `path`, where it exists and is ours to change."""
    try:
        mode = path.stat().st_mode
        if mode & 0o077:
            path.chmod(stat.S_IMODE(mode) & ~0o077)
    except (FileNotFoundError, PermissionError):
        pass  # not there yet, or not ours (a shared AGENTWALLET_HOME): nothing to tighten


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` as one step, the new file 0600 from its first byte."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_new(path: Path, text: str) -> None:
    """Create `path`, 0600, with `text` in it; never replace a file already there (a key, say)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        raise WalletError(f"{path} already exists: it is never overwritten") from None
    except OSError as exc:
        raise WalletError(f"cannot create {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            os.fchmod(fd, FILE_MODE)  # exactly 0600, whatever the umask
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise WalletError(f"cannot write {path}: {exc.strerror}") from None


def create_private(path: Path) -> Path:
    """`path` as an existing file readable by its owner alone (created empty if need be)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    tighten(path)
    return path
