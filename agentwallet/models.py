"""GGUF model files: the bundled one, the user's own, and fetching one for users with internet.

Nothing here loads a model (agent/ does that); this only finds, checks and downloads files.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agentwallet.errors import WalletError
from agentwallet.private_files import create_private, private_dir, write_atomically

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_MODEL = PROJECT_ROOT / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
BUNDLED_SHA256_FILE = BUNDLED_MODEL.with_name(BUNDLED_MODEL.name + ".sha256")
GGUF_MAGIC = b"GGUF"
HUB = "https://huggingface.co"


@dataclass(frozen=True)
class ModelFile:
    path: Path
    size: int
    bundled: bool


def check_gguf(path: Path) -> Path:
    path = path.expanduser().resolve()
    if not path.is_file():
        raise WalletError(f"no such model file: {path}")
    with open(path, "rb") as f:
        if f.read(4) != GGUF_MAGIC:
            raise WalletError(f"{path} is not a GGUF model file")
    return path


def model_setting(path: Path) -> str | None:
    """What the config keeps as its model for the GGUF file at `path`, once checked: None for
    the bundled model, which follows the project wherever it is installed."""
    checked = check_gguf(path)
    return None if checked == BUNDLED_MODEL else str(checked)


def check_bundled(hashes: Path | None = None) -> Path:
    """The bundled model, verified against the checksum scripts/setup installed it with (its
    hash remembered in the directory `hashes`, when given: see sha256)."""
    if not BUNDLED_MODEL.exists():
        raise WalletError(f"the bundled model is missing ({BUNDLED_MODEL}): run scripts/setup")
    expected = BUNDLED_SHA256_FILE.read_text().split()[0]
    if sha256(BUNDLED_MODEL, hashes) != expected:
        raise WalletError(f"the bundled model {BUNDLED_MODEL} does not match its checksum: run scripts/setup again")
    return BUNDLED_MODEL


def sha256(path: Path, hashes: Path | None = None) -> str:
    """The file's sha256, hashed once per version of the file in a process and, with `hashes`
    (a cache directory), once per version on this machine: hashing 100 MB is most of a second
    of every start. A version is the file's identity and times (inode, size, mtime, ctime):
    any write, replacement or touch changes one, and a changed file is hashed again."""
    resolved = path.resolve()
    version = _version(resolved.stat())
    file = hashes / f"sha256-{hashlib.sha256(str(resolved).encode()).hexdigest()[:16]}.json" if hashes else None
    if file is not None and (remembered := _remembered_hash(file, resolved, version)):
        return remembered
    digest = _sha256(resolved, *version)
    if file is not None:
        try:
            private_dir(file.parent)
            write_atomically(file, json.dumps({"path": str(resolved), "version": version, "sha256": digest}).encode())
        except OSError:
            pass  # a read-only cache only means hashing again next time
    return digest


def _version(stat: os.stat_result) -> list[int]:
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def _remembered_hash(file: Path, path: Path, version: list[int]) -> str | None:
    """The hash `file` keeps for `path` at `version`; None when it is absent, unreadable,
    another file's or another version's."""
    try:
        kept = json.loads(file.read_bytes())
        digest = kept["sha256"]
        same = kept["path"] == str(path) and kept["version"] == version
        return digest if same and isinstance(digest, str) and re.fullmatch(r"[0-9a-f]{64}", digest) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


@functools.cache
def _sha256(path: Path, device: int, inode: int, size: int, modified_ns: int, changed_ns: int) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def model_path(configured: str | None) -> Path:
    return check_gguf(Path(configured)) if configured else BUNDLED_MODEL


def models_dir(home: Path) -> Path:
    return home / "models"


def list_models(home: Path) -> list[ModelFile]:
    found = [ModelFile(BUNDLED_MODEL, BUNDLED_MODEL.stat().st_size, True)] if BUNDLED_MODEL.exists() else []
    for directory in (PROJECT_ROOT / "models", models_dir(home)):
        for path in sorted(directory.glob("*.gguf")) if directory.exists() else []:
            if path != BUNDLED_MODEL:
                found.append(ModelFile(path, path.stat().st_size, False))
    return found


def pull(home: Path, name: str, progress: Callable[[int, int], None] = lambda done, total: None) -> Path:
    """Download OWNER/REPO/FILE.gguf from the Hugging Face hub (or a full URL) into the data dir."""
    if name.startswith(("https://", "http://")):
        url = name
    else:
        parts = name.split("/")
        if len(parts) < 3 or not name.endswith(".gguf"):
            raise WalletError(f"model names look like OWNER/REPO/FILE.gguf, got {name!r}")
        url = f"{HUB}/{parts[0]}/{parts[1]}/resolve/main/{'/'.join(parts[2:])}"
    dest = models_dir(home) / url.rsplit("/", 1)[-1]
    private_dir(dest.parent)  # in the home, like all else there: which model is used is the owner's business
    partial = dest.with_suffix(".gguf.part")
    import urllib.error  # here, not at the top: http and ssl are tens of ms of every `ask` start
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as response, open(create_private(partial), "wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            while block := response.read(1 << 20):
                out.write(block)
                done += len(block)
                progress(done, total)
    except (urllib.error.URLError, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise WalletError(f"could not download {url}: {getattr(exc, 'reason', exc)}") from None
    os.replace(partial, dest)
    return check_gguf(dest)
