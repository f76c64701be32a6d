"""The base of the app's full screens: `self.app` typed as the AgentWalletApp it runs in.

Screens post their work to the app's methods (its session, `apply_change`, `sending`,
`report`), so they need its type; the app imports the screens, so the screens name it only
for the type checker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from agentwallet.tui.app import AgentWalletApp

ResultType = TypeVar("ResultType")


class AppScreen(Screen[ResultType]):
    @property
    def app(self) -> AgentWalletApp:
        return cast("AgentWalletApp", super().app)
