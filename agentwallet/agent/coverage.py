"""Whether the agent's calls do what the request asks: each payment once and nothing else, and
every other action it asks for (a pause, a resume, a change of limits).

The request is read into its payments by agentwallet.mentions, the reading the review checks
plans against; here it only decides what the agent hands on. A request of several payments
whose calls miss one, or pay one twice, or pay what it does not ask, is not planned in part:
the payments left out are named, in the request's words. The same holds for the other asks: a
part of the request whose own words ask for a pause ("pay carol 1 usdc, then pause") must have
its call among the actions planned, else that part is named. Nothing here makes a call.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from agentwallet import tools
from agentwallet.agent.call import ToolCall
from agentwallet.agent.clauses import places
from agentwallet.agent.context import WalletContext
from agentwallet.mentions import ETH, Amount, Mention, Token, data_spans, read_request

# The words by which a part of a request asks for an action that pays nobody. A part that names
# a payment is that payment, whatever else its words say ("pay alice her daily 5 usdc"); a part
# whose words ask for two of these ("stop the agent spending more than 1 eth a day") is done by
# either.
ASKS: dict[str, re.Pattern[str]] = {
    "pause": re.compile(r"(?<![\w-])(?:pause|freeze|halt|suspend|stop|block|kill[\s-]?switch|shut\b.{0,20}\bdown)"
                        r"(?![\w-])", re.IGNORECASE),
    "resume": re.compile(r"(?<![\w-])(?:resume|un-?pause|unfreeze|unblock|unsuspend|reactivate|re-?enable|restart|"
                         r"start again|wake up|turn\b.{0,20}\bback on)(?![\w-])", re.IGNORECASE),
    "set_limits": re.compile(r"(?<![\w-])(?:limits?|caps?|capped|allowance|max|maximum|at most|no more than|daily|"
                             r"a day|per day|per (?:payment|transaction|tx)|per-tx|period)(?![\w-])", re.IGNORECASE),
}


def uncovered(request: str, calls: Sequence[ToolCall], context: WalletContext, cut: bool = False) -> tuple[str, ...]:
    """The request's words for what it asks that `calls` do not do: each payment not made exactly
    once, or the whole request when the calls pay what it does not ask or it cannot be read as
    exact payments; the part that names an amount no payment or limit of the calls uses; the
    part that asks for a pause, resume or limits change that calls of actions leave out. ()
    when they match. A single payment asked and planned for a request that could not be cut
    (`cut` False) is left to the review's pair checks, as it always was."""
    contacts, tokens = _known(context)
    payments = _payments_missed(request, calls, contacts, tokens, cut)
    if payments == (request,):
        return payments
    return tuple(dict.fromkeys((*payments, *_asks_missed(request, calls, contacts, tokens))))


def beyond_one_call(request: str, context: WalletContext) -> bool:
    """Whether no one call can do all that `request` asks, so that planned as one call it could
    only be found not planned (uncovered): payments of more than one amount or asset (a call pays
    one amount, to one or to several), or a payment and, in a part of its own, an action that
    pays nobody (a pause, a change of limits)."""
    contacts, tokens = _known(context)
    mentions = read_request(request, contacts, tokens).mentions
    amounts = {(mention.amount.asset, mention.amount.base_units) for mention in mentions}
    return len(amounts) > 1 or bool(mentions and _asks(request, contacts, tokens))


def _known(context: WalletContext) -> tuple[dict[str, str], list[Token]]:
    """The wallet's contacts and tokens as the request's reader (mentions.read_request) takes them."""
    return ({contact.name: contact.address for contact in context.contacts},
            [Token(token.symbol, token.address, token.decimals) for token in context.tokens])


def parts(request: str) -> list[str]:
    """The request cut at every one of its joining words (clauses.py): the smallest parts that
    may ask for something of their own."""
    return [request[start:end].strip() for start, end in _part_spans(request)]


