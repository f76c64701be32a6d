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
