"""The Textual app that `agentwallet` (no arguments) opens. It calls actions/ and agent/ only."""
