"""A button that decides something: pressed by its key or a click, never by Enter."""

from __future__ import annotations

from textual.widgets import Button


class DecisionButton(Button, can_focus=False):
    """Never focused, so Enter alone can never press it: only its own key or the mouse can."""
