"""One function per command. Each opens what it needs, calls the services, prints."""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from dataclasses import replace
from pathlib import Path

from agentwallet import config as config_module
from agentwallet import models, tools
from agentwallet.actions import pipeline, stuck, verification
from agentwallet.actions.arguments import normalise_arguments
from agentwallet.actions.plan import MAX_STEPS, Plan, Step
from agentwallet.actions.plan_review import PlanReview
from agentwallet.actions.proposal import Proposal
from agentwallet.actions.review import Review
from agentwallet.actions.setup import Registries, initialize
from agentwallet.actions.setup_progress import SetupProgress
from agentwallet.actions.wallet import LOW_AGENT_GAS, Wallet
from agentwallet.chain.devnet import Devnet, find_anvil
from agentwallet.chain.networks import chain_name
from agentwallet.cli import render
from agentwallet.cli.render import print_json
from agentwallet.display import literal
from agentwallet.errors import WalletError
from agentwallet.units import ETH_DECIMALS, format_amount, parse_address, parse_amount, parse_expiry, parse_period


def _progress(message: str) -> None:
    print(f"… {literal(message)}", file=sys.stderr)  # literal: it may quote a URL or name the person typed


def _open() -> Wallet:
    wallet = Wallet.open(progress=_progress)
    if wallet.keys.notice:
        print(f"note: {wallet.keys.notice}", file=sys.stderr)
    if SetupProgress.load(wallet.home) is not None:
        print("note: the set-up was interrupted: run `agentwallet init` to finish it", file=sys.stderr)
    for outcome in pipeline.reconcile(wallet):
        if outcome.state in pipeline.SENT:
            print(f"action {outcome.action_id}: still {outcome.state} ({outcome.error})", file=sys.stderr)
        else:
            print(f"recovered action {outcome.action_id[:10]}…: {outcome.state}", file=sys.stderr)
    return wallet


# set-up and devnet

def cmd_init(args: argparse.Namespace) -> int:
    home = config_module.home_dir()
    keystore = Path(args.import_keystore) if args.import_keystore else None
    network = args.network if args.network == "devnet" else args.network.rstrip("/")
    result = initialize(home, network, keystore, _progress, registries=_registries(args))
    c = result.config
    for note in result.notes:
        print(f"note: {note}")
    print(f"guardrail {c.guardrail} on {chain_name(c.chain_id)}\nowner     {c.owner}\nagent     {c.agent}")
    if c.identity_registry:
        print(f"agents    identity registry {c.identity_registry}, reputation registry {c.reputation_registry}")
    for line in result.to_fund:
        print(f"to do: {line}")
    return 0


def _registries(args: argparse.Namespace) -> Registries | None:
    if not (args.identity_registry or args.reputation_registry):
        return None
    if not (args.identity_registry and args.reputation_registry):
        raise WalletError("give both --identity-registry and --reputation-registry, or neither")
    return Registries(parse_address(args.identity_registry), parse_address(args.reputation_registry))


def cmd_devnet(args: argparse.Namespace) -> int:
    devnet = Devnet(config_module.home_dir())
    if args.action == "start":
        print(f"devnet running at {devnet.start().rpc_url}")
    elif args.action == "stop":
        print("devnet stopped" if devnet.stop() else "devnet was not running")
    else:
        process = devnet.running()
        print(f"devnet running at {process.rpc_url} (pid {process.pid})" if process else "devnet not running")
        return 0 if process else 3
    return 0


# reads

