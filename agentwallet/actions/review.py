"""What the user sees before deciding: the wallet's own decoding of a proposal, simulated.

The summary and decoded call come from the arguments the transaction will carry, never from
the model's words. What the request asks is read into recipient–amount–asset pairs and held
against what the transaction pays (actions/coverage.py); where they differ, or where the
rationale names a different recipient or amount, that is a critical flag the user must
acknowledge. So is a payment beyond the agent's limits, which only the owner's key can make:
`--yes` acts only within the guardrail's limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from agentwallet import tools
from agentwallet.actions import registrations
from agentwallet.actions.coverage import coverage_flags, payment_of
from agentwallet.actions.figures import (
    PER_ACTION_CAP,
    Change,
    NativeLimits,
    cap_warnings,
    native_changes,
    token_changes,
    window_length,
    window_restart,
)
from agentwallet.actions.flags import Flag
from agentwallet.actions.payment import authorization_of
from agentwallet.actions.proposal import Proposal
from agentwallet.chain import tokens, transactions
from agentwallet.chain.transactions import Simulation
from agentwallet.mentions import ETH, Reading, Token, read_request
from agentwallet.units import ADDRESS_IN_TEXT, ETH_DECIMALS, format_amount

if TYPE_CHECKING:
    from web3.contract.contract import ContractFunction

    from agentwallet.actions.wallet import Wallet

DEFAULT_GAS = 200_000  # what is signed for when the simulation gave no estimate (it would revert)


@dataclass(frozen=True)
class PlannedCall:
    """One transaction: which key signs it and the guardrail call it makes."""
    signer: str  # "agent" or "owner"
    call: ContractFunction
    description: str  # the decoded call, e.g. send_native(to=0x…, amount=…)


@dataclass
class Review:
    proposal: Proposal
    summary: str
    planned: PlannedCall
    simulation: Simulation
    amount: int | None = None
    amount_text: str | None = None
    unit: str | None = None
    decimals: int = ETH_DECIMALS
    remaining_before: int | None = None  # the most one action may move now (remaining_native / _token)
    remaining_after: int | None = None
    flags: list[Flag] = field(default_factory=list)
    # A payment's allowance, in the words of actions/figures.py: what is left in the window
    # before and after it (allowance less spent; an owner execution does not count against it),
    # and the per-action cap.
    window_left_before: int | None = None
    window_left_after: int | None = None
    per_action_cap: int | None = None
    gas_cost: int | None = None  # wei the gas is likely to cost at today's fees; None if the node cannot say
    # A policy change: each figure before → after, and what it does to the spending window.
    changes: list[Change] = field(default_factory=list)
    window_note: str | None = None

    @property
    def executor(self) -> str:
        return self.planned.signer

    @property
    def critical_flags(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.critical]

    def as_json(self) -> dict:
        return {
            "action_id": self.proposal.action_id, "tool": self.proposal.tool, "args": self.proposal.args,
            "summary": self.summary, "call": self.planned.description, "executor": self.executor,
            "amount": None if self.amount is None else str(self.amount), "amount_text": self.amount_text,
            "unit": self.unit, "gas": self.simulation.gas, "would_succeed": self.simulation.ok,
            "revert_reason": self.simulation.revert_reason,
            "remaining_before": None if self.remaining_before is None else str(self.remaining_before),
            "remaining_after": None if self.remaining_after is None else str(self.remaining_after),
            "flags": [{"name": f.name, "text": f.text, "critical": f.critical} for f in self.flags],
            "rationale": self.proposal.rationale, "intent_hash": self.proposal.intent_hash,
            "window_left_before": _text(self.window_left_before), "window_left_after": _text(self.window_left_after),
            "per_action_cap": _text(self.per_action_cap), "gas_cost_wei": _text(self.gas_cost),
            "changes": [change.as_json() for change in self.changes], "window_restart": self.window_note,
        }


def _text(base_units: int | None) -> str | None:
    return None if base_units is None else str(base_units)


def review_proposal(wallet: Wallet, proposal: Proposal) -> Review:
    """One proposal, checked against its own request."""
    review = review_step(wallet, proposal)
    if not proposal.command:
        [step], whole = request_flags(wallet, proposal.request, [review])
        add_before_gas(review, step + whole)
    return review


def request_flags(wallet: Wallet, request: str, reviews: list[Review]) -> tuple[list[list[Flag]], list[Flag]]:
    """What the request asks, held against what the reviewed steps do: the flags of each step
    and of the whole (actions/coverage.py)."""
    reading = reading_of(wallet, request)
    payments = [payment_of(r.proposal.tool, r.proposal.args, _label(wallet, r)) for r in reviews]
    per_step, whole = coverage_flags(reading, payments)
    for review, flags in zip(reviews, per_step, strict=True):
        if review.proposal.tool == "set_limits":
            after = _native_policy_after(wallet, review.proposal.args)
            flags += limits_mismatch_flags(reading, review.proposal, after.per_tx_max, after.allowance, after.period)
    return per_step, whole


def reading_of(wallet: Wallet, request: str) -> Reading:
    tokens_known = [Token(t.symbol, t.address, t.decimals) for t in wallet.config.tokens]
    return read_request(request, wallet.config.contacts, tokens_known)


def _label(wallet: Wallet, review: Review) -> str:
    to = review.proposal.args.get("to")
    return f"{review.amount_text} {review.unit} to {wallet.describe_address(str(to))}" if to else review.summary


def add_before_gas(review: Review, flags: list[Flag]) -> None:
    """Flags about what was asked go before the agent's gas, which is always said last."""
    gas = [flag for flag in review.flags if flag.name == "agent_low_gas"]
    review.flags = [flag for flag in review.flags if flag.name != "agent_low_gas"] + flags + gas


