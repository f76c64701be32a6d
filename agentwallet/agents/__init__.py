"""Other agents on chain (ERC-8004): cards, discovery, reputation, on top of chain/."""