def cmd_status(args: argparse.Namespace) -> int:
    wallet = _open()
    c = wallet.config
    limits = wallet.limits()
    balances = wallet.balances()
    model = c.model or _bundled_model_text()
    if args.json:
        print_json({
            "network": {"name": c.network if c.is_devnet else "rpc", "chain_id": c.chain_id,
                        "rpc_url": wallet.shown_rpc_url},
            "guardrail": wallet.guardrail.address, "owner": wallet.owner_address, "agent": wallet.agent_address,
            "agent_gas_wei": str(wallet.agent_gas_balance()),
            "balances": [{"symbol": b.symbol, "token": b.token, "amount": str(b.amount), "decimals": b.decimals}
                         for b in balances],
            "limits": _limits_json(limits), "paused": limits.paused, "model": model,
            "keys": wallet.keys.backend,
            "registries": {"identity": c.identity_registry, "reputation": c.reputation_registry},
        })
        return 0
    print(f"network    {c.shown_network} (chain {c.chain_id}, {wallet.shown_rpc_url})")
    print(f"guardrail  {wallet.guardrail.address}{'  PAUSED' if limits.paused else ''}")
    print(f"owner      {wallet.owner_address}")
    print(f"agent      {wallet.agent_address} (gas {format_amount(wallet.agent_gas_balance(), ETH_DECIMALS)} ETH)")
    for balance in balances:
        print(f"vault      {render.balance_line(balance)}")
    print(f"limits     {format_amount(limits.remaining_native, ETH_DECIMALS)} ETH left now "
          f"(per tx {format_amount(limits.native.per_tx_max, ETH_DECIMALS)}, "
          f"{format_amount(limits.native.allowance, ETH_DECIMALS)} per {limits.native.period} s)")
    print(f"model      {model}")
    print(f"keys       {wallet.keys.backend}")
    if c.identity_registry:
        print(f"agents     identity registry {c.identity_registry}, reputation registry {c.reputation_registry}")
    return 0


def _bundled_model_text() -> str:
    return "bundled: SmolLM2-135M-Instruct Q4_1"


def _limits_json(limits) -> dict:
    p = limits.native
    return {
        "paused": limits.paused, "revoked": p.revoked, "recipients_restricted": p.recipients_restricted,
        "native": {"per_tx_wei": str(p.per_tx_max), "daily_wei": str(p.allowance), "period_s": p.period,
                   "valid_until": p.valid_until, "spent_wei": str(p.spent),
                   "remaining_wei": str(limits.remaining_native), "resets_at": p.resets_at},
        "tokens": [{"token": e.address, "symbol": e.symbol, "decimals": e.decimals, "per_tx": str(t.per_tx_max),
                    "daily": str(t.allowance), "spent": str(t.spent), "remaining": str(r)}
                   for e, t, r in limits.tokens],
    }


def cmd_limits(args: argparse.Namespace) -> int:
    if args.limits_command == "show":
        wallet = _open()
        limits = wallet.limits()
        if args.json:
            print_json(_limits_json(limits))
        else:
            print(render.limits_text(limits))
        return 0
    return _set_limits(args)


def _set_limits(args: argparse.Namespace) -> int:
    if not any((args.daily, args.per_tx, args.period, args.expires)):
        raise WalletError("nothing to set: give --daily, --per-tx, --period or --expires")
    wallet = _open()
    if args.token:
        if args.period or args.expires:
            raise WalletError("--period and --expires apply to the whole policy; set them without --token")
        entry = wallet.token(args.token)
        tool, tool_args = "set_token_limits", {"token": entry.address}
        for key, text in (("daily", args.daily), ("per_tx", args.per_tx)):
            if text:
                tool_args[key] = _limit(text, entry.decimals, entry.symbol, tool, key)
    else:
        tool, tool_args = "set_limits", {}
        for key, text in (("daily_wei", args.daily), ("per_tx_wei", args.per_tx)):
            if text:
                tool_args[key] = _limit(text, ETH_DECIMALS, "ETH", tool, key)
        if args.period:
            tool_args["period_s"] = parse_period(args.period)
        if args.expires:
            tool_args["valid_until"] = parse_expiry(args.expires, time.time())
    return _run_owner_command(wallet, tool, tool_args, _limits_request(args))


def _limit(text: str, decimals: int, unit: str, tool: str, key: str) -> int:
    """A limit typed in ETH or a token's units, refused in those units when the guardrail's
    field cannot hold it."""
    return parse_amount(text, decimals, unit, tools.BY_NAME[tool].argument(key).maximum)


