"""A request is cut only at joining words it writes itself; which cut is the model's choice."""

from __future__ import annotations

from agentwallet.agent.clauses import MAX_PARTS, cuttings


def test_a_request_without_joining_words_has_one_way_to_be_read():
    assert cuttings("send 0.2 eth to bob") == [("send 0.2 eth to bob",)]


def test_the_uncut_request_comes_first_then_every_cut_at_its_joining_words():
    assert cuttings("pay alice 0.01 eth and bob 2 usdc, then pause") == [
        ("pay alice 0.01 eth and bob 2 usdc, then pause",),
        ("pay alice 0.01 eth", "bob 2 usdc, then pause"),
        ("pay alice 0.01 eth and bob 2 usdc", "pause"),
        ("pay alice 0.01 eth", "bob 2 usdc", "pause"),
    ]


def test_numbers_and_the_ends_of_a_request_are_no_joints():
    assert cuttings("split 1,000.5 usdc between alice and bob.") == [
        ("split 1,000.5 usdc between alice and bob.",), ("split 1,000.5 usdc between alice", "bob.")]
    assert cuttings("and then") == [("and then",)]


def test_a_request_is_cut_into_at_most_five_parts():
    ways = cuttings("pay a 1 eth, b 1 eth, c 1 eth, d 1 eth, e 1 eth, f 1 eth")
    assert max(map(len, ways)) == MAX_PARTS
