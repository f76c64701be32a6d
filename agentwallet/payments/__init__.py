"""x402 payments: paying for a web resource from the vault, through the guardrail; and selling
this wallet's skill, paid to the vault and settled by the wallet itself (`serve`)."""
