"""What a request asks to be paid: recipient–amount–asset mentions, read from its words.

"pay alice 0.02 eth and bob 5 usdc" asks for two payments, alice 0.02 ETH and bob 5 USDC;
"0.1 eth each to alice and bob" for two of 0.1 ETH; "split 30 usdc between alice, bob and
carol" for three of 10 USDC; "give bob half an eth" for 0.5 ETH (units.NUMBER_WORDS). The
review checks proposals and plans against these pairs (each paid exactly once, nothing else
paid) and the agent plans from them (agent/choices.py offers the same numbers), so both
read a request the same way. Text in quotes, or text the request gives to be read, summarised
or translated, is data: what it names is kept apart (`quoted`), never read as asked. What
cannot be read as exact payments (a sign, a zero, more decimals than the asset has, a split
that does not come out even, one amount for several people without "each" or "split") is a
problem, said in words; nothing is guessed around it.

Plain values in, plain values out: the contacts and tokens are given, nothing is looked up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from agentwallet.errors import WalletError
from agentwallet.units import (
    DECIMAL_IN_TEXT,
    DURATION_IN_TEXT,
    NATIVE_UNITS,
    NUMBER_WORDS_IN_TEXT,
    PERIOD_UNITS,
    format_amount,
    number_in_words,
    parse_address,
    parse_amount,
    period_unit,
)

ETH = "ETH"  # the asset ether is; a token's asset is its address


@dataclass(frozen=True)
class Token:
    symbol: str  # untrusted chain data, matched only as a whole word
    address: str
    decimals: int


@dataclass(frozen=True)
class Amount:
    """An amount as written: "0.02 eth". `asset` and `base_units` are None when the unit names
    nothing the wallet holds ("5 dai" without a DAI, "5" with no unit)."""
    number: str  # without thousands separators
    unit: str  # as written; "" when none is
    asset: str | None
    base_units: int | None
    decimals: int = 0

    def __str__(self) -> str:
        return f"{self.number} {self.unit}".strip()


@dataclass(frozen=True)
class Mention:
    """One payment the request asks for."""
    to: str  # the address, EIP-55 where it is a valid one
    name: str  # as the request names them: a contact's name, or the address
    amount: Amount  # for a split, the share
    said: str  # the words it was read from: "0.1 eth each to alice and bob"

    def __str__(self) -> str:
        return f"{self.amount} to {self.name}"


@dataclass(frozen=True)
class Reading:
    mentions: tuple[Mention, ...]  # the payments asked for, in the order the request says them
    loose: tuple[Amount, ...]  # amounts said for nobody in particular: limits, or "send 0.5 eth"
    named: Mapping[str, str]  # address -> name of everyone named outside data, paid or not
    quoted: Mapping[str, str]  # address -> name of those named only in data
    quoted_amounts: tuple[Amount, ...]  # amounts that stand only in data
    durations: tuple[tuple[int, str], ...]  # (seconds, as written) of lengths of time outside data
    whole_numbers: frozenset[int]  # numbers outside data written with no unit (a period in seconds)
    problems: tuple[str, ...]  # what cannot be read as exact payments, in words
    clauses: tuple[str, ...] = field(default=())  # the request's parts ("then", ";", "."), data left out


def read_request(text: str, contacts: Mapping[str, str], tokens: Iterable[Token]) -> Reading:
    """The mentions in `text`, given the wallet's contacts (name -> address) and tokens."""
    tokens = tuple(tokens)
    data = data_spans(text)
    plain = _blank(text, data)
    items = _items(plain, contacts, tokens)
    problems: list[str] = []
    mentions: list[Mention] = []
    loose: list[Amount] = []
    clauses: list[str] = []
    for clause in _clauses(items):
        found, unbound, trouble = _read_clause(plain, clause)
        mentions += found
        loose += unbound
        problems += trouble
        if clause:
            clauses.append(plain[clause[0].start:clause[-1].end].strip())
    problems += [item.problem for item in items if item.problem]
    named = {item.to: item.name for item in items if item.kind == "recipient" and not item.negated}
    quoted_items = [item for start, end in data for item in _items(text[start:end], contacts, tokens)]
    quoted = {item.to: item.name for item in quoted_items if item.kind == "recipient" and item.to not in named}
    said_amounts = {(a.asset, a.base_units) for a in (*loose, *(m.amount for m in mentions))}
    quoted_amounts = tuple(item.amount for item in quoted_items if item.kind == "amount" and item.amount
                           and (item.amount.asset, item.amount.base_units) not in said_amounts)
    durations = tuple((item.seconds, item.text) for item in items if item.kind == "duration")
    whole = frozenset(int(item.amount.number) for item in items
                      if item.kind == "amount" and not item.amount.unit and item.amount.number.isdigit())
    return Reading(tuple(mentions), tuple(loose), named, quoted, quoted_amounts, durations, whole,
                   tuple(dict.fromkeys(problems)), tuple(clauses))