def review_step(wallet: Wallet, proposal: Proposal) -> Review:
    """A proposal decoded from the transaction it makes and simulated, with the flags it has on
    its own; what its request asks is checked by the caller, for one step or a whole plan."""
    tool, args = proposal.tool, proposal.args
    if tools.BY_NAME[tool].kind == "policy":
        return _review_owner_action(wallet, proposal)
    if tool == "pay_for":
        return _review_payment(wallet, proposal)
    if tool == "send_native":
        token, decimals, unit = None, ETH_DECIMALS, "ETH"
    else:
        entry = wallet.token(str(args["token"]))
        token, decimals, unit = entry.address, entry.decimals, entry.symbol
    to, amount = str(args["to"]), int(str(args["amount_wei" if token is None else "amount"]))
    amount_text = format_amount(amount, decimals)
    summary = f"Send {amount_text} {unit} to {wallet.describe_address(to)}"
    flags: list[Flag] = []

    agent_call = _agent_transfer(wallet, proposal, token, to, amount)
    simulation = transactions.simulate(wallet.w3, agent_call.call, wallet.agent_address)
    agent = wallet.agent_address
    if token is None:
        remaining_before, policy = wallet.guardrail.remaining_native(agent), wallet.guardrail.policy(agent)
    else:
        remaining_before, policy = (wallet.guardrail.remaining_token(agent, token),
                                    wallet.guardrail.token_policy(agent, token))
    window_left = policy.allowance - policy.spent
    planned, remaining_after, window_left_after = agent_call, remaining_before - amount, window_left - amount
    if not simulation.ok:
        owner_call = _owner_transfer(wallet, proposal, token, to, amount)
        owner_simulation = transactions.simulate(wallet.w3, owner_call.call, wallet.owner_address)
        flags.append(Flag("owner_execution", f"beyond what the agent may do ({simulation.revert_reason}): "
                                             "approving sends it from your owner key", critical=True))
        planned, simulation = owner_call, owner_simulation
        remaining_after, window_left_after = remaining_before, window_left
    if wallet.guardrail.paused():
        flags.append(Flag("paused", "the wallet is paused: the agent can move nothing", critical=True))
    flags += _lost_recipient_flags(wallet, to, token)
    if to not in wallet.config.contacts.values() and not wallet.paid_before(to):
        flags.append(Flag("new_recipient", f"{to} is not a contact and was never paid before"))
    if wallet.w3.eth.get_code(to):
        flags.append(Flag("contract_recipient", f"{to} is a contract, not a person's account"))
    flags += rationale_mismatch_flags(wallet, proposal, to, amount, amount_text, unit)
    flags += _gas_flags(wallet, planned, simulation)
    return Review(proposal, summary, planned, simulation, amount, amount_text, unit, decimals,
                  max(remaining_before, 0), max(remaining_after, 0), flags,
                  window_left_before=max(window_left, 0), window_left_after=max(window_left_after, 0),
                  per_action_cap=policy.per_tx_max, gas_cost=_gas_cost(wallet, simulation))


