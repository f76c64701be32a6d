"""One turn of the conversation: the agent plans; a read runs at once, an action becomes a proposal.

Both the command line (`ask`) and the TUI's chat go through here. Nothing is signed on this
path: an action comes back as a reviewed proposal for the user to approve or deny.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from agentwallet import tools
from agentwallet.actions import history as history_module
from agentwallet.actions import pipeline
from agentwallet.actions.entries import moved, recipient
from agentwallet.actions.history import HistoryEntry
from agentwallet.actions.arguments import normalise_arguments
from agentwallet.actions.proposal import Proposal
from agentwallet.actions.review import Review
from agentwallet.actions.wallet import Wallet
from agentwallet.agent import Agent, Contact, KnownToken, Plan, WalletContext
from agentwallet import untrusted
from agentwallet.units import ETH_DECIMALS, NATIVE_UNITS, duration_text, format_amount, moment

DEFAULT_HISTORY_LIMIT = 5


@dataclass(frozen=True)
class Turn:
    plan: Plan
    answer: str | None = None  # a reply's text (the model's), or the fact the model chose for a read
    tool_result: str | None = None  # the data a read tool returned (JSON), shown beside the answer
    review: Review | None = None  # for actions: the proposal, journaled and simulated


def wallet_context(wallet: Wallet) -> WalletContext:
    return WalletContext(
        contacts=tuple(Contact(name, address) for name, address in sorted(wallet.config.contacts.items())),
        tokens=tuple(KnownToken(t.symbol, t.address, t.decimals) for t in wallet.config.tokens),
    )


def plan(agent: Agent, wallet: Wallet, request: str) -> Plan:
    return agent.plan(request, wallet_context(wallet))


def take_turn(agent: Agent, wallet: Wallet, request: str, stream: Callable[[str], None] | None = None,
              progress: Callable[[str], None] = lambda _: None) -> Turn:
    return respond(agent, wallet, request, plan(agent, wallet, request), stream, progress)


def respond(agent: Agent, wallet: Wallet, request: str, planned: Plan, stream: Callable[[str], None] | None = None,
            progress: Callable[[str], None] = lambda _: None) -> Turn:
    """Carry a plan one step: answer a read at once, or journal and simulate an action."""
    if not tools.BY_NAME[planned.tool].is_proposal:
        if planned.tool == "reply":
            text = str(planned.args.get("text") or "")
            if stream and text:
                stream(text)
            return Turn(planned, answer=text)
        data = read_data(wallet, planned)
        return Turn(planned, answer=agent.answer(request, facts(planned.tool, data), stream),
                    tool_result=json.dumps(data, ensure_ascii=True))
    args = normalise_arguments(wallet, planned.tool, dict(planned.args))
    proposal = Proposal(tool=planned.tool, args=args, rationale=planned.rationale, request=request,
                        chain_id=wallet.config.chain_id, guardrail=wallet.guardrail.address)
    return Turn(planned, review=pipeline.propose(wallet, proposal, progress))


def read_data(wallet: Wallet, planned: Plan) -> dict[str, object] | list[dict[str, str]]:
    """What a read tool found, in a person's units: amounts carry their unit and recipients
    their contact name (a small model cannot convert wei or look up an address)."""
    unit = _token_units(wallet)
    if planned.tool == "get_balances":
        data: object = {unit(b.token)[0]: format_amount(b.amount, b.decimals) for b in wallet.balances()}
    elif planned.tool == "get_limits":
        limits = wallet.limits()
        native = limits.native
        policy: dict[str, object] = {
            "paused": limits.paused,
            "agent key revoked": native.revoked,
            "limits expire": moment(native.valid_until) if native.valid_until else "never",
            "limits expired": bool(native.valid_until) and native.valid_until <= wallet.chain_time(),
            "ETH per transaction": f"{format_amount(native.per_tx_max, ETH_DECIMALS)} ETH",
            "ETH per period": f"{format_amount(native.allowance, ETH_DECIMALS)} ETH",
            "period": _duration(native.period),
            "ETH the agent can send now": f"{format_amount(limits.remaining_native, ETH_DECIMALS)} ETH",
        }
        for entry, _, remaining in limits.tokens:
            label = unit(entry.address)[0]
            policy[f"{label} the agent can send now"] = f"{format_amount(remaining, entry.decimals)} {label}"
        data = policy
    else:
        limit = int(planned.args.get("limit") or DEFAULT_HISTORY_LIMIT)
        names = {address: name for name, address in wallet.config.contacts.items()}
        data = [_history_item(entry, unit, names) for entry in history_module.history(wallet, limit)]
    return data


MAX_FACTS = 20  # what the model chooses from; the person sees all the data beside the answer


def facts(tool: str, data: dict[str, object] | list[dict[str, str]]) -> list[str]:
    """The read data as sentences that are true by construction, for the model to choose from:
    it answers with one of them, word for word, and can say nothing else."""
    if tool == "get_balances":
        found = [f"The vault holds {amount} {label}." for label, amount in data.items()] or ["The vault is empty."]
    elif tool == "get_limits":
        blocked = _blocked(data)
        found = blocked or ["The agent is not paused."]
        if data["period"] == "0 seconds":
            found.append("No ETH limits are set: the agent can send no ETH.")
        else:
            found.append(f"The agent may send at most {data['ETH per transaction']} per transaction.")
            found.append(f"The agent may send at most {data['ETH per period']} every {data['period']}.")
        if data["limits expire"] != "never" and not data["limits expired"]:
            found.append(f"The agent's limits expire on {data['limits expire']}.")
        if not blocked:  # blocked, the guardrail's figures may still show what its limits would allow
            found += [f"Right now its limits let the agent send {amount}." for key, amount in data.items()
                      if key.endswith(" the agent can send now")]
    else:
        found = [_history_fact(item) for item in data] or ["Nothing has happened yet: the history is empty."]
    return found[:MAX_FACTS]


def _blocked(limits: dict[str, object]) -> list[str]:
    """Each reason the agent can send nothing at all, if it cannot."""
    reasons = []
    if limits["paused"]:
        reasons.append("The agent is paused: it can send nothing until you resume it.")
    if limits["agent key revoked"]:
        reasons.append("The agent's key is revoked: it can send nothing.")
    if limits["limits expired"]:
        reasons.append(f"The agent's limits expired on {limits['limits expire']}: "
                       "it can send nothing until new ones are set.")
    return reasons


_DONE = {"executed": "was carried out", "denied": "was denied", "failed": "failed"}


def _history_fact(item: dict[str, str]) -> str:
    if item["amount"] != "-" and item["to"] != "-":
        what = f"A payment of {item['amount']} to {item['to']}"
    else:
        what = {"set_limits": "A change of the ETH limits", "set_token_limits": "A change of a token's limits",
                "pause": "Pausing the agent", "resume": "Resuming the agent"}.get(item["what"], f"An action ({item['what']})")
    return f"{what} {_DONE.get(item['status'], 'is ' + item['status'])} on {item['when']}."


_PLAIN_SYMBOL = re.compile(r"[A-Za-z][A-Za-z0-9]{0,15}")


def _token_units(wallet: Wallet) -> Callable[[str | None], tuple[str, int]]:
    """(label, decimals) of a token address, ETH's for None. A symbol is whatever the token's
    deployer chose, so the label is the symbol only when it is a plain one (a letter, then letters
    and digits), names none of ETH's units and no other token's, as a person reads it (full-width
    ＥＴＨ is ETH, $ETH and E-T-H are too); otherwise the cleaned symbol in quotes and the address."""
    cleaned = {t.address: untrusted.label(t.symbol) for t in wallet.config.tokens}
    read_as = {address: re.sub(r"[^a-z0-9]", "", symbol.casefold()) for address, symbol in cleaned.items()}
    said = list(read_as.values())

    def label(address: str) -> str:
        symbol = cleaned[address]
        plain = (_PLAIN_SYMBOL.fullmatch(symbol) is not None and read_as[address] not in NATIVE_UNITS
                 and said.count(read_as[address]) == 1)
        return symbol if plain else f'"{symbol}" ({address})'

    units = {t.address: (label(t.address), t.decimals) for t in wallet.config.tokens}
    return lambda token: ("ETH", ETH_DECIMALS) if token is None else units.get(token, (token, 0))


def _history_item(entry: HistoryEntry, unit: Callable[[str | None], tuple[str, int]],
                  names: dict[str, str]) -> dict[str, str]:
    token, amount, _ = moved(entry)
    to = recipient(entry)
    label, decimals = unit(token)
    return {
        "status": entry.status,
        "what": entry.tool or entry.kind,
        "to": names.get(to, to) if to else "-",
        "amount": f"{format_amount(amount, decimals)} {label}" if amount else "-",
        "when": entry.timestamp.replace("T", " ").replace("Z", " UTC"),
    }


def _duration(seconds: int) -> str:
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds and seconds % size == 0:
            return duration_text(str(seconds // size), unit)
    return duration_text(str(seconds), "second")
