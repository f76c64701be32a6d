"""The model's reading of its openings is kept in a file, and taken back only when it is what
the agent would read itself: another model, changed openings, another llama.cpp or GPU setting,
a file cut short or altered, or one that is no such file at all, are read again, never loaded."""

from __future__ import annotations

import shutil

import pytest

from agentwallet import models
from agentwallet.actions.facts import facts
from agentwallet.actions.reads import Balances, Holding
from agentwallet.agent import Agent, bundled_model_path, memory_file
from agentwallet.agent.runtime import VERSION, Memory
from tests.agent.conftest import dev_intents

MODEL = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
MADE_FOR = memory_file.key(MODEL, (("Request:", "Fact:"),), VERSION, 0)
BALANCES = facts(Balances((Holding("ETH", "10"), Holding("USDC", "1000"))))


def the_file(loaded):
    [path] = loaded.cache_dir.glob("openings-*.bin")
    return path


def test_the_first_start_reads_the_openings_and_leaves_their_reading_for_the_next(loaded):
    assert not loaded.agent.remembered
    path = the_file(loaded)
    assert path == memory_file.path_for(loaded.cache_dir, models.sha256(bundled_model_path()))
    assert path.stat().st_mode & 0o077 == 0


def test_a_start_with_the_file_reads_nothing_and_plans_and_answers_exactly_as_without_it(loaded, agent, wallet):
    progress: list[float] = []
    warm = Agent(bundled_model_path(), n_threads=1, cache_dir=loaded.cache_dir, progress=progress.append)
    assert warm.remembered
    assert progress[0] == 0.0 and progress[-1] == 1.0 and progress == sorted(progress)
    for intent in {intent["tool"]: intent for intent in dev_intents()}.values():  # one request per tool
        assert warm.plan(intent["q"], wallet) == agent.plan(intent["q"], wallet), intent["q"]
    assert warm.answer("what do I own", BALANCES) == agent.answer("what do I own", BALANCES)


def test_a_damaged_file_is_read_again_and_written_anew_and_the_plans_do_not_change(loaded, agent, wallet, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(loaded.cache_dir, cache)
    path = the_file(loaded).name
    content = bytearray((cache / path).read_bytes())
    content[len(content) // 2] ^= 0x01  # one bit of the attention cache: a plan could change
    (cache / path).write_bytes(bytes(content))

    rebuilt = Agent(bundled_model_path(), n_threads=1, cache_dir=cache)
    assert not rebuilt.remembered
    assert (cache / path).read_bytes() == the_file(loaded).read_bytes()  # the same reading, written again
    for request in ("send 0.2 eth to bob", "what is my daily limit", "hi"):
        assert rebuilt.plan(request, wallet) == agent.plan(request, wallet)


def test_a_file_is_taken_only_for_the_model_openings_llama_and_gpu_layers_it_was_made_for(agent, tmp_path):
    path = tmp_path / "openings.bin"
    memory_file.save(path, MADE_FOR, agent._runtime.memories())
    assert memory_file.load(path, MADE_FOR) is not None
    others = [
        memory_file.key("0" * 64, (("Request:", "Fact:"),), VERSION, 0),  # another model
        memory_file.key(MODEL, (("Request:", "Fact: "),), VERSION, 0),  # the openings changed
        memory_file.key(MODEL, (("Request:",), ("Fact:",)), VERSION, 0),  # grouped otherwise
        memory_file.key(MODEL, (("Request:", "Fact:"),), "0.3.37", 0),  # a new llama.cpp
        memory_file.key(MODEL, (("Request:", "Fact:"),), VERSION, -1),  # on a GPU
    ]
    assert all(memory_file.load(path, other) is None for other in others)


@pytest.mark.parametrize("damage", [
    lambda content: content[: len(content) // 2],  # cut short
    lambda content: content[:-1],  # the checksum cut
    lambda content: content[:40] + bytes([content[40] ^ 1]) + content[41:],  # the header altered
    lambda content: content[:-32] + bytes(32),  # the checksum replaced
    lambda content: b"",
    lambda content: b"GGUF" + content[4:],  # not ours
    lambda content: bytes(range(256)) * 100,  # not a cache at all
], ids=["cut", "checksum-cut", "header-bit", "checksum-zeroed", "empty", "foreign-magic", "noise"])
def test_a_damaged_or_foreign_file_is_not_loaded(agent, tmp_path, damage):
    path = tmp_path / "openings.bin"
    memory_file.save(path, MADE_FOR, agent._runtime.memories())
    path.write_bytes(damage(path.read_bytes()))
    assert memory_file.load(path, MADE_FOR) is None


def test_a_whole_file_whose_state_llama_cpp_refuses_is_not_taken(agent, tmp_path):
    """Checksum and key right, the content wrong (a writer's bug): llama.cpp's own check refuses it."""
    [first, *rest] = agent._runtime.memories()
    cut = Memory(first.openings, first.last_logits, first.state[: first.state.size // 2], first.cells)
    path = tmp_path / "openings.bin"
    memory_file.save(path, MADE_FOR, [cut, *rest])
    remembered = memory_file.load(path, MADE_FOR)
    assert remembered is not None
    before = agent._runtime.memories()
    assert not agent._runtime.remember(remembered)
    assert agent._runtime.memories() == before


def test_a_cache_that_cannot_be_written_only_means_reading_again(agent, tmp_path):
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache directory would go")
    memory_file.save(blocked / "openings.bin", MADE_FOR, agent._runtime.memories())  # no error
    assert memory_file.load(blocked / "openings.bin", MADE_FOR) is None