def _review_payment(wallet: Wallet, proposal: Proposal) -> Review:
    """An x402 payment is counted as a token transfer, so its figures are a transfer's; beyond the
    limits the guardrail itself refuses it: a payment is never offered to the owner's key."""
    token, authorization = authorization_of(wallet, proposal.args)
    entry = wallet.token(token)
    to, amount = authorization.payee, authorization.value
    amount_text = format_amount(amount, entry.decimals)
    summary = f"Pay {amount_text} {entry.symbol} to {wallet.describe_address(to)} for {proposal.args['url']}"
    call = wallet.guardrail.authorize_payment(token, authorization, proposal.action_id, proposal.intent_hash)
    planned = PlannedCall("agent", call, (f"Guardrail.authorize_payment(token={token}, to={to}, amount={amount}, "
                                          f"valid_before={authorization.valid_before}, "
                                          f"nonce=0x{authorization.nonce.hex()})"))
    simulation = transactions.simulate(wallet.w3, call, wallet.agent_address)
    agent = wallet.agent_address
    remaining = wallet.guardrail.remaining_token(agent, token)
    policy = wallet.guardrail.token_policy(agent, token)
    window_left = policy.allowance - policy.spent
    flags: list[Flag] = []
    if not simulation.ok:
        flags.append(Flag("refused_by_guardrail", f"the guardrail refuses it ({simulation.revert_reason}): "
                                                  "approving pays nothing"))
    if wallet.guardrail.paused():
        flags.append(Flag("paused", "the wallet is paused: the agent can move nothing", critical=True))
    if to not in wallet.config.contacts.values() and not wallet.paid_before(to):
        flags.append(Flag("new_recipient", f"{to} is not a contact and was never paid before"))
    flags += _lost_recipient_flags(wallet, to, token)
    flags += _gas_flags(wallet, planned, simulation)
    paid = amount if simulation.ok else 0
    return Review(proposal, summary, planned, simulation, amount, amount_text, entry.symbol, entry.decimals,
                  max(remaining, 0), max(remaining - paid, 0), flags,
                  window_left_before=max(window_left, 0), window_left_after=max(window_left - paid, 0),
                  per_action_cap=policy.per_tx_max, gas_cost=_gas_cost(wallet, simulation))


def _gas_cost(wallet: Wallet, simulation: Simulation) -> int | None:
    return transactions.likely_cost(wallet.w3, simulation.gas) if simulation.gas else None


# Where what is sent can never be spent again: the zero address, the usual "dead" burn
# addresses, and the precompiled contracts 0x01-0x0a (they keep any ETH sent to them).
BURN_ADDRESSES = frozenset({
    "0x" + "0" * 40, "0x000000000000000000000000000000000000dead", "0xdead000000000000000042069420694206942069",
    *(f"0x{number:040x}" for number in range(1, 11)),
})


def _lost_recipient_flags(wallet: Wallet, to: str, token: str | None) -> list[Flag]:
    """Critical flags for a recipient that cannot be the person meant: funds sent there are lost,
    or go nowhere."""
    if to.lower() in BURN_ADDRESSES:
        return [Flag("burn_address", f"{to} is a burn address: nobody can ever spend what is sent there",
                     critical=True)]
    if to == wallet.guardrail.address:
        return [Flag("vault_recipient", f"{to} is the vault itself: nothing would leave it, so this pays no one",
                     critical=True)]
    if to == token:
        return [Flag("token_contract_recipient", f"{to} is the token's own contract: tokens sent there are "
                                                 "usually lost for good", critical=True)]
    return []


def _gas_flags(wallet: Wallet, planned: PlannedCall, simulation: Simulation) -> list[Flag]:
    if planned.signer != "agent":
        return []
    short = agent_gas_shortfall(wallet, simulation.gas or DEFAULT_GAS)
    return [Flag("agent_low_gas", f"{short}: approving it fails, nothing is sent")] if short else []


def agent_gas_shortfall(wallet: Wallet, gas: int) -> str | None:
    """What is missing when the agent cannot pay for a transaction of `gas` (the node would
    refuse it), or None when it can, or when the node cannot say what gas costs (signing will)."""
    needed = transactions.most_it_can_cost(wallet.w3, gas)
    have = transactions.balance_or_none(wallet.w3, wallet.agent_address)
    if needed is None or have is None or have >= needed:  # the node could not say: sending will say why
        return None
    return (f"the agent holds {format_amount(have, ETH_DECIMALS)} ETH for gas and this may cost up to "
            f"{format_amount(needed, ETH_DECIMALS)} ETH; send ETH to the agent {wallet.agent_address}")


def _agent_transfer(wallet: Wallet, proposal: Proposal, token: str | None, to: str, amount: int) -> PlannedCall:
    aid, ih = proposal.action_id, proposal.intent_hash
    if token is None:
        return PlannedCall("agent", wallet.guardrail.send_native(to, amount, aid, ih),
                           f"Guardrail.send_native(to={to}, amount={amount})")
    return PlannedCall("agent", wallet.guardrail.send_token(token, to, amount, aid, ih),
                       f"Guardrail.send_token(token={token}, to={to}, amount={amount})")


