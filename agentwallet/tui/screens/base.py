"""The base of the app's full screens: `self.app` typed as the AgentWalletApp it runs in, and
the one focus rule every screen keeps.

Screens post their work to the app's methods (its session, `apply_change`, `sending`,
`report`), so they need its type; the app imports the screens, so the screens name it only
for the type checker.

Focus: single-letter keys (w, l, h, p, …) work whenever no text field has the focus; in a
field they are typed, and Esc leaves the field (the footer shows it), so the keys work again.

Screens that show what the chain says (ChainView) read it again whenever the app's revision
moves: a decision was carried out, the owner changed something, a transaction settled.

Notices stack at the top right, or at the bottom right while the focused widget is in the
screen's top half: a notice never covers the field being typed in (the chat's request box is
at the bottom, a new contact's name at the top).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.binding import Binding
from textual.screen import Screen

if TYPE_CHECKING:
    from agentwallet.tui.app import AgentWalletApp

ResultType = TypeVar("ResultType")


class AppScreen(Screen[ResultType]):
    BINDINGS = [Binding("escape", "leave_field", "Leave field")]

    @property
    def app(self) -> AgentWalletApp:
        return cast("AgentWalletApp", super().app)

    def in_field(self) -> bool:
        """Whether a text field has the focus, so a letter typed goes into it."""
        from textual.widgets import Input

        return isinstance(self.focused, Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_field":
            return self.in_field()
        return True

    def action_leave_field(self) -> None:
        self.set_focus(None)

    def watch_focused(self) -> None:
        self.place_notices()

    def on_screen_resume(self) -> None:
        self.place_notices()

    def place_notices(self) -> None:
        focused = self.focused
        self.set_class(focused is not None and focused.region.center[1] < self.size.height // 2, "-notices-below")


class ChainView(AppScreen[ResultType]):
    """A screen that shows what the chain says: `load` reads it again, on every revision of the
    app and on `r` where the screen binds it."""

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self._on_revision)

    def _on_revision(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    def load(self) -> None:
        raise NotImplementedError
