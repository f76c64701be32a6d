"""`agentwallet init`: keys, the guardrail deployed and funded, a default policy.

On devnet the chain is ours, so the owner is given test ETH, the vault is funded, the agent
gets gas money and a demo 6-decimal "USDC" is minted to the vault. On any other network the
owner pays for the deployment and the user is told what to fund.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from agentwallet import config as config_module
from agentwallet.chain import tokens, transactions
from agentwallet.chain.devnet import Devnet
from agentwallet.chain.guardrail import Guardrail
from agentwallet.chain.node import connect
from agentwallet.config import DEVNET, DEVNET_CHAIN_ID, Config, TokenEntry
from agentwallet.errors import WalletError
from agentwallet.keys import KeyStore

ETH = 10**18
DEVNET_OWNER_FUNDS = 1_000 * ETH
DEVNET_VAULT_FUNDS = 10 * ETH
DEVNET_AGENT_GAS = 1 * ETH
DEMO_TOKEN_SYMBOL = "USDC"
DEMO_TOKEN_DECIMALS = 6
DEMO_TOKEN_MINT = 1_000 * 10**DEMO_TOKEN_DECIMALS
# On devnet, three people to pay from the first request: anvil's public test accounts 1 to 3
# (its accounts are derived from a published mnemonic; nothing on devnet is worth anything).
DEVNET_CONTACTS = {
    "alice": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "bob": "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "carol": "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
}
DEFAULT_PER_TX = ETH // 10
DEFAULT_ALLOWANCE = ETH // 2
DEFAULT_PERIOD = 86_400
DEFAULT_TOKEN_PER_TX = 50 * 10**DEMO_TOKEN_DECIMALS
DEFAULT_TOKEN_ALLOWANCE = 100 * 10**DEMO_TOKEN_DECIMALS


@dataclass(frozen=True)
class InitResult:
    config: Config
    to_fund: list[str]  # what the user still has to do, in words (other networks)


def initialize(home: Path, network: str = DEVNET, import_keystore: Path | None = None,
               progress: Callable[[str], None] = lambda _: None, keys: KeyStore | None = None,
               prompt: Callable[[str], str] | None = None) -> InitResult:
    """`prompt` asks for a new keystore passphrase where one is needed (the TUI's dialog);
    `keys` is for tests, which use a light scrypt."""
    config = config_module.load_config(home)
    keys = keys or KeyStore(home, prompt=prompt)
    if config.guardrail and keys.has("owner"):
        raise WalletError(f"already set up (guardrail {config.guardrail}); "
                          "use another AGENTWALLET_HOME for a second wallet")

    if network == DEVNET:
        progress("starting the devnet")
        rpc_url = Devnet(home).start().rpc_url
    else:
        rpc_url = network
    w3 = connect(rpc_url, DEVNET_CHAIN_ID if network == DEVNET else None)

    if not keys.has("owner"):
        if import_keystore is not None:
            progress("importing the owner keystore")
            keys.import_keystore("owner", import_keystore)
        else:
            progress("making the owner key")
            keys.create("owner")
    if not keys.has("agent"):
        progress("making the agent key")
        keys.create("agent")
    owner_address, agent_address = keys.address("owner"), keys.address("agent")
    owner = keys.account("owner")

    if network == DEVNET:
        w3.provider.make_request("anvil_setBalance", [owner_address, hex(DEVNET_OWNER_FUNDS)])
    elif w3.eth.get_balance(owner_address) == 0:
        raise WalletError(f"the owner {owner_address} has no ETH for gas on this network: fund it, then run init again")

    progress("deploying the guardrail")
    guardrail = Guardrail.deploy(w3, owner)
    config = config_module.update_config(home, lambda config: replace(
        config, network=network, chain_id=w3.eth.chain_id, guardrail=guardrail.address,
        owner=owner_address, agent=agent_address))

    def send(call, value: int = 0) -> None:
        signed = transactions.sign(w3, owner, call, call.estimate_gas({"from": owner_address, "value": value}), value)
        transactions.broadcast(w3, signed.raw)
        if not transactions.wait(w3, signed.tx_hash).ok:
            raise WalletError("a set-up transaction reverted")

    progress("setting the default policy")
    send(guardrail.set_policy(agent_address, DEFAULT_PER_TX, DEFAULT_ALLOWANCE, DEFAULT_PERIOD, 0))
    to_fund: list[str] = []
    if network == DEVNET:
        progress("funding the vault and the agent's gas")
        _send_eth(w3, owner, guardrail.address, DEVNET_VAULT_FUNDS)
        _send_eth(w3, owner, agent_address, DEVNET_AGENT_GAS)
        progress("deploying the demo USDC token")
        token_address = tokens.deploy_demo_token(w3, owner, DEMO_TOKEN_SYMBOL, DEMO_TOKEN_DECIMALS)
        send(tokens.demo_token(w3, token_address).functions.mint(guardrail.address, DEMO_TOKEN_MINT))
        send(guardrail.set_token_policy(agent_address, token_address, DEFAULT_TOKEN_PER_TX, DEFAULT_TOKEN_ALLOWANCE))
        config = config_module.update_config(home, lambda config: _with_demo_contacts(
            config.with_token(TokenEntry(token_address, DEMO_TOKEN_SYMBOL, DEMO_TOKEN_DECIMALS))))
    else:
        to_fund = [f"send the ETH the agent may spend to the guardrail vault {guardrail.address}",
                   f"send a little ETH for gas to the agent {agent_address}"]
    return InitResult(config, to_fund)


def _with_demo_contacts(config: Config) -> Config:
    for name, address in DEVNET_CONTACTS.items():
        if name not in config.contacts and address not in config.contacts.values():
            config = config.with_new_contact(name, address)
    return config


def _send_eth(w3, account, to: str, value: int) -> None:
    tx = {"to": to, "value": value, "nonce": w3.eth.get_transaction_count(account.address, "pending"),
          "chainId": w3.eth.chain_id, "maxFeePerGas": w3.eth.gas_price * 2, "maxPriorityFeePerGas": 0}
    tx["gas"] = w3.eth.estimate_gas({"from": account.address, "to": to, "value": value})
    signed = account.sign_transaction(tx)
    transactions.broadcast(w3, bytes(signed.raw_transaction))
    if not transactions.wait(w3, w3.to_hex(signed.hash)).ok:
        raise WalletError(f"could not send ETH to {to}")
