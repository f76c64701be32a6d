"""The one exception type for errors a user can cause or fix.

The command line and the TUI show its message as it is (one line, no traceback); anything
else escaping is a bug.
"""


class WalletError(Exception):
    """A problem the user can act on: bad input, a dead node, a missing key, a reverted call.

    A message that tells what to do with a command (`agentwallet contacts add …`) may carry the
    same advice in the TUI's words, where that command is a screen: the TUI never sends a person
    to the command line for what it can do itself."""

    def __init__(self, message: str, in_tui: str | None = None):
        super().__init__(message)
        self.in_tui = in_tui

    @property
    def for_tui(self) -> str:
        return self.in_tui or str(self)
