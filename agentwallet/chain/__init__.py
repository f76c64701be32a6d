"""The only part of agentwallet that speaks to a node: devnet, guardrail, tokens, events."""
