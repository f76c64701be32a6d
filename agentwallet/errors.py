"""The one exception type for errors a user can cause or fix.

The command line and the TUI show its message as it is (one line, no traceback); anything
else escaping is a bug.
"""


class WalletError(Exception):
    """A problem the user can act on: bad input, a dead node, a missing key, a reverted call."""
