"""`agentwallet agents …`: other agents on chain (ERC-8004), and this wallet's own card.

What a card says is untrusted: every text of it is printed through display.literal, and a
card that cannot be read is listed with what is wrong with it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from agentwallet.actions import pipeline
from agentwallet.actions.registrations import card_uri, own_agent, raters, wallet_to_prove
from agentwallet.actions.setup import deploy_devnet_registries
from agentwallet.actions.wallet import Wallet
from agentwallet.agents.card import X402_SERVICE, ServicePrice
from agentwallet.agents.directory import AgentEntry, list_agents, price_text, reputation_text, show_agent
from agentwallet.chain.registries import Summary
from agentwallet.cli.commands import _open, _progress, _proposal, _report, _require_decision_source, decider
from agentwallet.cli.render import print_json
from agentwallet.config import cache_dir
from agentwallet.display import literal
from agentwallet.errors import WalletError


def cmd_agents(args: argparse.Namespace) -> int:
    if args.agents_command == "register":  # the alias: argparse keeps the name typed
        args.agents_command = "publish"
    if args.agents_command in ("publish", "rate"):
        _require_decision_source(args)
    wallet = _open()
    commands = {"list": _list, "show": _show, "deploy": _deploy, "publish": _publish, "rate": _rate}
    return commands[args.agents_command](wallet, args)


def _rpc(wallet: Wallet):
    return lambda method, params: wallet.rpc(method, params)


def _list(wallet: Wallet, args: argparse.Namespace) -> int:
    entries = list_agents(wallet.identity, wallet.reputation, _rpc(wallet), raters(wallet), args.skill,
                          cache_dir=cache_dir(wallet.home))
    if args.json:
        print_json([entry_json(entry) for entry in entries])
        return 0
    for entry in entries:
        print(list_line(entry, _pricing(wallet)))
    if not entries:
        print("no agents" + (f" offer {literal(args.skill)}" if args.skill else " are registered"))
    return 0


def _show(wallet: Wallet, args: argparse.Namespace) -> int:
    if args.agent_id < 0:
        raise WalletError("an agent id is a whole number from 0")
    entry = show_agent(wallet.identity, wallet.reputation, args.agent_id, raters(wallet))
    if args.json:
        print_json(entry_json(entry))
    else:
        print(show_text(entry, _pricing(wallet)))
    return 0


def _deploy(wallet: Wallet, args: argparse.Namespace) -> int:
    config = deploy_devnet_registries(wallet.home, wallet.w3, wallet.account("owner"), _progress)
    print(f"identity registry {config.identity_registry}\nreputation registry {config.reputation_registry}")
    return 0


BY_THE_OWNER = "requested by the owner on the command line"


def _publish(wallet: Wallet, args: argparse.Namespace) -> int:
    """This wallet's card published: registered the first time, updated after; then the vault
    made its agent wallet. Each step is an owner change, shown before it is signed."""
    uri = card_uri(wallet, args.name, args.description, tuple(args.skill) if args.skill else None, args.endpoint)
    request = "agents publish" + "".join(f" --{key} {value!r}" for key, value in
                                          (("name", args.name), ("description", args.description),
                                           ("endpoint", args.endpoint)) if value)
    request += "".join(f" --skill {skill!r}" for skill in args.skill or ())
    outcome = pipeline.carry_out(wallet, _proposal(wallet, "publish_card", {"agent_uri": uri}, request, BY_THE_OWNER),
                                 decider(args, owner_command=True), _progress)
    if outcome.state != "executed":
        return _report(outcome)
    if (agent_id := wallet_to_prove(wallet)) is not None:
        _report(outcome)
        proposal = _proposal(wallet, "set_agent_wallet", {"agent_id": str(agent_id)}, request, BY_THE_OWNER)
        outcome = pipeline.carry_out(wallet, proposal, decider(args, owner_command=True), _progress)
    code = _report(outcome)
    print(f"this wallet is agent #{own_agent(wallet)} in the registry {wallet.identity.address}")
    return code


def _rate(wallet: Wallet, args: argparse.Namespace) -> int:
    agent_id = args.agent_id
    if agent_id < 0 or not wallet.identity.exists(agent_id):
        raise WalletError(f"no agent #{agent_id} in the registry {wallet.identity.address}")
    if wallet.identity.owner_of(agent_id) == wallet.owner_address:
        raise WalletError(f"agent #{agent_id} is this wallet's own: the registry refuses ratings of your own agent")
    args_given = {"agent_id": str(agent_id), "score": args.score} | ({"tag": args.tag} if args.tag else {})
    request = f"agents rate {agent_id} {args.score}" + (f" --tag {args.tag!r}" if args.tag else "")
    outcome = pipeline.carry_out(wallet, _proposal(wallet, "rate_agent", args_given, request, BY_THE_OWNER),
                                 decider(args, owner_command=True), _progress)
    return _report(outcome)


# views

def entry_json(entry: AgentEntry) -> dict:
    card = entry.card
    return {
        "agent_id": entry.agent_id, "owner": entry.owner, "agent_wallet": entry.agent_wallet, "uri": entry.uri,
        "name": card and card.name, "description": card and card.description,
        "skills": list(card.skills) if card else [],
        "endpoints": [{"name": s.name, "endpoint": s.endpoint, "version": s.version, "price": _price_json(s.price)}
                      for s in card.endpoints] if card else [],
        "x402": card.x402 if card else None, "active": card.active if card else None,
        "problem": entry.problem, "warnings": list(entry.warnings),
        "reputation": _reputation_json(entry.reputation),
    }


def _price_json(price: ServicePrice | None) -> dict | None:
    return None if price is None else {"amount": price.amount, "asset": price.asset, "network": price.network}


def _reputation_json(summary: Summary | None) -> dict | None:
    if summary is None:
        return None
    return {"count": summary.count, "value": str(summary.value), "decimals": summary.decimals,
            "raters": list(summary.clients)}


def _pricing(wallet: Wallet) -> Callable[[ServicePrice], str]:
    return lambda price: price_text(price, wallet.config.tokens, wallet.config.chain_id)


def list_line(entry: AgentEntry, pricing: Callable[[ServicePrice], str]) -> str:
    head = f"#{entry.agent_id:<5}"
    if entry.card is None:
        return f"{head} (no card: {literal(entry.problem or '', 200)})"
    card = entry.card
    skills = f"  skills: {literal(', '.join(card.skills), 200)}" if card.skills else ""
    paid = f"  paid to {entry.agent_wallet}" if entry.agent_wallet else "  NO agent wallet"
    rated = f"  {reputation_text(entry.reputation)}" if entry.reputation and entry.reputation.count else ""
    marked = "  !" if entry.warnings else ""
    sold = "".join(f"  sells {literal(s.endpoint, 120)} at {pricing(s.price)}"
                   for s in card.endpoints if s.name == X402_SERVICE and s.price)
    return f"{head} {literal(card.name, 80)}{skills}{sold}{paid}{rated}{marked}"


def show_text(entry: AgentEntry, pricing: Callable[[ServicePrice], str]) -> str:
    lines = [f"agent #{entry.agent_id}", f"  owner         {entry.owner}",
             f"  agent wallet  {entry.agent_wallet or 'none (cleared: do not pay it)'}",
             f"  card URI      {literal(entry.uri, 120)}"]
    if entry.card is None:
        lines.append(f"  card          unreadable: {literal(entry.problem or '')}")
    else:
        card = entry.card
        lines += [f"  name          {literal(card.name)}", f"  description   {literal(card.description)}",
                  f"  skills        {literal(', '.join(card.skills)) or '-'}",
                  f"  x402          {'yes' if card.x402 else 'no'}",
                  f"  active        {'yes' if card.active else 'no'}"]
        lines += [f"  endpoint      {literal(s.name, 40)}: {literal(s.endpoint, 300)}"
                  + (f" at {pricing(s.price)}" if s.price else "") for s in card.endpoints]
    lines.append(f"  reputation    {reputation_text(entry.reputation)}")
    lines += [f"  ! {literal(warning)}" for warning in entry.warnings]
    return "\n".join(lines)
