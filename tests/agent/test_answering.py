"""Which facts make an answer, once the model has chosen the question's scope and scored the facts."""

from __future__ import annotations

from agentwallet.agent.answering import chosen

BALANCES = ["The vault holds 2 ETH.", "The vault holds 40 DAI."]
HISTORY = ["A payment of 1 DAI to dave was carried out today.", "A payment of 0.2 ETH to erin was denied today.",
           "A payment of 3 DAI to erin was carried out on Mar 3.", "Pausing the agent was carried out on Mar 1."]


def test_a_question_about_every_fact_gets_all_of_them_in_their_order():
    assert chosen("what do I own", BALANCES, "every", [-9.0, -1.0], [0.0, 0.0]) == BALANCES


def test_a_fitting_answer_is_the_best_fact_and_those_within_the_margin_of_it():
    assert chosen("how much dai", BALANCES, "fit", [-9.0, -1.0], [0.0, 0.0]) == BALANCES[1:]
    assert chosen("how much dai", BALANCES, "fit", [-1.5, -1.0], [0.0, 0.0]) == BALANCES


def test_a_fact_after_which_any_question_is_likely_does_not_win_for_that():
    # the first fact makes the question likelier only because it makes every question likelier
    assert chosen("how much dai", BALANCES, "fit", [-2.0, -4.0], [1.0, -4.0]) == BALANCES[1:]


def test_a_question_about_a_day_gets_the_entries_that_say_that_day():
    assert chosen("what went on today", HISTORY, "day", [0.0] * 4, [0.0] * 4) == HISTORY[:2]
    assert chosen("show today's payments", HISTORY, "day", [0.0] * 4, [0.0] * 4) == HISTORY[:2]
    assert chosen("what did you do on Mar 3?", HISTORY, "day", [0.0] * 4, [0.0] * 4) == HISTORY[2:3]


def test_a_day_no_fact_says_is_answered_by_the_facts_that_fit():
    assert chosen("what happened yesterday", HISTORY, "day", [-5.0, -5.0, -5.0, -1.0], [0.0] * 4) == HISTORY[3:]
