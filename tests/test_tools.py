"""The tool registry is the one list of tools: the agent's calls, `propose`, the pipeline, the
review and the reads all derive from it, and every tool has a handler where its kind is handled."""

from __future__ import annotations

import pytest

from agentwallet import about, tools
from agentwallet.actions import reads, review
from agentwallet.agent import calls, examples
from agentwallet.cli import build_parser
from agentwallet.errors import WalletError
from tests.conftest import ALICE, proposal


def names(kind: str) -> set[str]:
    return {t.name for t in tools.TOOLS if t.kind == kind}


def test_every_tool_is_named_once():
    assert len(tools.BY_NAME) == len(tools.TOOLS)


def test_the_agents_calls_are_the_registrys_agent_calls_each_with_worked_examples():
    assert set(calls.CALLS) == {t.agent_call for t in tools.TOOLS if t.agent_call}
    assert set(examples.EXAMPLES) | {"reply"} == set(calls.CALLS)
    assert set(examples.REPLIES) == set(about.TOPICS)  # a reply's examples, one block per topic
    assert calls.TAKES_ARGUMENTS == {t.agent_call for t in tools.TOOLS if t.agent_call and t.arguments}


def test_every_read_tool_has_a_reading_and_every_policy_tool_a_guardrail_call():
    assert set(reads.READS) == names("read")
    assert set(review.POLICY_CALLS) == names("policy")


def test_who_signs_follows_the_kind():
    for tool in tools.TOOLS:
        expected = {"action": "agent", "policy": "owner"}.get(tool.kind)
        assert tool.signer == expected, tool.name


def test_propose_takes_exactly_the_tools_that_make_proposals(wallet):
    from agentwallet.actions.arguments import normalise_arguments

    with pytest.raises(WalletError) as refused:
        normalise_arguments(wallet, "get_balances", {})
    assert str(refused.value) == ("unknown action 'get_balances': one of "
                                  + ", ".join(t.name for t in tools.proposal_tools()))
    assert {t.name for t in tools.proposal_tools()} == names("action") | names("policy")


def test_an_arguments_type_decides_how_it_is_checked(wallet):
    args = proposal(wallet, "send_native", to="alice", amount_wei="10").args
    assert args == {"to": ALICE, "amount_wei": "10"}
    for bad in ("²", "١٠", "1e18", "0x10", " "):
        with pytest.raises(WalletError, match="digits 0-9|whole number"):
            proposal(wallet, "send_native", to="alice", amount_wei=bad)
    with pytest.raises(WalletError, match="period_s is too large"):
        proposal(wallet, "set_limits", period_s=str(tools.UINT32_MAX + 1))


@pytest.mark.parametrize("tool", [t.name for t in tools.proposal_tools()])
def test_every_proposal_tool_is_reviewed_and_signed_as_the_registry_says(wallet, tool):
    usdc = wallet.config.tokens[0].address
    samples = {
        "send_native": {"to": ALICE, "amount_wei": "1000"},
        "send_token": {"token": usdc, "to": ALICE, "amount": "1000"},
        "set_limits": {"daily_wei": str(10**18)},
        "set_token_limits": {"token": usdc, "daily": "1000"},
        "pause": {},
        "resume": {},
        "publish_card": {"agent_uri": "data:application/json,{\"name\":\"x\"}"},
        "set_agent_wallet": {"agent_id": "0"},
        "rate_agent": {"agent_id": "0", "score": "80"},
        "pay_for": {"url": "http://127.0.0.1/ask", "token": usdc, "to": ALICE, "amount": "1000",
                    "valid_before": str(wallet.chain_time() + 60), "nonce": "0x" + "11" * 32},
    }
    reviewed = review.review_proposal(wallet, proposal(wallet, tool, **samples[tool]))
    assert reviewed.executor == tools.BY_NAME[tool].signer


def test_the_command_line_has_propose_for_every_proposal_tool():
    parsed = build_parser().parse_args(["propose", "pause", "--no"])
    assert parsed.tool in tools.BY_NAME
