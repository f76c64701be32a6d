"""Files only the user can read, written once: keystores, address records, exported keys.

A file here is created, never replaced, so no bug or retry can overwrite a key.
"""

from __future__ import annotations

import os
from pathlib import Path

from agentwallet.errors import WalletError


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and its parents) if need be, and leave it mode 0700."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        path.chmod(0o700)


def write_new_file(path: Path, text: str) -> None:
    """Create ``path`` with mode 0600 and ``text`` in it; never replace an existing file."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise WalletError(f"{path} already exists: it is never overwritten") from None
    except OSError as exc:
        raise WalletError(f"cannot create {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            if os.name == "posix":
                os.fchmod(fd, 0o600)  # exactly 0600, whatever the umask
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise WalletError(f"cannot write {path}: {exc.strerror}") from None
