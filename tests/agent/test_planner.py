"""The agent plans with the real bundled model: one call of DESIGN's table per request."""

from __future__ import annotations

import re

import pytest

from agentwallet.agent import bundled_model_path
from agentwallet.errors import WalletError
from tests.agent.conftest import BOB, assert_follows_design, dev_intents, expected_args


def test_the_bundled_model_is_the_recorded_one():
    assert bundled_model_path().name == "SmolLM2-135M-Instruct.Q4_1.gguf"


def test_loading_reports_progress_from_start_to_finish(loaded):
    assert loaded.progress[0] == 0.0 and loaded.progress[-1] == 1.0
    assert loaded.progress == sorted(loaded.progress)


@pytest.mark.parametrize("intent", dev_intents(), ids=lambda intent: intent["q"])
def test_every_dev_intent_yields_a_plan_as_design_states_it(agent, wallet, intent):
    assert_follows_design(agent.plan(intent["q"], wallet))


def test_most_dev_intents_are_planned_exactly(agent, wallet):
    """A guard against prompt regressions; benchmarks/agent.py reports the figure itself."""
    exact = 0
    for intent in dev_intents():
        plan = agent.plan(intent["q"], wallet)
        exact += plan.tool == intent["tool"] and (plan.tool == "reply" or plan.args == expected_args(intent["args"]))
    assert exact / len(dev_intents()) >= 0.9


def test_a_payment_names_the_contact_and_the_amount_in_wei(agent, wallet):
    plan = agent.plan("please pay bob 0.25 eth", wallet)
    assert (plan.tool, plan.args) == ("send_native", {"to": BOB, "amount_wei": str(25 * 10**16)})
    assert "bob" in plan.rationale


def test_reading_a_tool_result_does_not_change_the_next_plan(agent, wallet):
    before = agent.plan("send 0.2 eth to bob", wallet)
    agent.answer("balance?", "ETH: 10\nUSDC: 1000")
    assert agent.plan("send 0.2 eth to bob", wallet) == before


def test_an_answer_is_one_line_of_plain_words_and_streams(agent):
    pieces: list[str] = []
    text = agent.answer("what is my daily limit", "daily limit: 1 ETH; spent today: 0.2 ETH", stream=pieces.append)
    assert text and "\n" not in text
    streamed = "".join(pieces)
    assert "\n" not in streamed and streamed.rstrip() == text  # the answer, without the line break that ended it


def test_every_number_in_an_answer_is_one_the_data_or_the_question_holds(agent):
    data = '{"ETH per transaction": "0.1 ETH", "ETH per period": "0.5 ETH", "period": "1 day"}'
    text = agent.answer("what are my limits", data)
    assert text and set(re.findall(r"\d+(?:\.\d+)?", text)) <= {"0.1", "0.5", "1"}


def test_an_empty_request_is_refused(agent, wallet):
    with pytest.raises(WalletError, match="empty"):
        agent.plan("  \n ", wallet)


def test_a_bundled_model_that_does_not_match_its_checksum_is_refused(tmp_path, monkeypatch):
    from agentwallet import models

    fake = tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf"
    fake.write_bytes(b"GGUF not the real weights")
    recorded = tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf.sha256"
    recorded.write_text("0" * 64 + "  SmolLM2-135M-Instruct.Q4_1.gguf\n")
    monkeypatch.setattr(models, "BUNDLED_MODEL", fake)
    monkeypatch.setattr(models, "BUNDLED_SHA256_FILE", recorded)
    with pytest.raises(WalletError, match="checksum"):
        bundled_model_path()


def test_what_streams_of_an_answer_stops_before_the_line_break_that_ends_it():
    from agentwallet.agent.planner import _first_line

    shown: list[str] = []
    on_text = _first_line(shown.append)
    for piece in ["\n", " The vault", " holds 10 ETH.", "\n", "Ignored."]:
        on_text(piece)
    assert shown == ["The vault", " holds 10 ETH."]
