"""ctrl+p: every action of the app, by name, in Textual's command palette.

A command is found by its name or by the words it is known by ("contact" finds Add a
contact), so what a person types finds it even when the name says it another way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    action: str
    words: str = ""  # other words it is found by


COMMANDS = (
    Command("Wallet", "balances, allowance gauges, spending (w)", "show('wallet')", "balance vault gas"),
    Command("Agent chat", "ask the agent; focus the request box (c)", "chat", "ask request"),
    Command("Limits", "the on-chain policy, and forms to change it (l)", "show('limits')", "policy allowance"),
    Command("Change the ETH limits", "per transaction, allowance, period, expiry", "limits_form('#per-tx')",
            "limits allowance cap period expiry"),
    Command("Change a token's limits", "per transaction and allowance of one token", "limits_form('#token')",
            "limits allowance cap token usdc"),
    Command("History", "every action, from the chain (h)", "show('history')", "actions"),
    Command("Export history as CSV", "what the History screen shows, to the data dir", "export_history('csv')"),
    Command("Export history as JSON", "what the History screen shows, to the data dir", "export_history('json')"),
    Command("Verify the journal against the chain", "each logged action's hash, as `agentwallet verify`",
            "verify", "verify check hash"),
    Command("Agents", "other agents on chain (ERC-8004), and this wallet's card (a)", "show('agents')",
            "erc-8004 registry directory discover skill reputation"),
    Command("Publish this wallet's card", "register or update it, in Agents (u); asks first", "publish_card",
            "agents card register update erc-8004"),
    Command("Settings", "network, model, keys, contacts (s)", "show('settings')", "network"),
    Command("Add a contact", "a name and an address, in Settings", "settings_field('#contact-name')",
            "contact address book"),
    Command("Remove a contact", "the highlighted one, in Settings (del)", "settings_field('#contacts-table')",
            "contact delete"),
    Command("Use another model", "a GGUF file, in Settings", "settings_field('#model-path')", "model gguf"),
    Command("Export the owner keystore", "an encrypted keystore file", "export_keystore('owner')", "key backup"),
    Command("Export the agent keystore", "an encrypted keystore file", "export_keystore('agent')", "key backup"),
    Command("Pause the agent", "the kill switch: it can move nothing until resumed; asks first (p)",
            "toggle_pause('pause')", "kill switch stop"),
    Command("Resume the agent", "it may act again within its limits; asks first (p)", "toggle_pause('resume')",
            "kill switch unpause"),
    Command("Reconnect to the chain", "open the wallet again", "reconnect", "node rpc"),
    Command("Reload the model", "load the agent's model again", "reload_model", "model"),
    Command("Help", "every key (?)", "help", "keys"),
    Command("Quit", "leave agentwallet (q)", "quit", "exit"),
)


class WalletCommands(Provider):
    async def discover(self) -> Hits:
        for command in COMMANDS:
            yield DiscoveryHit(command.name, partial(self.app.run_action, command.action), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in COMMANDS:
            score = max([matcher.match(command.name), *(matcher.match(word) * 0.9 for word in command.words.split())])
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), partial(self.app.run_action, command.action),
                          command.name, command.help)
