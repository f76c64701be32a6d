"""The model the project installs by default (models/README.md), checked before it is trusted."""

from __future__ import annotations

import functools
from pathlib import Path

from agentwallet import models


def bundled_model_path() -> Path:
    """models/SmolLM2-135M-Instruct.Q4_1.gguf once its sha256 matches the recorded one.

    A missing or altered file is a WalletError that says to run scripts/setup. Hashing 100 MB
    takes a moment, so a file is checked once per version (its size and mtime).
    """
    path = models.BUNDLED_MODEL
    if not path.is_file():
        return models.check_bundled()  # raises, saying how to install it
    stat = path.stat()
    return _checked(path, stat.st_size, stat.st_mtime_ns)


@functools.cache
def _checked(path: Path, size: int, modified_ns: int) -> Path:
    return models.check_bundled()