# ------------------------------------------------------------------ data inside the request

_QUOTE_PAIRS = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’", "「": "」", "'": "'"}
# Asking for text to be worked on, not obeyed: what follows is that text.
_READ_VERBS = re.compile(
    r"\b(summari[sz]e|summary of|tl;?dr|translate|translation of|paraphrase|proofread|rephrase|rewrite|"
    r"interpret|read (?:this|that|the following|out|me this|it out))\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;!?](?:\s|$)|\n|\bthen\b", re.IGNORECASE)


def data_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each part of `text` that is data: inside quotes (an unclosed quote runs to
    the end), or what a request to summarise, translate or read gives: after a colon to the end,
    else to the end of its sentence."""
    spans: list[tuple[int, int]] = []
    at = 0
    while at < len(text):
        opening = next((i for i in range(at, len(text)) if _opens_quote(text, i)), None)
        if opening is None:
            break
        close = _closing_quote(text, opening)
        spans.append((opening, close))
        at = close
    for verb in _READ_VERBS.finditer(text):
        if _inside(verb.start(), spans):
            continue
        rest = verb.end()
        colon = text.find(":", rest)
        end_of_sentence = _CLAUSE_END.search(text, rest)
        stop = end_of_sentence.start() if end_of_sentence else len(text)
        if colon != -1 and colon < stop + 1:
            spans.append((colon + 1, len(text)))
        else:
            spans.append((rest, stop))
    return _merged(spans)


def _opens_quote(text: str, i: int) -> bool:
    char = text[i]
    if char not in _QUOTE_PAIRS:
        return False
    if char == "'":  # an apostrophe ("don't", "bob's") is not a quote
        return (i == 0 or text[i - 1] in " \t([{:") and text.find("'", i + 1) != -1
    return True


def _closing_quote(text: str, opening: int) -> int:
    close = _QUOTE_PAIRS[text[opening]]
    at = opening + 1
    while True:
        found = text.find(close, at)
        if found == -1:
            return len(text)
        after = text[found + 1:found + 2]
        if close != "'" or not after or not after.isalnum():
            return found + 1
        at = found + 1


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with its data replaced by a mark that nothing reads across."""
    for start, end in reversed(spans):
        text = text[:start] + " ¶" + " " * max(end - start - 2, 0) + text[end:]
    return text


# ------------------------------------------------------------------ items: what the words are

@dataclass
class _Item:
    kind: str  # recipient | amount | duration | word | mark
    start: int
    end: int
    text: str  # casefolded for words and marks
    to: str = ""
    name: str = ""
    amount: Amount | None = None
    sign: str = ""
    seconds: int = 0
    negated: bool = False
    problem: str = ""


_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}(?![0-9A-Za-z])")
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?e[+-]?\d+(?!\w)", re.IGNORECASE)
_NUMBER = re.compile(rf"(?P<sign>[-−+] ?)?(?P<number>{DECIMAL_IN_TEXT})")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_MARK = re.compile(r"[,;.!?:&¶\n]")
_NEGATIONS = ("not", "except", "excluding", "without", "instead of", "rather than", "but not", "never")


def _items(text: str, contacts: Mapping[str, str], tokens: tuple[Token, ...]) -> list[_Item]:
    names = sorted(((name, address) for name, address in contacts.items() if name.strip()),
                   key=lambda pair: len(pair[0]), reverse=True)
    contact_pattern = (re.compile("|".join(rf"(?<![\w@]){re.escape(name)}(?![\w])" for name, _ in names),
                                  re.IGNORECASE) if names else None)
    by_name = {name.casefold(): (name, address) for name, address in names}
    units = _units(tokens)
    items: list[_Item] = []
    at = 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        if found := _ADDRESS.match(text, at):
            items.append(_recipient(found.group(), found.group(), found.start(), found.end()))
        elif contact_pattern and (found := contact_pattern.match(text, at)):
            name, address = by_name[found.group().casefold()]
            # "for alice's birthday" names alice, but not as the one paid
            possessive = bool(re.match(r"['’]s\b", text[found.end():]))
            items.append(_Item("word" if possessive else "recipient", found.start(), found.end(),
                               found.group().casefold(), to=_address(address), name=name))
        elif (found := _SCIENTIFIC.match(text, at)) and _starts_word(text, at):
            items.append(_Item("word", found.start(), found.end(), found.group(), problem=(
                f"{found.group()} is written in scientific notation: write the number out, like 1 eth")))
        elif (found := _NUMBER.match(text, at)) and _starts_word(text, at) and _number_ends(text, found.end()):
            items.append(_number(text, found, units))
        elif (found := NUMBER_WORDS_IN_TEXT.match(text, at)) and (worded := _number_in_words(text, found, units)):
            items.append(worded)
        elif found := _WORD.match(text, at):
            items.append(_Item("word", found.start(), found.end(), found.group().casefold()))
        elif found := _MARK.match(text, at):
            items.append(_Item("mark", found.start(), found.end(), found.group()))
        else:
            at += 1  # a character that means nothing here
            continue
        at = max(found.end(), items[-1].end)  # a number's item runs on over its unit
    _mark_negations(items)
    return items