def _limits_request(args: argparse.Namespace) -> str:
    """The command as the journal keeps it, with the units the values are in ("--daily 1 ETH")."""
    unit = {"daily": "" if args.token else " ETH", "per_tx": "" if args.token else " ETH", "period": " s"}
    options = [f"--{name.replace('_', '-')} {value}{unit.get(name, '')}"
               for name in ("token", "daily", "per_tx", "period", "expires") if (value := getattr(args, name))]
    return " ".join(["limits set", *options])


def cmd_pause(args: argparse.Namespace) -> int:
    return _run_owner_command(_open(), "pause", {}, "pause")


def cmd_resume(args: argparse.Namespace) -> int:
    return _run_owner_command(_open(), "resume", {}, "resume")


def _run_owner_command(wallet: Wallet, tool: str, tool_args: dict, request: str) -> int:
    """The owner typed the command: that is the approval. It still goes through the pipeline.
    The owner key is unlocked first: without its secret, nothing is proposed or signed."""
    wallet.account("owner")
    proposal = _proposal(wallet, tool, tool_args, request, "requested by the owner on the command line")
    outcome = pipeline.carry_out(wallet, proposal, lambda review: _print_review(review) or True, _progress)
    return _report(outcome)


# contacts and tokens

def cmd_contacts(args: argparse.Namespace) -> int:
    home = config_module.home_dir()
    if args.contacts_command == "list":
        config = config_module.load_config(home)
        if args.json:
            print_json([{"name": n, "address": a} for n, a in sorted(config.contacts.items())])
        else:
            for name, address in sorted(config.contacts.items()):
                print(f"{name:<16} {address}")
        return 0
    if args.contacts_command == "remove":
        config_module.update_config(home, lambda config: config.without_contact(args.name))
        print(f"removed {args.name}")
        return 0
    address = parse_address(args.address)
    config_module.update_config(home, lambda config: config.with_new_contact(args.name, address))
    print(f"added {args.name} {address}")
    return 0


def cmd_tokens(args: argparse.Namespace) -> int:
    if args.tokens_command == "list":
        config = config_module.load_config(config_module.home_dir())
        if args.json:
            print_json([{"symbol": t.symbol, "address": t.address, "decimals": t.decimals} for t in config.tokens])
        else:
            for t in config.tokens:
                print(f"{literal(t.symbol):<12} {t.address}  {t.decimals} decimals")
        return 0
    entry = _open().add_token(args.address)
    print(f"added {literal(entry.symbol)} {entry.address} ({entry.decimals} decimals); "
          f"the agent can move it only after `agentwallet limits set --token {entry.address} ...`")
    return 0


# proposals

def _proposal(wallet: Wallet, tool: str, tool_args: dict, request: str, rationale: str) -> Proposal:
    normalised = normalise_arguments(wallet, tool, tool_args)
    return Proposal(tool=tool, args=normalised, rationale=rationale, request=request,
                    chain_id=wallet.config.chain_id, guardrail=wallet.guardrail.address, command=True)


def _print_review(review: Review, to=None) -> None:
    print(render.review_text(review), file=to or sys.stdout)


def decider(args: argparse.Namespace, owner_command: bool = False):
    """y/N at the terminal, or --yes/--no. Critical flags need the user, not --yes; so does the
    owner key, but for an `owner_command` (the owner typed it, as `agents publish --yes`). With
    --json, what is said for the person goes to stderr, so stdout is the JSON alone."""
    said = sys.stderr if getattr(args, "json", False) else sys.stdout

    def decide(review: Review) -> bool:
        _print_review(review, said)
        if args.no:
            print("denied (--no)", file=said)
            return False
        if args.yes:
            if review.critical_flags:
                print("denied: --yes does not approve a proposal with critical flags; review it at a terminal",
                      file=said)
                return False
            if review.executor == "owner" and not owner_command:
                # Unattended use holds the agent's secret alone: the owner key waits for the person. (A
                # send beyond the limits is stopped above: its owner_execution flag is critical.)
                print("denied: --yes never signs with the owner key (this proposal is signed by the owner: "
                      "an owner action); review it at a terminal", file=said)
                return False
            return True
        critical = bool(review.critical_flags)
        try:  # from the prompt on: a ctrl+c typed as it appears is no answer too
            print("Type 'approve' to go ahead despite the flags marked !!: " if critical else "Approve? [y/N] ",
                  end="", file=said, flush=True)
            answer = input().strip().lower()
        except (KeyboardInterrupt, EOFError):  # ctrl+c or ctrl+d: no answer is no approval, denied now
            print("\ndenied: no answer", file=said)
            return False
        return answer == "approve" if critical else answer in ("y", "yes")
    return decide


