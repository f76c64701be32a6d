"""The model the project installs by default (models/README.md), checked before it is trusted."""

from __future__ import annotations

from pathlib import Path

from agentwallet import models


def bundled_model_path(hashes: Path | None = None) -> Path:
    """models/SmolLM2-135M-Instruct.Q4_1.gguf once its sha256 matches the recorded one.

    A missing or altered file is a WalletError that says to run scripts/setup. Hashing 100 MB
    takes most of a second, so a file is hashed once per version in a process, and once per
    version on this machine with `hashes`, a cache directory (models.sha256).
    """
    return models.check_bundled(hashes)