def _starts_word(text: str, at: int) -> bool:
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "._")


def _number_ends(text: str, end: int) -> bool:
    return end == len(text) or not (text[end].isdigit() or text[end] == "." and text[end + 1:end + 2].isdigit())


def _address(address: str) -> str:
    try:
        return parse_address(address)
    except WalletError:
        return address  # a mistyped checksum: kept as written, so it matches nothing


def _recipient(written: str, name: str, start: int, end: int) -> _Item:
    return _Item("recipient", start, end, written, to=_address(written), name=name)


def _units(tokens: tuple[Token, ...]) -> list[tuple[str, str, int]]:
    """(spelling casefolded, asset, decimals) of every unit the wallet can pay in, longest first.
    A token whose symbol is ETH's own name, or that two tokens share, is no asset: which one
    would be meant cannot be told."""
    native = [(unit, ETH, decimals) for unit, decimals in NATIVE_UNITS.items()]
    seen: dict[str, list[Token]] = {}
    for token in tokens:
        spelling = " ".join(token.symbol.split()).casefold()
        if spelling and spelling not in NATIVE_UNITS:
            seen.setdefault(spelling, []).append(token)
    found = [(spelling, same[0].address if len(same) == 1 else "", same[0].decimals) for spelling, same in seen.items()]
    return sorted(native + found, key=lambda unit: len(unit[0]), reverse=True)


def _number(text: str, found: re.Match, units: list[tuple[str, str, int]]) -> _Item:
    sign = (found.group("sign") or "").strip()
    number = found.group("number").replace(",", "")
    start = found.start() if sign else found.start("number")
    if duration := DURATION_IN_TEXT.match(text, found.start("number")):
        count, word = duration.groups()
        seconds = int(count) * PERIOD_UNITS[period_unit(word)]
        return _Item("duration", start, duration.end(), duration.group(), seconds=seconds)
    after = found.end()
    for spelling, asset, decimals in units:
        unit = re.compile(rf"\s?({re.escape(spelling)})(?![\w])", re.IGNORECASE).match(text, after)
        if unit:
            return _amount_item(text[start:unit.end()], start, unit.end(), sign, number, unit.group(1),
                                asset or None, decimals)
    return _amount_item(text[start:after], start, after, sign, number, "", None, 0)


def _number_in_words(text: str, found: re.Match, units: list[tuple[str, str, int]]) -> _Item | None:
    """ "half an eth" as the amount 0.5 eth: only with a unit right after it (units.NUMBER_WORDS)."""
    number = number_in_words(text, found)
    for spelling, asset, decimals in units if number else ():
        unit = re.compile(rf"\s+({re.escape(spelling)})(?![\w])", re.IGNORECASE).match(text, found.end())
        if unit:
            return _amount_item(text[found.start():unit.end()], found.start(), unit.end(), "", number, unit.group(1),
                                asset or None, decimals)
    return None


def _amount_item(written: str, start: int, end: int, sign: str, number: str, unit: str, asset: str | None,
                 decimals: int) -> _Item:
    item = _Item("amount", start, end, written, sign=sign)
    base: int | None = None
    if sign:
        item.problem = f"the request writes {written}: an amount with a sign is never read as a payment"
    elif asset is not None:
        try:
            base = parse_amount(number, decimals, unit)
        except WalletError as error:
            item.problem = str(error)
    item.amount = Amount(number, unit, asset, base, decimals)
    return item


def _mark_negations(items: list[_Item]) -> None:
    """A recipient after "not", "except", "instead of" … is named to be left out, not paid."""
    for index, item in enumerate(items):
        if item.kind != "recipient":
            continue
        before = " ".join(other.text for other in items[max(index - 3, 0):index] if other.kind == "word")
        item.negated = any(re.search(rf"\b{negation}$", before) for negation in _NEGATIONS)


