"""The Settings screen: contacts, tokens, the model, the two keys (export), and the network.

The network is set in config.toml; this screen shows it. Contacts, tokens and the model are
changed here and saved to the same file.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Header, Input, Static

from agentwallet.config import lookalike_names
from agentwallet.errors import WalletError
from agentwallet.private_files import private_dir
from agentwallet.tui.format import shown_literally, untrusted
from agentwallet.tui.screens.base import AppScreen
from agentwallet.tui.screens.confirm import ConfirmScreen
from agentwallet.tui.screens.prompt import PromptScreen
from agentwallet.tui.validators import Parses, parse_address, parse_contact_name
from agentwallet.tui.widgets.connection_bar import ConnectionBar


class SettingsScreen(AppScreen):
    AUTO_FOCUS = "#contact-name"
    BINDINGS = [Binding("delete", "remove_contact", "Remove contact")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            with Vertical(id="contacts", classes="panel") as panel:
                panel.border_title = "Contacts"
                table: DataTable = DataTable(id="contacts-table", cursor_type="row")
                table.add_column("name", key="name", width=16)
                table.add_column("address", key="address", width=42)
                yield table
                with Horizontal(classes="buttons"):
                    yield Input(placeholder="name", id="contact-name", validators=[Parses(parse_contact_name)])
                    yield Input(placeholder="0x… address", id="contact-address", validators=[Parses(parse_address)])
                    yield Button("Add", id="add-contact", variant="primary")
                    yield Button("Remove", id="remove-contact")
            with Vertical(id="tokens", classes="panel") as panel:
                panel.border_title = "Tokens"
                yield Static("loading…", id="tokens-table")
                with Horizontal(classes="buttons"):
                    yield Input(placeholder="0x… address of an ERC-20 token", id="token-address",
                                validators=[Parses(parse_address)])
                    yield Button("Add token", id="add-token")
            with Vertical(id="model", classes="panel") as panel:
                panel.border_title = "Model"
                yield Static("loading…", id="model-table")
                with Horizontal(classes="buttons"):
                    yield Input(placeholder="/path/to/model.gguf", id="model-path")
                    yield Button("Use this file", id="use-model")
                    yield Button("Use the bundled model", id="use-bundled")
            with Vertical(id="keys", classes="panel") as panel:
                panel.border_title = "Keys"
                yield Static("loading…", id="keys-table")
                with Horizontal(classes="buttons"):
                    yield Button("Export owner keystore", id="export-owner")
                    yield Button("Export agent keystore", id="export-agent")
            with Vertical(id="network", classes="panel") as panel:
                panel.border_title = "Network"
                yield Static("loading…", id="network-table")
        yield ConnectionBar()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "wallet_info", self._show_info)
        self.watch(self.app, "model_state", self._show_model)

    def _show_info(self) -> None:
        info = self.app.wallet_info
        if info is None:
            return
        network = _grid()
        network.add_row("network", untrusted(info.network))
        network.add_row("chain id", Text(str(info.chain_id)))
        network.add_row("RPC", untrusted(info.rpc_url))
        network.add_row("guardrail", Text(info.guardrail))
        network.add_row("data dir", Text(str(info.home)))
        self.query_one("#network-table", Static).update(network)
        keys = _grid()
        keys.add_row("stored in", untrusted(info.keys_backend))
        keys.add_row("owner", Text(info.owner))
        keys.add_row("agent", Text(info.agent))
        self.query_one("#keys-table", Static).update(keys)
        tokens = _grid()
        for entry in info.tokens:
            tokens.add_row(untrusted(entry.symbol), Text(f"{entry.address}  {entry.decimals} decimals"))
        self.query_one("#tokens-table", Static).update(tokens if info.tokens else Text("none yet", style="dim"))
        table = self.query_one("#contacts-table", DataTable)
        table.clear()
        for name, address in sorted(info.contacts.items()):
            table.add_row(untrusted(name), Text(address), key=name)
        self._show_model()

    def _show_model(self) -> None:
        info = self.app.wallet_info
        model = _grid()
        model.add_row("file", untrusted(info.model) if info and info.model else Text("the bundled model"))
        model.add_row("state", Text(self.app.model_state))
        model.add_row("change", Text("any GGUF file: type its path below and press enter", style="dim"))
        self.query_one("#model-table", Static).update(model)

    @on(Button.Pressed, "#use-model")
    @on(Input.Submitted, "#model-path")
    def _use_model_file(self) -> None:
        path = self.query_one("#model-path", Input).value.strip()
        if path:
            self.use_model(path)
        else:
            self.notify("Type the path of a GGUF file first.", severity="warning", markup=False)

    @on(Button.Pressed, "#use-bundled")
    def _use_bundled_model(self) -> None:
        self.use_model(None)

    @work(exclusive=True, group="use-model")
    async def use_model(self, path: str | None) -> None:
        """Keep the choice in the config, then load that model in the background."""
        if not self.app.session.is_open:
            self.notify("Not connected yet.", severity="warning", markup=False)
            return
        field = self.query_one("#model-path", Input)
        try:
            self.app.wallet_info = await self.app.session.use_model(path)
        except WalletError as error:
            self.app.report(error)  # it names the path; cleared, the field cannot send it again
            field.clear()
            return
        field.clear()
        self.notify(f"Loading {path or 'the bundled model'}", title="Model", markup=False)
        self.app.load_model()

    # keys

    @on(Button.Pressed, "#export-owner")
    def _export_owner(self) -> None:
        self.export_keystore("owner")

    @on(Button.Pressed, "#export-agent")
    def _export_agent(self) -> None:
        self.export_keystore("agent")

    @work(group="export-keystore")
    async def export_keystore(self, role: str) -> None:
        info = self.app.wallet_info
        if info is None:
            self.notify("Not connected yet.", severity="warning", markup=False)
            return
        stamp = datetime.fromtimestamp(self.app.clock(), timezone.utc).strftime("%Y%m%d-%H%M%S")
        default = info.home / "exports" / f"{role}-keystore-{stamp}.json"
        answer = await self.app.push_screen_wait(PromptScreen(
            f"Export the {role} key as a keystore file to:", str(default),
            hint="An encrypted Web3 Secret Storage file, as geth and cast wallet read.", confirm="Export"))
        if not answer:
            return
        destination = Path(answer).expanduser()
        try:
            if destination.parent == default.parent:
                private_dir(destination.parent)  # the home's exports/, 0700 as History's export makes it
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
            path = await self.app.session.export_keystore(role, destination)
        except (WalletError, OSError) as error:
            self.app.report(error)
            return
        self.notify(f"The {role} keystore is in {path}", title="Exported", markup=False)

    # contacts

    @on(Button.Pressed, "#add-contact")
    @on(Input.Submitted, "#contact-address")
    def _add_contact(self) -> None:
        self.add_contact()

    @on(Input.Submitted, "#contact-name")
    def _name_given(self) -> None:
        """Enter in the name goes on to the address, as a form's next field; with both, it adds."""
        address = self.query_one("#contact-address", Input)
        if address.value.strip():
            self.add_contact()
        else:
            address.focus()

    @work(group="contacts")
    async def add_contact(self) -> None:
        name_input = self.query_one("#contact-name", Input)
        address_input = self.query_one("#contact-address", Input)
        try:
            name = parse_contact_name(name_input.value.strip())
            address = parse_address(address_input.value.strip())
        except WalletError as error:
            self.app.report(error)
            return
        contacts = self.app.wallet_info.contacts if self.app.wallet_info else {}
        lookalikes = lookalike_names(name, contacts)
        if lookalikes and not await self.app.push_screen_wait(ConfirmScreen(
                f"Add {name}? Its name looks like {' and '.join(lookalikes)}", [
                    *(Text.assemble(untrusted(known), f"  {contacts[known]}") for known in lookalikes),
                    Text.assemble(untrusted(name), f"  {address}", style="bold"),
                    Text("A payment asked for by name could go to the wrong one.", style="dim")], "Add")):
            return
        try:
            self.app.wallet_info = await self.app.session.add_contact(name, address)
        except WalletError as error:
            self.app.report(error)
            return
        name_input.clear()
        address_input.clear()
        self.notify(f"Added {name} {address}", markup=False)

    @on(Button.Pressed, "#add-token")
    @on(Input.Submitted, "#token-address")
    @work(group="tokens")
    async def add_token(self) -> None:
        """Know another ERC-20 token, checked on chain; the agent moves it once the owner sets
        its limits."""
        field = self.query_one("#token-address", Input)
        try:
            address = parse_address(field.value.strip())
            self.app.wallet_info, entry = await self.app.session.add_token(address)
        except WalletError as error:
            self.app.report(error)
            return
        field.clear()
        self.notify(f"Added {shown_literally(entry.symbol)} {entry.address} ({entry.decimals} decimals): "
                    "the agent can move it once its limits are set (Limits, l)", markup=False)

    @on(Button.Pressed, "#remove-contact")
    def action_remove_contact(self) -> None:
        table = self.query_one("#contacts-table", DataTable)
        if table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        if row_key.value is not None:
            self.remove_contact(row_key.value)

    @work(group="contacts")
    async def remove_contact(self, name: str) -> None:
        contacts = self.app.wallet_info.contacts if self.app.wallet_info else {}
        if not await self.app.push_screen_wait(ConfirmScreen(f"Remove the contact {name}?", [
                Text.assemble(untrusted(name), f"  {contacts.get(name, '')}"),
                Text("The agent will then need the address to pay it.", style="dim")], "Remove")):
            return
        try:
            self.app.wallet_info = await self.app.session.remove_contact(name)
        except WalletError as error:
            self.app.report(error)
            return
        self.notify(f"Removed {name}", markup=False)


def _grid() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column()
    return table
