"""What the model reads before a request: a terse request reads the same blocks, ending on their tersest."""

from __future__ import annotations

from agentwallet.agent.prompts import call_opening, is_terse, reply_opening


def test_a_request_of_one_or_two_words_is_terse():
    assert is_terse("balances") and is_terse("my limits?")
    assert not is_terse("show my balances")


def test_a_terse_request_reads_each_block_with_its_tersest_example_again_last():
    for opening, terse in ((call_opening("get_limits"), call_opening("get_limits", terse=True)),
                           (reply_opening("greeting"), reply_opening("greeting", terse=True))):
        assert terse.startswith(opening.removesuffix("Request:"))  # the reading of the block is shared
    assert call_opening("get_limits", terse=True).endswith("Request: caps?\nCall: get_limits()\n\nRequest:")
    assert reply_opening("greeting", terse=True).endswith("Request: hello\nCall: reply(greeting)\n\nRequest:")
