"""The command line (docs/cli.md): parse, call the wallet's services, print text or JSON."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from agentwallet.display import literal
from agentwallet.errors import WalletError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agentwallet",
                                     description="A wallet where a local agent proposes and you approve.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", help="make keys, deploy the guardrail (on devnet: fund it, demo USDC)")
    p.add_argument("--network", default="devnet", help="devnet (default) or an RPC URL")
    p.add_argument("--import-keystore", metavar="FILE", help="use this keystore file as the owner key")
    p.add_argument("--identity-registry", metavar="ADDRESS", help="the network's ERC-8004 identity registry")
    p.add_argument("--reputation-registry", metavar="ADDRESS", help="the network's ERC-8004 reputation registry")

    p = sub.add_parser("devnet", help="the local anvil chain")
    p.add_argument("action", choices=["start", "stop", "status"])

    p = sub.add_parser("status", help="network, guardrail, keys, balances, limits")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("limits", help="show or set the agent's spending limits")
    limits = p.add_subparsers(dest="limits_command", metavar="show|set", required=True)
    q = limits.add_parser("show")
    q.add_argument("--json", action="store_true")
    q = limits.add_parser("set")
    q.add_argument("--daily", metavar="AMOUNT", help="allowance per period (ETH, or the token's units with --token)")
    q.add_argument("--per-tx", metavar="AMOUNT", help="most the agent may move in one action")
    q.add_argument("--period", metavar="SECONDS", help="length of an allowance window")
    q.add_argument("--expires", metavar="ISO8601", help="the agent's policy ends then ('never' to clear)")
    q.add_argument("--token", metavar="SYMBOL_OR_ADDRESS", help="set this token's limits instead of ETH's")

    sub.add_parser("pause", help="kill switch: the agent can move nothing")
    sub.add_parser("resume", help="let the agent act again within its limits")

    p = sub.add_parser("contacts", help="names for addresses")
    contacts = p.add_subparsers(dest="contacts_command", metavar="add|remove|list", required=True)
    q = contacts.add_parser("add")
    q.add_argument("name")
    q.add_argument("address")
    q = contacts.add_parser("remove")
    q.add_argument("name")
    q = contacts.add_parser("list")
    q.add_argument("--json", action="store_true")

    p = sub.add_parser("tokens", help="ERC-20 tokens the wallet knows")
    tokens = p.add_subparsers(dest="tokens_command", metavar="add|list", required=True)
    q = tokens.add_parser("add")
    q.add_argument("address")
    q = tokens.add_parser("list")
    q.add_argument("--json", action="store_true")

    p = sub.add_parser("ask", help="one agent turn without the TUI")
    p.add_argument("request")
    p.add_argument("--max", metavar="AMOUNT", help="for a question to another agent's paid skill: the most to pay, "
                   "in the asked token's units (needed with --yes)")
    p.add_argument("--dry-run", action="store_true", help="only plan; propose nothing")
    p.add_argument("--json", action="store_true")
    _decision_flags(p)

    p = sub.add_parser("propose", help="propose an action yourself, through the same pipeline")
    p.add_argument("tool")
    p.add_argument("args", nargs="*", metavar="KEY=VALUE")
    p.add_argument("--json", action="store_true")
    _decision_flags(p)

    p = sub.add_parser("pay", help="pay a web resource's x402 price from the vault, then fetch it")
    p.add_argument("url")
    p.add_argument("--max", metavar="AMOUNT", help="the most to pay, in the asked token's units (e.g. 0.05)")
    p.add_argument("--json", action="store_true")
    _decision_flags(p)

    p = sub.add_parser("serve", help="sell the local model's answers behind x402, paid to the vault")
    p.add_argument("--port", type=int, metavar="P", help="the port on 127.0.0.1 (0: a free one; default: as "
                   "the last serve, else 8402)")
    p.add_argument("--price", nargs=2, metavar=("AMOUNT", "TOKEN"), help="what an answer costs, e.g. 0.01 USDC "
                   "(default: as the last serve)")

    p = sub.add_parser("history", help="every action, from the chain's events")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, metavar="N")

    sub.add_parser("verify", help="check the journal against the chain")

    p = sub.add_parser("tx", help="an action sent and not mined: speed it up or cancel it")
    tx = p.add_subparsers(dest="tx_command", metavar="speedup|cancel", required=True)
    for name, what in (("speedup", "send it again with the same nonce at higher fees"),
                       ("cancel", "take its nonce with a transfer of nothing to the signer itself")):
        q = tx.add_parser(name, help=what)
        q.add_argument("action_id", metavar="ACTION_ID")
        q.add_argument("--json", action="store_true")

    p = sub.add_parser("model", help="the local model")
    model = p.add_subparsers(dest="model_command", metavar="list|use|pull", required=True)
    model.add_parser("list")
    q = model.add_parser("use")
    q.add_argument("path")
    q.add_argument("--gpu-layers", type=int, default=None, metavar="N",
                   help="put N of the model's layers on the GPU (-1: all, 0: the CPU only; default: as it was)")
    q = model.add_parser("pull")
    q.add_argument("name")

    p = sub.add_parser("keys", help="the owner and agent keys")
    keys = p.add_subparsers(dest="keys_command", metavar="show|export", required=True)
    keys.add_parser("show")
    q = keys.add_parser("export", help="write an encrypted keystore file (geth / cast wallet format)")
    q.add_argument("role", choices=["owner", "agent"])
    q.add_argument("file")

    sub.add_parser("doctor", help="what is wrong and how to fix it")

    p = sub.add_parser("agents", help="other agents on chain (ERC-8004), and this wallet's card")
    agents = p.add_subparsers(dest="agents_command", metavar="list|show|publish|rate|deploy", required=True)
    q = agents.add_parser("list", help="the agents the registry knows")
    q.add_argument("--skill", help="only the agents whose card offers this skill")
    q.add_argument("--json", action="store_true")
    q = agents.add_parser("show", help="one agent: its card, its agent wallet, its reputation")
    q.add_argument("agent_id", type=int, metavar="ID")
    q.add_argument("--json", action="store_true")
    # `register` was its first name, kept so that scripts written for it go on working
    q = agents.add_parser("publish", aliases=["register"],
                          help="publish this wallet's card, the vault as its agent wallet (owner signs)")
    q.add_argument("--name", help="what the card calls this wallet's agent")
    q.add_argument("--description")
    q.add_argument("--skill", action="append", metavar="SKILL", help="a skill it offers (repeat for more)")
    q.add_argument("--endpoint", metavar="URL", help="where it is called")
    _decision_flags(q)
    q = agents.add_parser("rate", help="rate another agent 0-100 after an interaction (owner signs)")
    q.add_argument("agent_id", type=int, metavar="ID")
    q.add_argument("score", metavar="SCORE", help="0 to 100")
    q.add_argument("--tag", help="what was rated, e.g. the skill used")
    _decision_flags(q)
    agents.add_parser("deploy", help="devnet: deploy the registries for a wallet set up without them")
    return parser


def _decision_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--yes", action="store_true", help="approve without asking")
    group.add_argument("--no", action="store_true", help="deny without asking (logged on chain)")


LIGHT_COMMANDS = ("history",)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        return _launch_tui()
    try:
        if args.command in LIGHT_COMMANDS:
            from agentwallet.cli import light as commands
        elif args.command == "ask":
            from agentwallet.cli import ask as commands
        elif args.command == "agents":
            from agentwallet.cli import agents as commands
        elif args.command == "pay":
            from agentwallet.cli import pay as commands
        elif args.command == "serve":
            from agentwallet.cli import serve as commands
        else:
            from agentwallet.cli import commands
        handler: Callable[[argparse.Namespace], int] = getattr(commands, f"cmd_{args.command}")
        return handler(args)
    except WalletError as exc:  # literal: a message may quote the chain's or a file's text
        print(f"agentwallet: {literal(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("agentwallet: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so in one line, keep the traceback out of the user's way
        if os.environ.get("AGENTWALLET_DEBUG"):
            raise
        first_line = (str(exc).strip().splitlines() or [""])[0]  # some libraries' messages run to pages
        print(f"agentwallet: internal error ({type(exc).__name__}): {literal(first_line)}. "
              "Set AGENTWALLET_DEBUG=1 to see where.", file=sys.stderr)
        return 2


def _launch_tui() -> int:
    from agentwallet.tui.app import run

    return run()
