"""The agent the wallet's config asks for: its model file (or the bundled one, checksummed),
on a few CPU threads, with as many layers on the GPU as the config says (none by default)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from agentwallet import config as config_module
from agentwallet import models
from agentwallet.agent.bundled import bundled_model_path
from agentwallet.agent.planner import Agent
from agentwallet.agent.skill import Answerer
from agentwallet.config import Config

MAX_THREADS = 4  # past four, a model this size waits on memory, not on arithmetic


def load_configured_agent(home: Path, config: Config, progress: Callable[[float], None] | None = None) -> Agent:
    """The agent of the wallet at `home`, its reading of the openings kept in home's cache."""
    cache = config_module.cache_dir(home)
    path = models.model_path(config.model) if config.model else bundled_model_path(cache)
    threads = min(MAX_THREADS, os.cpu_count() or 2)
    return Agent(path, n_threads=threads, n_gpu_layers=config.gpu_layers, progress=progress, cache_dir=cache)


def load_configured_answerer(config: Config) -> Answerer:
    """The skill `serve` sells, on the model the config asks for (docs/cli.md, `serve`)."""
    path = models.model_path(config.model) if config.model else bundled_model_path()
    return Answerer(path, n_threads=min(MAX_THREADS, os.cpu_count() or 2), n_gpu_layers=config.gpu_layers)
