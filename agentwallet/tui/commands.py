"""ctrl+p: every action of the app, by name, in Textual's command palette."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS = (
    ("Wallet", "balances, allowance gauges, spending (w)", "show('wallet')"),
    ("Agent chat", "ask the agent; focus the request box (c)", "chat"),
    ("Limits", "the on-chain policy, and forms to change it (l)", "show('limits')"),
    ("History", "every action, from the chain (h)", "show('history')"),
    ("Settings", "network, model, keys, contacts (s)", "show('settings')"),
    ("Pause the agent", "the kill switch: it can move nothing until resumed; asks first (p)", "toggle_pause('pause')"),
    ("Resume the agent", "it may act again within its limits; asks first (p)", "toggle_pause('resume')"),
    ("Export history as CSV", "what the History screen shows, to the data dir", "export_history('csv')"),
    ("Export history as JSON", "what the History screen shows, to the data dir", "export_history('json')"),
    ("Reconnect to the chain", "open the wallet again", "reconnect"),
    ("Reload the model", "load the agent's model again", "reload_model"),
    ("Help", "every key (?)", "help"),
    ("Quit", "leave agentwallet (q)", "quit"),
)


class WalletCommands(Provider):
    async def discover(self) -> Hits:
        for name, help_text, action in COMMANDS:
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action), name, help_text)
