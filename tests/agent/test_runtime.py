"""The runtime scores many continuations in one batch, side by side over openings read once:
what it finds for each must be what it finds for that one alone."""

from __future__ import annotations

import pytest

from agentwallet import about
from agentwallet.agent.calls import CALLS
from agentwallet.agent.prompts import FACTS_OPENING, call_opening, fact_line, question_line, reply_opening
from agentwallet.agent.runtime import Scored


def test_continuations_scored_together_score_as_each_scored_alone(agent):
    asked = [
        Scored(call_opening("send"), " send 0.2 eth to bob\n"),
        Scored(call_opening("get_balances"), " send 0.2 eth to bob\n"),
        Scored(call_opening("send"), " send 0.2 eth to carol\n"),  # shares all but its end with the first
        Scored(FACTS_OPENING, " how much eth do I have\n", given=" The vault holds 3 ETH.\n"),
        Scored(FACTS_OPENING, " how much eth do I have\n", given=" The agent is not paused.\n"),
    ]
    together = agent._runtime.scores(asked)
    alone = [agent._runtime.scores([one])[0] for one in asked]
    assert together == pytest.approx(alone, abs=0.05)
    assert together[0] > together[1]  # and they are the model's judgement, not noise
    assert together[3] > together[4]


def test_many_continuations_past_one_batch_are_all_scored(agent):
    asked = [Scored(FACTS_OPENING, f" question number {n}\n", given=" The vault holds 3 ETH.\n") for n in range(90)]
    scores = agent._runtime.scores(asked)
    assert len(scores) == 90 and all(score < 0 for score in scores)
    alone = agent._runtime.scores([asked[7]])[0]
    assert scores[7] == pytest.approx(alone, rel=0.02)  # a batch of 64 rounds a little otherwise than one


def test_the_likeliest_of_each_group_is_the_one_its_scores_rank_first(agent):
    openings = [*(call_opening(name) for name in ("send", "get_balances", "pause")), reply_opening("greeting")]
    requests = [" send 0.2 eth to bob\n", " what do I hold in my wallet\n", " stop everything right now\n",
                " hello there\n"]
    groups = [[Scored(opening, request) for opening in openings] for request in requests]
    groups.append([Scored(FACTS_OPENING, question_line("how much eth do I have"), given=fact_line(fact))
                   for fact in ("The agent is not paused.", "The vault holds 3 ETH.")])
    ranked = [scores.index(max(scores)) for scores in map(agent._runtime.scores, groups)]
    assert agent._runtime.likeliest(groups) == ranked == [0, 1, 2, 3, 1]


def test_reading_counts_the_tokens_read_and_the_decodes_that_read_them(agent):
    runtime = agent._runtime
    asked = Scored(FACTS_OPENING, " how much eth do I have\n", given=" The vault holds 3 ETH.\n")
    before = runtime.reading
    runtime.scores([asked])
    read = runtime.reading - before
    # every token after the opening but the last, which is only predicted, in one batch
    assert read.tokens == len(runtime._plain(asked.given)) + len(runtime._plain(asked.continuation)) - 1
    assert read.decodes == 1


def test_the_race_reads_a_fraction_of_what_scoring_every_continuation_reads(agent):
    openings = [*(call_opening(name) for name in CALLS if name != "reply"), *map(reply_opening, about.TOPICS)]
    group = [Scored(opening, " please send 0.2 eth to bob right away\n") for opening in openings]
    runtime = agent._runtime
    before = runtime.reading
    scores = runtime.scores(group)
    scored = runtime.reading - before
    assert runtime.likeliest([group]) == [scores.index(max(scores))]
    raced = runtime.reading - before - scored
    assert raced.tokens < scored.tokens / 2, (raced, scored)
