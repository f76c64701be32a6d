"""x402 payments: paying for a web resource from the vault, through the guardrail."""
