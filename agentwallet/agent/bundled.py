"""The model the project installs by default (models/README.md), checked before it is trusted."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from agentwallet.errors import WalletError

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
BUNDLED_MODEL = "SmolLM2-135M-Instruct.Q4_1.gguf"


def bundled_model_path() -> Path:
    """The bundled GGUF in the checkout's models/, once its sha256 matches the recorded one."""
    path = MODELS_DIR / BUNDLED_MODEL
    recorded = MODELS_DIR / f"{BUNDLED_MODEL}.sha256"
    if not path.is_file():
        raise WalletError(f"the bundled model is missing ({path}): run scripts/setup, or `agentwallet model use PATH`")
    expected = recorded.read_text().split()[0] if recorded.is_file() else ""
    stat = path.stat()
    if _sha256(path, stat.st_size, stat.st_mtime_ns) != expected:
        raise WalletError(
            f"the bundled model {path} does not match its recorded sha256: delete it and run scripts/setup again"
        )
    return path


@functools.cache
def _sha256(path: Path, size: int, modified_ns: int) -> str:
    """Hashing 100 MB takes a moment, so once per file version (size and mtime are the key)."""
    digest = hashlib.sha256()
    with path.open("rb") as model:
        for block in iter(lambda: model.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