def _require_decision_source(args: argparse.Namespace) -> None:
    if not (args.yes or args.no) and not sys.stdin.isatty():
        raise WalletError("no terminal to ask: pass --yes or --no")


PROPOSED = "proposed by the user with `agentwallet propose`"


def cmd_propose(args: argparse.Namespace) -> int:
    _require_decision_source(args)
    steps = _steps([args.tool, *args.args])
    wallet = _open()
    request = "propose " + " ".join([args.tool, *args.args])
    if len(steps) == 1:
        [(tool, tool_args)] = steps
        outcome = pipeline.carry_out(wallet, _proposal(wallet, tool, tool_args, request, PROPOSED), decider(args),
                                     _progress)
        return _report(outcome, args.json)
    plan = Plan.of(request, PROPOSED, [Step(tool, normalise_arguments(wallet, tool, tool_args), PROPOSED)
                                       for tool, tool_args in steps],
                   wallet.config.chain_id, wallet.guardrail.address, command=True)
    review = pipeline.propose_plan(wallet, plan, _progress)
    outcomes = pipeline.settle_plan(wallet, review, plan_decider(args)(review), _progress)
    return _report_plan(review, outcomes, args.json)


def _steps(words: list[str]) -> list[tuple[str, dict[str, object]]]:
    """`TOOL KEY=VALUE ... [then TOOL KEY=VALUE ...]` as (tool, arguments) steps."""
    steps: list[tuple[str, dict[str, object]]] = []
    expect_tool = True
    for word in words:
        if word == "then":
            if expect_tool:
                raise WalletError("`then` comes between two steps: TOOL KEY=VALUE ... then TOOL KEY=VALUE ...")
            expect_tool = True
        elif expect_tool:
            steps.append((word, {}))
            expect_tool = False
        else:
            key, sep, value = word.partition("=")
            if not sep or not key:
                raise WalletError(f"arguments are KEY=VALUE, got {word!r}")
            steps[-1][1][key] = value
    if expect_tool:
        raise WalletError("`then` comes between two steps: TOOL KEY=VALUE ... then TOOL KEY=VALUE ...")
    if len(steps) > MAX_STEPS:
        raise WalletError(f"a plan has 2 to {MAX_STEPS} steps, not {len(steps)}")
    return steps


def plan_decider(args: argparse.Namespace):
    """A plan's decision, one answer per step: at a terminal all (`y`), none, or the steps kept
    (`1 3`); `--yes` approves the whole plan only when no step and not the plan has a critical
    flag; `--no` denies it all."""
    said = sys.stderr if getattr(args, "json", False) else sys.stdout

    def decide(review: PlanReview) -> list[bool]:
        steps = len(review.steps)
        print(render.plan_text(review), file=said)
        if args.no:
            print("denied (--no)", file=said)
            return [False] * steps
        if args.yes:
            if review.critical_flags:
                print("denied: --yes does not approve a plan with critical flags; review it at a terminal", file=said)
                return [False] * steps
            return [True] * steps
        critical = bool(review.critical_flags)
        prompt = ("Type 'approve' to go ahead despite the flags marked !! (or 'approve 1 3' to keep only those "
                  "steps): " if critical else f"Approve all {steps} steps? [y/N], or the steps to keep (1 3): ")
        print(prompt, end="", file=said, flush=True)
        try:
            words = input().strip().lower().split()
        except (KeyboardInterrupt, EOFError):  # as for one action: no answer is no approval
            print("\ndenied: no answer", file=said)
            return [False] * steps
        if critical:
            if not words or words[0] != "approve":
                return [False] * steps
            words = words[1:] or ["y"]
        return _kept(words, steps)
    return decide