def _part_spans(request: str) -> list[tuple[int, int]]:
    joints = places(request)
    return list(zip([0, *(end for _, end in joints)], [*(start for start, _ in joints), len(request)], strict=True))


def _payments_missed(request: str, calls: Sequence[ToolCall], contacts: dict[str, str], tokens: list[Token],
                     cut: bool) -> tuple[str, ...]:
    reading = read_request(request, contacts, tokens)
    asked = reading.mentions
    paid = [payment for payment in map(_payment, calls) if payment]
    if paid and reading.problems:  # "split 10 usdc between three": whatever was paid is not what was asked
        return (request,)
    limits = [(ETH.casefold(), int(str(wei))) for call in calls if call.tool == "set_limits"
              for key, wei in call.args.items() if key.endswith("_wei")]
    used = {(asset, base) for _, asset, base in paid} | set(limits)
    left = [amount for amount in reading.loose if ((amount.asset or "").casefold(), amount.base_units) not in used]
    # "pay alice 0.1 eth and dave 0.2 eth" without a contact dave: "dave 0.2 eth" pays nobody;
    # "daily limit 1.5 eth, per payment 0.3 eth" planned as the daily limit alone: "per payment 0.3 eth"
    if (paid or limits) and left:
        return tuple(dict.fromkeys(_part_saying(request, amount, contacts, tokens) for amount in left))
    if not cut and len(asked) <= 1 and len(paid) <= 1 and (paid or not asked):
        return ()
    wanted = Counter(map(_asked, asked))
    made = Counter(paid)
    missing = [mention.said for mention in asked if made[_asked(mention)] == 0]
    if missing:
        return tuple(dict.fromkeys(missing))
    return (request,) if made != wanted else ()


def _part_saying(request: str, amount: Amount, contacts: dict[str, str], tokens: list[Token]) -> str:
    """The part of the request an amount for nobody stands in, or the amount where no part alone has it."""
    return next((part for part in parts(request) if amount in read_request(part, contacts, tokens).loose),
                str(amount))


def _asks_missed(request: str, calls: Sequence[ToolCall], contacts: dict[str, str],
                 tokens: list[Token]) -> tuple[str, ...]:
    """The parts whose words ask for an action other than a payment that no call does, when the
    calls make a proposal at all: a question ("what happens if I pause you") is answered, not
    planned, and a read or a reply proposes nothing that could look like the whole request."""
    if not any(tools.BY_NAME[call.tool].is_proposal for call in calls):
        return ()
    done = {call.tool for call in calls}
    return tuple(part for part, asked in _asks(request, contacts, tokens) if not asked & done)


def _asks(request: str, contacts: dict[str, str], tokens: list[Token]) -> list[tuple[str, set[str]]]:
    """Each part whose words ask for an action other than a payment, and the tools that do it."""
    plain = _without_data(request)
    found = []
    for start, end in _part_spans(plain):
        asked = {tool for tool, words in ASKS.items() if words.search(plain[start:end])}
        if asked and not read_request(request[start:end], contacts, tokens).mentions:
            found.append((request[start:end].strip(), asked))
    return found


def _without_data(request: str) -> str:
    """The request with what stands in quotes, or is given to be summarised or read, blanked (same
    length, so a part of it is a part of the request): data asks for nothing."""
    for start, end in reversed(data_spans(request)):
        request = request[:start] + " " * (end - start) + request[end:]
    return request


def _asked(mention: Mention) -> tuple[str, str, int | None]:
    return (mention.to.casefold(), (mention.amount.asset or "").casefold(), mention.amount.base_units)


def _payment(call: ToolCall) -> tuple[str, str, int | None] | None:
    """(recipient, asset, base units) of a payment, as _asked writes them; None for other calls."""
    if call.tool == "send_native":
        return (str(call.args["to"]).casefold(), ETH.casefold(), int(str(call.args["amount_wei"])))
    if call.tool == "send_token":
        return (str(call.args["to"]).casefold(), str(call.args["token"]).casefold(), int(str(call.args["amount"])))
    return None
