"""The model's reading of its openings, kept in a file between runs, so that a start reads none again.

Reading the worked examples is most of what a start costs (seconds on two cores); putting back
what llama.cpp remembered of them takes milliseconds. A file is only taken for what made it:
the same model file (its sha256), the same openings (their text), the same llama.cpp and GPU
layers. Anything else (another model, changed examples, a new llama.cpp, a file cut short,
altered, or not this wallet's at all) is never loaded: the openings are read again and the file
written anew, whole (private_files.write_atomically), so no reader ever sees half of one.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from agentwallet.agent.runtime import Memory
from agentwallet.private_files import private_dir, write_atomically

MAGIC = b"agentwallet: the model's reading of its openings\n"
FORMAT = 1
_SIZE = struct.Struct("<Q")
_DIGEST = hashlib.sha256().digest_size


def key(model_sha256: str, groups: Sequence[Sequence[str]], llama_version: str, gpu_layers: int) -> dict[str, object]:
    """What a file must have been made from to be used."""
    text = hashlib.sha256(json.dumps([list(group) for group in groups]).encode()).hexdigest()
    return {"format": FORMAT, "model": model_sha256, "openings": text, "llama.cpp": llama_version,
            "gpu_layers": gpu_layers}


def path_for(directory: Path, model_sha256: str) -> Path:
    """One file per model, so that switching models back and forth reads nothing again."""
    return directory / f"openings-{model_sha256[:16]}.bin"


def load(path: Path, wanted: dict[str, object]) -> list[Memory] | None:
    """The memories in the file at `path` if it was made for `wanted`, whole and unaltered; else None."""
    try:
        content = path.read_bytes()
    except OSError:
        return None
    if len(content) < len(MAGIC) + _SIZE.size + _DIGEST or not content.startswith(MAGIC):
        return None
    body = memoryview(content)[:-_DIGEST]  # not a copy: the file is tens of MB, read on every start
    if hashlib.sha256(body).digest() != content[-_DIGEST:]:
        return None
    try:
        return _memories(body, wanted)
    except (ValueError, KeyError, TypeError, struct.error):  # a header this code did not write
        return None


def save(path: Path, made_for: dict[str, object], memories: Sequence[Memory]) -> None:
    """Write the memories for `made_for` at `path`, replacing whatever was there; a file that
    cannot be written only means the next start reads the openings again."""
    header = json.dumps({"key": made_for, "memories": [
        {"openings": [len(tokens) for tokens in m.openings], "state": int(m.state.size),
         "vocabulary": int(m.last_logits.shape[1]), "cells": m.cells} for m in memories
    ]}).encode()
    parts = [MAGIC, _SIZE.pack(len(header)), header]
    for memory in memories:
        parts += [np.asarray([t for tokens in memory.openings for t in tokens], dtype="<i4").tobytes(),
                  memory.last_logits.astype("<f4").tobytes(), memory.state.tobytes()]
    body = b"".join(parts)
    try:
        private_dir(path.parent)
        write_atomically(path, body + hashlib.sha256(body).digest())
    except OSError:
        pass  # a wallet on a read-only disk still works: its next start reads the openings again


def _memories(body: memoryview, wanted: dict[str, object]) -> list[Memory] | None:
    at = len(MAGIC)
    (size,) = _SIZE.unpack_from(body, at)
    at += _SIZE.size
    header = json.loads(bytes(body[at:at + size]))
    at += size
    if header["key"] != wanted:
        return None
    memories = []
    for sizes in header["memories"]:
        lengths = [int(length) for length in sizes["openings"]]
        tokens = np.frombuffer(body, dtype="<i4", count=sum(lengths), offset=at).tolist()
        at += 4 * sum(lengths)
        logits = np.frombuffer(body, dtype="<f4", count=len(lengths) * int(sizes["vocabulary"]), offset=at)
        at += logits.nbytes
        state = np.frombuffer(body, dtype=np.uint8, count=int(sizes["state"]), offset=at)
        at += state.nbytes
        ends = np.cumsum([0, *lengths]).tolist()
        openings = tuple(tuple(tokens[a:b]) for a, b in zip(ends, ends[1:], strict=False))
        memories.append(Memory(openings, logits.astype(np.float32).reshape(len(lengths), -1), state,
                               int(sizes["cells"])))
    return memories if at == len(body) else None
