"""The chains the wallet knows by name, by chain id: what `init` says it is deploying on."""

from __future__ import annotations

KNOWN_CHAINS = {
    1: "Ethereum",
    10: "OP Mainnet",
    137: "Polygon",
    8453: "Base",
    42161: "Arbitrum One",
    11155111: "Sepolia (testnet)",
    84532: "Base Sepolia (testnet)",
    11155420: "OP Sepolia (testnet)",
    421614: "Arbitrum Sepolia (testnet)",
    31337: "a local anvil or Hardhat node",
}


def chain_name(chain_id: int) -> str:
    """'Base (chain id 8453)', or for a chain not known by name, 'chain id N' and that it is not."""
    name = KNOWN_CHAINS.get(chain_id)
    return f"{name} (chain id {chain_id})" if name else f"chain id {chain_id} (not a chain this wallet knows by name)"


# Blocks built on the one holding a transaction before the wallet calls it done: a reorg as
# deep as that is not expected there. Ethereum and its testnet finalise late but rarely reorg
# more than a block or two; the rollups' sequencers order blocks alone, so only a sequencer
# fault reorders them; a local node never reorganises unless told to.
CONFIRMATIONS = {
    1: 3, 11155111: 3,
    10: 2, 8453: 2, 11155420: 2, 84532: 2,
    42161: 20, 421614: 20,  # four blocks a second: some five seconds
    137: 32,  # Polygon PoS reorganised dozens of blocks deep before its milestones
    31337: 0,
}
UNKNOWN_CHAIN_CONFIRMATIONS = 3


def confirmations_needed(chain_id: int, configured: int | None = None) -> int:
    """How many blocks must be built on a transaction's before its action counts as executed:
    the config's `confirmations` when set, else the chain's own number."""
    if configured is not None:
        return configured
    return CONFIRMATIONS.get(chain_id, UNKNOWN_CHAIN_CONFIRMATIONS)
