"""agentwallet: a local LLM agent proposes, you approve, an on-chain guardrail caps the rest."""
