"""Whether the agent's calls make the payments the request asks for, each once and nothing else.

The request is read into its payments by agentwallet.mentions, the reading the review checks
plans against; here it only decides what the agent hands on. A request of several payments
whose calls miss one, or pay one twice, or pay what it does not ask, is not planned in part:
the payments left out are named, in the request's words. Nothing here makes a call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from agentwallet.agent.call import ToolCall
from agentwallet.agent.context import WalletContext
from agentwallet.mentions import ETH, Mention, Token, read_request


def uncovered(request: str, calls: Sequence[ToolCall], context: WalletContext, cut: bool = False) -> tuple[str, ...]:
    """The request's words for each payment it asks for that `calls` do not make exactly once,
    or for the whole request when the calls pay what it does not ask or it cannot be read as
    exact payments, or the amounts it names for nobody that calls which pay leave unused;
    () when they match. A single payment asked and planned for a request that could not be
    cut (`cut` False) is left to the review's pair checks, as it always was."""
    contacts = {contact.name: contact.address for contact in context.contacts}
    tokens = [Token(token.symbol, token.address, token.decimals) for token in context.tokens]
    reading = read_request(request, contacts, tokens)
    asked = reading.mentions
    paid = [payment for payment in map(_payment, calls) if payment]
    if paid and reading.problems:  # "split 10 usdc between three": whatever was paid is not what was asked
        return (request,)
    limits = [(ETH.casefold(), int(str(wei))) for call in calls if call.tool == "set_limits"
              for key, wei in call.args.items() if key.endswith("_wei")]
    used = {(asset, base) for _, asset, base in paid} | set(limits)
    left = [str(amount) for amount in reading.loose if ((amount.asset or "").casefold(), amount.base_units) not in used]
    if paid and left:  # "pay alice 0.1 eth and dave 0.2 eth" without a contact dave: 0.2 eth is for nobody
        return tuple(dict.fromkeys(left))
    if not cut and len(asked) <= 1 and len(paid) <= 1 and (paid or not asked):
        return ()
    wanted = Counter(map(_asked, asked))
    made = Counter(paid)
    missing = [mention.said for mention in asked if made[_asked(mention)] == 0]
    if missing:
        return tuple(dict.fromkeys(missing))
    return (request,) if made != wanted else ()


def _asked(mention: Mention) -> tuple[str, str, int | None]:
    return (mention.to.casefold(), (mention.amount.asset or "").casefold(), mention.amount.base_units)


def _payment(call: ToolCall) -> tuple[str, str, int | None] | None:
    """(recipient, asset, base units) of a payment, as _asked writes them; None for other calls."""
    if call.tool == "send_native":
        return (str(call.args["to"]).casefold(), ETH.casefold(), int(str(call.args["amount_wei"])))
    if call.tool == "send_token":
        return (str(call.args["to"]).casefold(), str(call.args["token"]).casefold(), int(str(call.args["amount"])))
    return None