def _owner_transfer(wallet: Wallet, proposal: Proposal, token: str | None, to: str, amount: int) -> PlannedCall:
    aid, ih = proposal.action_id, proposal.intent_hash
    if token is None:
        return PlannedCall("owner", wallet.guardrail.owner_execute(to, amount, b"", aid, ih),
                           f"Guardrail.owner_execute(target={to}, amount={amount}, data=0x)")
    data = tokens.transfer_calldata(wallet.w3, token, to, amount)
    return PlannedCall("owner", wallet.guardrail.owner_execute(token, 0, data, aid, ih),
                       f"Guardrail.owner_execute(target={token}, amount=0, data=transfer(to={to}, amount={amount}))")


def _review_owner_action(wallet: Wallet, proposal: Proposal) -> Review:
    call, text, summary = POLICY_CALLS[proposal.tool](wallet, proposal.args)
    planned = PlannedCall("owner", call, text)
    simulation = transactions.simulate(wallet.w3, call, wallet.owner_address)
    what = _OWNER_CHANGES_ELSEWHERE.get(proposal.tool, "changes the guardrail")
    flags = [Flag("owner_action", f"{what}: sent from your owner key")]
    changes: list[Change] = []
    window_note = None
    if proposal.tool == "publish_card":
        changes = registrations.card_changes(wallet, proposal.args)
    elif proposal.tool == "set_limits":
        now, after = wallet.guardrail.policy(wallet.agent_address), _native_policy_after(wallet, proposal.args)
        changes = native_changes(NativeLimits(now.per_tx_max, now.allowance, now.period, now.valid_until), after)
        window_note = window_restart(wallet.chain_time(), now.resets_at, now.spent, after.period)
        flags += [Flag("odd_limits", text) for text in cap_warnings(after.per_tx_max, after.allowance,
                                                                    ETH_DECIMALS, "ETH")]
    elif proposal.tool == "set_token_limits":
        entry = wallet.token(str(proposal.args["token"]))
        now_token = wallet.guardrail.token_policy(wallet.agent_address, entry.address)
        before = (now_token.per_tx_max, now_token.allowance)
        after_token = _token_policy_after(before, proposal.args)
        changes = token_changes(entry.symbol, entry.decimals, before, after_token)
        flags += [Flag("odd_limits", text) for text in cap_warnings(*after_token, entry.decimals, entry.symbol)]
    return Review(proposal, summary, planned, simulation, flags=flags, gas_cost=_gas_cost(wallet, simulation),
                  changes=changes, window_note=window_note)


PolicyCall = tuple["ContractFunction", str, str]  # the call, the decoded call, the summary


def _pause(wallet: Wallet, args: dict[str, object]) -> PolicyCall:
    return wallet.guardrail.pause(), "Guardrail.pause()", "Pause the agent: it can move nothing until you resume"


def _resume(wallet: Wallet, args: dict[str, object]) -> PolicyCall:
    return wallet.guardrail.unpause(), "Guardrail.unpause()", "Resume the agent within its limits"


def _native_policy_after(wallet: Wallet, args: dict[str, object]) -> NativeLimits:
    """The agent's ETH policy once `args` are applied: what is not given stays as it is."""
    current = wallet.guardrail.policy(wallet.agent_address)
    return NativeLimits(int(str(args.get("per_tx_wei", current.per_tx_max))),
                        int(str(args.get("daily_wei", current.allowance))),
                        int(str(args.get("period_s", current.period or 86_400))),
                        int(str(args.get("valid_until", current.valid_until))))


def _token_policy_after(current: tuple[int, int], args: dict[str, object]) -> tuple[int, int]:
    """A token's (per-action cap, allowance) once `args` are applied."""
    return int(str(args.get("per_tx", current[0]))), int(str(args.get("daily", current[1])))


def _set_limits(wallet: Wallet, args: dict[str, object]) -> PolicyCall:
    agent, after = wallet.agent_address, _native_policy_after(wallet, args)
    call = wallet.guardrail.set_policy(agent, after.per_tx_max, after.allowance, after.period, after.valid_until)
    text = (f"Guardrail.set_policy(agent={agent}, per_tx_max={after.per_tx_max}, allowance={after.allowance}, "
            f"period={after.period}, valid_until={after.valid_until})")
    summary = (f"Set the agent's ETH limits: {PER_ACTION_CAP} {format_amount(after.per_tx_max, ETH_DECIMALS)} ETH, "
               f"{format_amount(after.allowance, ETH_DECIMALS)} ETH per {window_length(after.period)} window")
    return call, text, summary


