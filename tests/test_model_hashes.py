"""A model file's sha256 is remembered in the cache directory, so a start does not hash 100 MB
again; it is taken only for the same file, unchanged, and anything else is hashed anew."""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from agentwallet import models

FAKE = "ab" * 32  # a hash no file here has: seeing it back proves the remembered one was taken


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF" + bytes(1000))
    return path


def real(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def remembered_file(cache):
    [file] = cache.glob("sha256-*.json")
    return file


def a_new_process() -> None:
    models._sha256.cache_clear()


def forge(cache) -> None:
    """Make the remembered hash FAKE, as if that were the file's: only the cache can say it."""
    file = remembered_file(cache)
    kept = json.loads(file.read_text())
    file.write_text(json.dumps(kept | {"sha256": FAKE}))


def test_the_hash_is_remembered_privately_and_taken_by_the_next_start(model, tmp_path):
    cache = tmp_path / "cache"
    assert models.sha256(model, cache) == real(model)
    assert remembered_file(cache).stat().st_mode & 0o077 == 0
    forge(cache)
    a_new_process()
    assert models.sha256(model, cache) == FAKE


@pytest.mark.parametrize("change", [
    lambda path: path.write_bytes(b"GGUF" + bytes(999) + b"x"),  # same size, new content
    lambda path: os.utime(path, ns=(0, path.stat().st_mtime_ns)),  # touched back to its mtime: ctime moves
    lambda path: (path.rename(path.with_suffix(".old")), path.write_bytes(b"GGUF" + bytes(1000))),  # replaced
])
def test_a_changed_file_is_hashed_again(model, tmp_path, change):
    cache = tmp_path / "cache"
    models.sha256(model, cache)
    forge(cache)
    change(model)
    a_new_process()
    assert models.sha256(model, cache) == real(model)
    a_new_process()
    assert models.sha256(model, cache) == real(model)  # and the new hash is what is remembered now


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],
    lambda text: "",
    lambda text: json.dumps(json.loads(text) | {"sha256": "not a hash"}),
    lambda text: json.dumps(json.loads(text) | {"path": "/elsewhere/model.gguf"}),
    lambda text: "[1, 2, 3]",
])
def test_a_damaged_or_foreign_hash_file_is_hashed_again_and_rewritten(model, tmp_path, damage):
    cache = tmp_path / "cache"
    models.sha256(model, cache)
    file = remembered_file(cache)
    file.write_text(damage(file.read_text()))
    a_new_process()
    assert models.sha256(model, cache) == real(model)
    assert json.loads(file.read_text())["sha256"] == real(model)


def test_without_a_cache_directory_nothing_is_written(model, tmp_path):
    assert models.sha256(model) == real(model)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.gguf"]