def _kept(words: list[str], steps: int) -> list[bool]:
    if words in (["y"], ["yes"]):
        return [True] * steps
    kept = {int(word) for word in words if word.isdigit() and 1 <= int(word) <= steps}
    if len(kept) != len(words):
        return [False] * steps  # anything but step numbers is no
    return [position in kept for position in range(1, steps + 1)]


def _report_plan(review: PlanReview, outcomes: list[pipeline.Outcome], as_json: bool) -> int:
    plan = review.plan
    if as_json:
        print_json({"plan_id": plan.plan_id, "plan_hash": plan.plan_hash,
                    "steps": [{"action_id": o.action_id, "status": o.state, "tx_hash": o.tx_hash,
                               "log_tx_hash": o.log_tx_hash, "error": o.error} for o in outcomes]})
    else:
        for position, outcome in enumerate(outcomes, start=1):
            print(f"step {position}: ", end="")
            _report(outcome)
    return max(_exit_code(outcome) for outcome in outcomes)


def _report(outcome: pipeline.Outcome, as_json: bool = False) -> int:
    if as_json:
        print_json({"action_id": outcome.action_id, "status": outcome.state, "tx_hash": outcome.tx_hash,
                    "log_tx_hash": outcome.log_tx_hash, "error": outcome.error})
    else:
        where = f" in {outcome.tx_hash}" if outcome.tx_hash else ""
        logged = f", logged in {outcome.log_tx_hash}" if outcome.log_tx_hash else ""
        print(f"{outcome.state}{where}{logged}" + (f" ({outcome.error})" if outcome.error else ""))
    return _exit_code(outcome)


def _exit_code(outcome: pipeline.Outcome) -> int:
    """0 done, 1 failed, 4 sent but not executed yet: a script must not send it again."""
    return 0 if outcome.state in ("executed", "denied") else 4 if outcome.state in pipeline.SENT else 1


def cmd_tx(args: argparse.Namespace) -> int:
    wallet = _open()
    replace = stuck.speed_up if args.tx_command == "speedup" else stuck.cancel
    return _report(replace(wallet, args.action_id, _progress), args.json)


def cmd_verify(args: argparse.Namespace) -> int:
    wallet = _open()
    checked, problems = verification.verify(wallet)
    for problem in problems:
        print(f"MISMATCH {problem.action_id}: {problem.problem}")
    print(f"{checked} actions checked, {len(problems)} mismatches")
    return 1 if problems else 0