def _set_token_limits(wallet: Wallet, args: dict[str, object]) -> PolicyCall:
    agent, entry = wallet.agent_address, wallet.token(str(args["token"]))
    current = wallet.guardrail.token_policy(agent, entry.address)
    per_tx, daily = _token_policy_after((current.per_tx_max, current.allowance), args)
    call = wallet.guardrail.set_token_policy(agent, entry.address, per_tx, daily)
    text = f"Guardrail.set_token_policy(agent={agent}, token={entry.address}, per_tx_max={per_tx}, allowance={daily})"
    summary = (f"Set the agent's {entry.symbol} limits: {PER_ACTION_CAP} {format_amount(per_tx, entry.decimals)}, "
               f"{format_amount(daily, entry.decimals)} per window")
    return call, text, summary


# The call each policy tool of the registry makes: one entry per tool of kind "policy".
POLICY_CALLS = {"pause": _pause, "resume": _resume, "set_limits": _set_limits, "set_token_limits": _set_token_limits,
                "publish_card": registrations.publish_card, "set_agent_wallet": registrations.set_agent_wallet,
                "rate_agent": registrations.rate_agent}
_OWNER_CHANGES_ELSEWHERE = {"publish_card": "changes this wallet's public card (ERC-8004)",
                            "set_agent_wallet": "changes where this wallet's agent is paid (ERC-8004)",
                            "rate_agent": "a public rating of another agent (ERC-8004)"}


def limits_mismatch_flags(reading: Reading, proposal: Proposal, per_tx: int, daily: int, period: int) -> list[Flag]:
    """Critical flags where a change of the ETH limits and its request disagree: an amount of
    ETH or a length of time the request says that the new policy (`per_tx`, `daily`, `period`)
    does not have ("0.05 eth per payment and 1 eth a day" planned as the cap alone), or a new
    value the request never says ("set the period to 3600" planned as 3600 ETH a day). Amounts
    the request gives someone ("pay bob 0.1 eth and ...") are payments, not limits."""
    amounts = {amount.base_units: str(amount) for amount in reading.loose if amount.asset == ETH}
    durations = dict(reading.durations)
    left_out = [said for value, said in amounts.items() if value not in (per_tx, daily)]
    left_out += [said for seconds, said in durations.items() if seconds != period]
    flags = [Flag("request_limit_mismatch", f"the request says {said}, which this change does not set", critical=True)
             for said in left_out]
    names = {"per_tx_wei": "the per-transaction limit", "daily_wei": "the allowance"}
    for key, name in names.items():
        if key in proposal.args and int(str(proposal.args[key])) not in amounts:
            flags.append(Flag("request_limit_mismatch", f"this sets {name} to "
                              f"{format_amount(int(str(proposal.args[key])), ETH_DECIMALS)} ETH, which the request "
                              "does not say", critical=True))
    if "period_s" in proposal.args and period not in durations and period not in reading.whole_numbers:
        flags.append(Flag("request_limit_mismatch",
                          f"this sets the period to {period} s, which the request does not say", critical=True))
    return flags


_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])|(?<![\w.])\.\d+(?![\w.])")


def rationale_mismatch_flags(wallet: Wallet, proposal: Proposal, to: str, amount: int, amount_text: str,
                             unit: str) -> list[Flag]:
    """Critical flags where the rationale (the model's words, or the command's) names another
    recipient or amount than the transaction moves."""
    flags: list[Flag] = []
    text = proposal.rationale
    words = text.lower()
    addresses = {a.lower() for a in ADDRESS_IN_TEXT.findall(text)}
    names = {name for name in wallet.config.contacts if re.search(rf"\b{re.escape(name.lower())}\b", words)}
    named = addresses | {wallet.config.contacts[name].lower() for name in names}
    if named and to.lower() not in named:
        flags.append(Flag("rationale_recipient_mismatch", f"the rationale names a different recipient than {to}",
                          critical=True))
    numbers = {_decimal(n) for n in _NUMBER.findall(ADDRESS_IN_TEXT.sub(" ", text))}
    numbers.discard(None)
    if numbers and not numbers & {_decimal(amount_text), _decimal(str(amount))}:
        flags.append(Flag("rationale_amount_mismatch", f"the rationale states a different amount than {amount_text} "
                          f"{unit}", critical=True))
    return flags


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None