# ------------------------------------------------------------------ clauses and their pairs

_CLAUSE_MARKS = {";", ".", "!", "?", "\n"}
_LIST_JOINS = {",", "and", "&", "plus"}
_TOWARDS = {"to", "for", "between", "among", "amongst", "with", "into"}
EACH_WORDS = {"each", "apiece", "both", "everyone", "everybody", "per person", "a head", "a piece"}
SPLIT_VERBS = {"split", "divide", "share", "splitting", "divided", "shared", "dividing", "sharing"}
SPLIT_WORDS = {"evenly", "equally", "total", "together", "altogether"}
_FILLER_LIMIT = 4  # words between an amount and its recipients


def _clauses(items: list[_Item]) -> list[list[_Item]]:
    clauses: list[list[_Item]] = [[]]
    for item in items:
        if (item.kind == "mark" and item.text in _CLAUSE_MARKS) or (item.kind == "word" and item.text == "then"):
            clauses.append([])
        else:
            clauses[-1].append(item)
    return [clause for clause in clauses if clause]


@dataclass
class _Group:
    kind: str  # recipients | amounts
    members: list[_Item]
    first: int  # index of its first and last item in the clause
    last: int
    alternatives: bool = False  # joined by "or"


@dataclass
class _Binding:
    amounts: list[_Item]
    recipients: list[_Item]

    @property
    def items(self) -> list[_Item]:
        return self.amounts + self.recipients


def _groups(clause: list[_Item]) -> list[_Group]:
    """Recipients and amounts, each run of them joined by "," / "and" as one list."""
    groups: list[_Group] = []
    for index, item in enumerate(clause):
        kind = {"recipient": "recipients", "amount": "amounts"}.get(item.kind)
        if kind is None or item.negated or item.amount is not None and item.problem:
            continue
        if groups and groups[-1].kind == kind:
            between = clause[groups[-1].last + 1:index]
            if all(other.text in _LIST_JOINS | {"or"} for other in between):
                groups[-1].members.append(item)
                groups[-1].last = index
                groups[-1].alternatives |= any(other.text == "or" for other in between)
                continue
        groups.append(_Group(kind, [item], index, index))
    return groups


def _read_clause(text: str, clause: list[_Item]) -> tuple[list[Mention], list[Amount], list[str]]:
    words = {item.text for item in clause if item.kind == "word"}
    groups = _groups(clause)
    bindings, problems = _bind(clause, groups)
    mentions: list[Mention] = []
    bound: set[int] = set()
    for binding in bindings:
        if any(group.alternatives and binding.recipients[0] in group.members for group in groups):
            continue  # "alice or bob": said below
        said = text[min(item.start for item in binding.items):max(item.end for item in binding.items)]
        found, trouble = _mentions(binding, _share(clause, binding, words), said)
        mentions += found
        problems += trouble
        bound |= {id(item) for item in binding.amounts}
    for group in groups:
        if group.kind == "recipients" and group.alternatives:
            problems.append(f"the request says {' or '.join(m.name for m in group.members)}: say who is to be paid")
    loose = [item.amount for item in clause if item.kind == "amount" and id(item) not in bound and not item.problem
             and item.amount and item.amount.unit]
    return mentions, loose, problems