def cmd_model(args: argparse.Namespace) -> int:
    home = config_module.home_dir()
    if args.model_command == "list":
        config = config_module.load_config(home)
        in_use = models.model_path(config.model) if config.model else models.BUNDLED_MODEL
        for model in models.list_models(home):
            mark = "*" if model.path == in_use else " "
            label = " (bundled: SmolLM2-135M-Instruct Q4_1, Apache-2.0)" if model.bundled else ""
            print(f"{mark} {model.path}  {model.size / 2**20:.0f} MiB{label}")
        return 0
    if args.model_command == "use":
        setting = models.model_setting(Path(args.path))
        asked = None if args.gpu_layers is None else config_module.parse_gpu_layers(args.gpu_layers)
        config = config_module.update_config(home, lambda config: replace(
            config, model=setting, gpu_layers=config.gpu_layers if asked is None else asked))
        layers = config.gpu_layers
        where = f" with {'all' if layers == -1 else layers} layers on the GPU" if layers else " on the CPU"
        print(f"using {setting or models.BUNDLED_MODEL}{where}")
        return 0
    path = models.pull(home, args.name, lambda done, total: print(
        f"\r{done / 2**20:.0f}/{total / 2**20:.0f} MiB", end="", file=sys.stderr, flush=True))
    print(f"\ndownloaded {path}; `agentwallet model use {path}` to use it")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from agentwallet.keys import KeyStore

    home = config_module.home_dir()
    problems = 0

    def report(ok: bool, what: str, fix: str = "") -> None:
        nonlocal problems
        problems += not ok
        print(f"{'ok     ' if ok else 'PROBLEM'}  {what}" + ("" if ok else f"\n         fix: {fix}"))

    keys = KeyStore(home)
    report(True, f"keys: {keys.backend}" + (f" ({keys.notice})" if keys.notice else ""))
    try:
        config = config_module.load_config(home)
        report(config.guardrail is not None, f"config {config_module.config_path(home)}", "run `agentwallet init`")
    except WalletError as exc:  # the rest is still checked: what else is wrong is worth knowing too
        config = None
        report(False, f"config: {exc}", f"edit {config_module.config_path(home)} as the line above says")
    try:
        find_anvil()
        report(True, "anvil found")
    except WalletError as exc:
        report(False, str(exc), "run scripts/setup")
    try:
        if SetupProgress.load(home) is not None:
            report(False, "the set-up was interrupted", "run `agentwallet init` again: it goes on where it stopped")
    except WalletError as exc:
        report(False, str(exc), "as the line above says")
    if config is not None and config.guardrail:
        try:
            wallet = Wallet.open(home, progress=_progress)
            report(True, f"chain {wallet.shown_rpc_url} (chain id {config.chain_id}), "
                         f"guardrail {wallet.guardrail.address}")
            gas = wallet.agent_gas_balance()
            report(gas >= LOW_AGENT_GAS, f"agent gas {format_amount(gas, ETH_DECIMALS)} ETH",
                   f"send ETH for gas to the agent {wallet.agent_address}")
            report(not wallet.guardrail.paused(), "guardrail not paused",
                   "`agentwallet resume` when you trust the agent again")
            for found in verification.made_elsewhere(wallet):
                report(False, found.text, found.what_to_do)
            for entry in wallet.journal.sent_entries():
                if pipeline.mined(wallet, entry) is None:  # mined ones are settled by the next command
                    report(False, f"action {entry.action_id} was sent and is not mined (the {entry.executor}'s "
                                  f"nonce {entry.nonce})", f"wait, or `agentwallet tx speedup {entry.action_id}` "
                                  f"(higher fees), or `agentwallet tx cancel {entry.action_id}`")
            checked, mismatches = verification.verify(wallet)
            report(not mismatches, f"journal and chain agree ({checked} actions checked)"
                   if not mismatches else f"journal and chain: {len(mismatches)} mismatches",
                   "`agentwallet verify` lists each")
        except WalletError as exc:
            report(False, f"chain: {exc}", "start the node, or `agentwallet devnet start`")
    try:
        configured = config.model if config is not None else None
        path = models.model_path(configured)
        if not configured:
            models.check_bundled()
        report(True, f"model {path}")
    except WalletError as exc:
        report(False, f"model: {exc}", "run scripts/setup, or `agentwallet model use PATH`")
    installed = importlib.util.find_spec("llama_cpp") is not None  # found, not loaded: agent/ alone loads it
    report(installed, "llama-cpp-python installed" if installed else "llama-cpp-python is not installed",
           "run scripts/setup")
    return 1 if problems else 0


def cmd_keys(args: argparse.Namespace) -> int:
    from agentwallet.keys import KeyStore

    keys = KeyStore(config_module.home_dir())
    if args.keys_command == "show":
        for role in ("owner", "agent"):
            print(f"{role:<6} {keys.address(role) if keys.has(role) else '(none: run `agentwallet init`)'}")
        print(f"kept in {keys.backend}")
        return 0
    path = keys.export_keystore(args.role, Path(args.file))
    print(f"wrote the {args.role} keystore to {path} (encrypted with your wallet passphrase)")
    return 0
