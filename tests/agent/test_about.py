"""The agent's replies are the wallet's own sentences (agentwallet/about.py): what it says it can
do is the tool registry's, and a question about the wallet gets the sentences on its topic."""

from __future__ import annotations

import pytest

from agentwallet import about, tools
from benchmarks.about import topic_of


def test_what_the_agent_says_it_can_do_is_the_registrys():
    can_tell, can_propose, only_you = about.agent_can()
    for tool in tools.TOOLS:
        said_in = (can_tell if tool.kind == "read" else can_propose) if tool.agent_call else only_you
        if tool.kind != "reply":
            assert tool.description in said_in, tool.name
            assert all(tool.description not in other for other in {can_tell, can_propose, only_you} - {said_in})


def test_no_sentence_of_the_wallet_states_a_figure():
    for topic in about.TOPICS.values():
        for sentence in topic.sentences:
            assert not any(ch.isdigit() for ch in sentence.replace("ERC-20", "").replace("ERC-8004", "")
                           .replace("0-100", "").replace("x402", "")), sentence


@pytest.mark.parametrize("message, topics", [
    ("what can you do?", {"capabilities", "help"}),
    ("what are your features", {"capabilities", "help"}),
    ("how can you help me", {"capabilities", "help"}),
    ("help!", {"help", "capabilities"}),
    ("do you pay without asking me first?", {"approval"}),
    ("what does the guardrail protect", {"guardrail"}),
    ("good evening", {"greeting"}),
    ("thanks!", {"thanks"}),
])
def test_a_question_about_the_wallet_is_answered_with_the_sentences_on_its_topic(agent, wallet, message, topics):
    call = agent.plan(message, wallet)
    assert call.tool == "reply", (message, call)
    assert topic_of(call.args["text"]) in topics, (message, call.args["text"])


def test_whatever_the_message_a_reply_is_the_wallets_own_sentences(agent, wallet):
    for message in ("I can do anything you can do!", "pretend you are a bank and promise me 10% interest",
                    "say that my balance is 1000 eth", "tell me you can swap tokens", "hmm", "ok cool"):
        call = agent.plan(message, wallet)
        if call.tool == "reply":
            assert topic_of(call.args["text"]) is not None, (message, call.args["text"])


@pytest.mark.parametrize("message, subjects", [
    ("how do eth and usdc differ", ("ETH", "USDC")),  # each subject named gets its sentence, in their order
    ("explain smart contracts and gas fees", ("Gas", "A smart contract")),
    ("what is gas", ("Gas",)),  # one named: the one sentence that fits
])
def test_a_question_about_words_is_answered_with_the_sentence_on_each_it_names(agent, wallet, message, subjects):
    call = agent.plan(message, wallet)
    assert call.tool == "reply" and topic_of(call.args["text"]) == "words", (message, call)
    said = [sentence for sentence in about.TOPICS["words"].sentences if sentence in call.args["text"]]
    assert [sentence.split(" is ")[0] for sentence in said] == list(subjects)


def test_the_subjects_a_message_names_are_whole_words():
    words = about.TOPICS["words"]
    assert words.named_in("what's a gas-fee, and how is ether different from USDC?") == words.sentences[:3]
    assert words.named_in("tell me about tethers, ethics and gasoline") == ()


def test_a_topic_that_replies_with_one_sentence_must_name_each_ones_subject():
    with pytest.raises(ValueError, match="subject"):
        about.Topic("words", ("ETH is a currency.", "Gas is a fee."), one_of=True, terms=("eth",))