def _bind(clause: list[_Item], groups: list[_Group]) -> tuple[list[_Binding], list[str]]:
    """Which amounts go to which recipients: "A to R" first, then "R A"; where an amount list and
    a recipient list both reach across ("0.02 eth to alice and bob 5 usdc", "alice 0.02 eth and
    5 usdc to bob"), the last member after "and" goes with the other side."""
    claims: list[tuple[_Group, _Group, str]] = []  # (amounts, recipients, direction)
    for index, group in enumerate(groups):
        if group.kind != "amounts":
            continue
        forward = groups[index + 1] if index + 1 < len(groups) else None
        backward = groups[index - 1] if index else None
        if forward and forward.kind == "recipients" and _reaches(clause[group.last + 1:forward.first], forward=True):
            claims.append((group, forward, "forward"))
        if backward and backward.kind == "recipients" and _reaches(clause[backward.last + 1:group.first],
                                                                   forward=False):
            claims.append((group, backward, "backward"))
    bindings: list[_Binding] = []
    problems: list[str] = []
    by_amounts: dict[int, list[tuple[_Group, str]]] = {}
    by_recipients: dict[int, list[_Group]] = {}
    for amounts, recipients, direction in claims:
        by_amounts.setdefault(id(amounts), []).append((recipients, direction))
        by_recipients.setdefault(id(recipients), []).append(amounts)
    taken: dict[int, list[_Item]] = {}  # recipients group -> the members left to it
    for amounts, recipients, direction in claims:
        both_sides = by_amounts[id(amounts)]
        rivals = by_recipients[id(recipients)]
        members_a, members_r = list(amounts.members), list(recipients.members)
        if len(both_sides) == 2:  # "alice 0.02 eth and 5 usdc to bob": split the amounts
            if len(members_a) < 2:
                if direction == "forward":
                    names = _names([m for group, _ in both_sides for m in group.members])
                    problems.append(f"the request names {names} for {members_a[0].amount}: say who is paid")
                continue
            members_a = members_a[-1:] if direction == "forward" else members_a[:-1]
        if len(rivals) == 2:  # "0.02 eth to alice and bob 5 usdc": split the recipients
            if len(members_r) < 2:
                if direction == "forward":
                    amounts = " and ".join(str(m.amount) for group in rivals for m in group.members)
                    problems.append(f"the request gives {members_r[0].name} {amounts}: say which is meant")
                continue
            members_r = members_r[:-1] if direction == "forward" else members_r[-1:]
        if any(id(m) in map(id, taken.get(id(recipients), [])) for m in members_r):
            problems.append(f"the request gives {_names(members_r)} more than one amount: say which is whose")
            continue
        taken.setdefault(id(recipients), []).extend(members_r)
        bindings.append(_Binding(members_a, members_r))
    return sorted(bindings, key=lambda binding: binding.amounts[0].start), problems


def _reaches(between: list[_Item], forward: bool) -> bool:
    """Whether an amount reaches recipients across these items: after it through "to", "for",
    "between" ("5 usdc over to bob"), or before it directly ("pay alice 0.02 eth", "alice needs
    2.5 eth"); never across "and", a comma or data."""
    texts = [item.text for item in between]
    crossable = {":"} if forward else set()  # "1 usdc to everyone: alice, bob and carol"
    if any(item.kind != "word" and item.text not in crossable or item.text in {"and", "or"} for item in between):
        return False
    if len(texts) > _FILLER_LIMIT:
        return False
    if forward:
        return any(text in _TOWARDS for text in texts)
    return not any(text in _TOWARDS for text in texts)


def _share(clause: list[_Item], binding: _Binding, words: set[str]) -> str:
    """How one amount goes to several recipients: "each", "split", or "" when the request does not say."""
    positions = [clause.index(item) for item in binding.items]
    near = clause[max(min(positions) - 3, 0):max(positions) + 4]
    near_text = " ".join(item.text for item in near if item.kind == "word")
    if words & SPLIT_VERBS or words & SPLIT_WORDS or "between them" in near_text or "in total" in near_text:
        return "split"
    if any(re.search(rf"\b{each}\b", near_text) for each in EACH_WORDS):
        return "each"
    return ""


def _mentions(binding: _Binding, share: str, said: str) -> tuple[list[Mention], list[str]]:
    recipients, count = binding.recipients, len(binding.recipients)
    if count > 1 and not share:
        amounts = " and ".join(str(item.amount) for item in binding.amounts)
        return [], [f"the request gives {amounts} for {_names(recipients)} without saying whether each gets it "
                    "or they share it: say \"each\" or \"split\""]
    mentions: list[Mention] = []
    problems: list[str] = []
    for item in binding.amounts:
        amount = item.amount
        if amount.base_units == 0:  # a zero limit is a limit; a zero payment is nothing
            problems.append(f"{amount} is nothing to pay: give an amount above zero")
            continue
        if share == "split" and count > 1:
            amount, trouble = _split(amount, count)
            if trouble:
                problems.append(trouble)
                continue
        if share == "split" and re.search(r"\bwith\b", said, re.IGNORECASE) and not re.search(
                r"\b(between|among|amongst)\b", said, re.IGNORECASE):
            problems.append(f"the request splits {item.amount} with {_names(recipients)}: say whether you are one "
                            "of the shares, or who gets how much")
            continue
        mentions += [Mention(r.to, r.name, amount, said) for r in recipients]
    return mentions, problems


def _split(amount: Amount, count: int) -> tuple[Amount, str]:
    if amount.base_units is None:
        return amount, f"{amount} cannot be split exactly: the wallet knows no asset called {amount.unit!r}"
    share, rest = divmod(amount.base_units, count)
    if rest:
        return amount, f"{amount} does not split evenly {count} ways: say each one's amount"
    return Amount(format_amount(share, amount.decimals), amount.unit, amount.asset, share, amount.decimals), ""


def _names(recipients: list[_Item]) -> str:
    names = [item.name for item in recipients]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
