"""Gas of the guardrail's hot paths on a real anvil, each figure next to its goal, and of the
ERC-8004 registries' calls (for information).

Run: .venv/bin/python benchmarks/gas.py       (exit code 1 when a goal is missed)

Starts anvil on a free 127.0.0.1 port, deploys the committed artifacts with web3.py, sets a
policy and reads gasUsed from the receipts of transactions sent by the agent's own EOA. A view's
figure is eth_estimateGas of calling it in a transaction.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_utils import keccak
from web3 import Web3

from agentwallet.chain import artifacts, eip3009

ANVIL = Path(__file__).resolve().parents[1] / "node_modules" / ".bin" / "anvil"
PLAIN_ETH_TRANSFER = 21_000
ETH = 10**18
USDC = 10**6
DAY = 86_400


@dataclass(frozen=True)
class Figure:
    name: str
    gas: int
    goal: int | None = None  # the most it may cost; None: shown for information
    note: str = ""

    @property
    def met(self) -> bool:
        return self.goal is None or self.gas <= self.goal

    def line(self) -> str:
        goal = f"<= {self.goal:,}" if self.goal is not None else ""
        verdict = "" if self.goal is None else ("ok" if self.met else "OVER")
        return (f"{self.name:<48} {self.gas:>7,}   {goal:<10} {verdict:<4}   "
                f"{self.gas - PLAIN_ETH_TRANSFER:>+7,}   {self.note}").rstrip()


HEADER = f"{'':<48} {'gas':>7}   {'goal':<15}   vs a plain ETH transfer ({PLAIN_ETH_TRANSFER:,})"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def anvil() -> Iterator[Web3]:
    """A fresh anvil chain, stopped on exit."""
    port = free_port()
    process = subprocess.Popen([str(ANVIL), "--port", str(port), "--silent"])
    try:
        w3 = Web3(Web3.HTTPProvider(f"http://127.0.0.1:{port}"))
        deadline = time.monotonic() + 30
        while not w3.is_connected():
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("anvil did not start")
            time.sleep(0.05)
        yield w3
    finally:
        process.terminate()
        process.wait(timeout=10)


def _deploy(w3: Web3, name: str, sender: str, *args):
    artifact = artifacts.load(name)
    factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
    tx_hash = factory.constructor(*args).transact({"from": sender})
    address = w3.eth.wait_for_transaction_receipt(tx_hash).contractAddress
    return w3.eth.contract(address=address, abi=artifact.abi)


def _gas(w3: Web3, call, sender: str) -> int:
    receipt = w3.eth.wait_for_transaction_receipt(call.transact({"from": sender}))
    assert receipt.status == 1, "transaction reverted"
    return receipt.gasUsed


def _ids(n: int) -> tuple[bytes, bytes]:
    """An action id and an intent hash as the client makes them: 32 bytes of hash each."""
    return keccak(text=f"action {n}"), keccak(text=f"intent {n}")


def _plan_steps(n: int, steps: int) -> tuple[list[bytes], list[bytes]]:
    """A plan's steps' action ids and intent hashes."""
    ids = [_ids(1000 * n + step) for step in range(steps)]
    return [action_id for action_id, _ in ids], [intent for _, intent in ids]


def measure(w3: Web3) -> list[Figure]:
    owner, agent, alice, bob = w3.eth.accounts[:4]
    guardrail = _deploy(w3, "Guardrail", owner)
    usdc = _deploy(w3, "DemoToken", owner, "Demo USDC", "USDC", 6)
    deposit = w3.eth.send_transaction({"from": owner, "to": guardrail.address, "value": 10 * ETH})
    w3.eth.wait_for_transaction_receipt(deposit)
    for call in (
        guardrail.functions.set_policy(agent, 1 * ETH, 5 * ETH, DAY, 0),
        guardrail.functions.set_token_policy(agent, usdc.address, 100 * USDC, 500 * USDC),
        usdc.functions.mint(guardrail.address, 1_000 * USDC),
        usdc.functions.mint(owner, 1_000 * USDC),
        usdc.functions.transfer(bob, 1 * USDC),  # bob holds USDC already, as alice holds ETH
    ):
        _gas(w3, call, owner)

    def send_native(n: int) -> int:
        return _gas(w3, guardrail.functions.send_native(alice, ETH // 100, *_ids(n)), agent)

    def send_token(n: int) -> int:
        return _gas(w3, guardrail.functions.send_token(usdc.address, bob, 1 * USDC, *_ids(n)), agent)

    send_native(0)
    native = send_native(1)
    record = _gas(w3, guardrail.functions.record(*_ids(2), 2), agent)
    plan_approved, plan_denied = (
        _gas(w3, guardrail.functions.record_plan(*_ids(100 + n), *_plan_steps(n, 2), approved), agent)
        for n, approved in ((1, 0b11), (2, 0b00)))
    send_token(3)
    token = send_token(4)
    plain_token = _gas(w3, usdc.functions.transfer(bob, 1 * USDC), owner)

    w3.provider.make_request("evm_increaseTime", [DAY])
    native_new_window = send_native(5)
    token_new_window = send_token(6)
    _gas(w3, guardrail.functions.set_recipients_restricted(agent, True), owner)
    _gas(w3, guardrail.functions.set_recipient(agent, alice, True), owner)
    native_allowlisted = send_native(7)
    _gas(w3, guardrail.functions.set_recipients_restricted(agent, False), owner)

    def x402_payment(n: int) -> tuple[int, int]:
        """An x402 `exact` payment of 1 USDC to bob: the agent authorizes it, a facilitator
        (alice's EOA here) settles it with the vault's empty signature."""
        nonce = keccak(text=f"x402 nonce {n}")
        valid_before = w3.eth.get_block("latest").timestamp + 600
        authorize = _gas(w3, guardrail.functions.authorize_payment(usdc.address, bob, 1 * USDC, 0, valid_before,
                                                                   nonce, *_ids(n)), agent)
        settle = _gas(w3, usdc.functions.transferWithAuthorization(guardrail.address, bob, 1 * USDC, 0,
                                                                    valid_before, nonce, b""), alice)
        return authorize, settle

    x402_payment(8)
    authorize, settle = x402_payment(9)
    eoa_settle = _eoa_authorized_transfer(w3, usdc, bob)

    return [
        Figure("send_native to an existing EOA", native, 45_000),
        Figure("record (denied)", record, 27_000),
        Figure("record_plan, 2 steps approved", plan_approved, 32_000, "the plan's decision, once per plan"),
        Figure("record_plan, 2 steps denied", plan_denied, 40_000, "also logs each step denied"),
        Figure("plain DemoToken transfer between EOAs", plain_token),
        Figure("send_token (DemoToken, same kind of recipient)", token, plain_token + 25_000,
               f"plain token transfer {token - plain_token:+,} (goal +25,000)"),
        Figure("send_native, first of a new window", native_new_window),
        Figure("send_token, first of a new window", token_new_window),
        Figure("send_native with the recipient allowlist on", native_allowlisted),
        Figure("x402: authorize_payment (the agent)", authorize, 75_000),
        Figure("x402: transferWithAuthorization (facilitator)", settle, 75_000),
        Figure("x402 payment, authorize + settle", authorize + settle, token + 95_000,
               f"send_token {authorize + settle - token:+,} (goal +95,000)"),
        Figure("x402 settlement signed by an EOA, for scale", eoa_settle),
    ]


def _eoa_authorized_transfer(w3: Web3, usdc, payee: str) -> int:
    """Gas of a transferWithAuthorization an EOA signed, as most x402 payers are."""
    payer = Account.from_key(keccak(text="benchmark x402 payer"))
    _gas(w3, usdc.functions.mint(payer.address, 10 * USDC), w3.eth.accounts[0])
    _, name, version, chain_id, _, _, _ = usdc.functions.eip712Domain().call()
    authorization = eip3009.Authorization(payer.address, payee, 1 * USDC, 0,
                                          w3.eth.get_block("latest").timestamp + 600, keccak(text="eoa x402 nonce"))
    digest = eip3009.digest(eip3009.TokenDomain(name, version, chain_id, usdc.address), authorization)
    signature = bytes(Account.unsafe_sign_hash(digest, payer.key).signature)
    return _gas(w3, usdc.functions.transferWithAuthorization(*authorization.arguments(), signature),
                w3.eth.accounts[2])


ANVIL_KEY_0 = bytes.fromhex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")  # published


def card_uri(size: int) -> str:
    """A registration file as a base64 data: URI of `size` characters, less 0 to 3 (base64
    comes in fours)."""
    card = {"type": "https://eips.ethereum.org/EIPS/eip-8004#registration-v1", "name": "translator",
            "description": "", "services": [{"name": "web", "endpoint": "https://translator.example/"}],
            "x402Support": True, "active": True, "registrations": []}
    prefix = "data:application/json;base64,"
    card["description"] = "x" * max(0, (size - len(prefix)) // 4 * 3 - len(json.dumps(card)))
    return prefix + base64.b64encode(json.dumps(card).encode()).decode()


def wallet_signature(signer_key: bytes, domain: tuple, agent_id: int, new_wallet: str, owner: str,
                     deadline: int) -> bytes:
    """The EIP-712 AgentWalletSet signature that makes `new_wallet` the agent's wallet, by the key
    `signer_key`, in the registry's `domain` (what its eip712Domain() returns)."""
    _, name, version, chain_id, verifying_contract, _, _ = domain
    return Account.sign_typed_data(
        signer_key,
        domain_data={"name": name, "version": version, "chainId": chain_id, "verifyingContract": verifying_contract},
        message_types={"AgentWalletSet": [
            {"name": "agentId", "type": "uint256"}, {"name": "newWallet", "type": "address"},
            {"name": "owner", "type": "address"}, {"name": "deadline", "type": "uint256"}]},
        message_data={"agentId": agent_id, "newWallet": new_wallet, "owner": owner, "deadline": deadline},
    ).signature


def measure_registries(w3: Web3) -> list[Figure]:
    owner = w3.eth.accounts[0]
    identity = _deploy(w3, "IdentityRegistry", owner)
    reputation = _deploy(w3, "ReputationRegistry", owner, identity.address)
    card = card_uri(600)
    _gas(w3, identity.functions.register(card), owner)  # agent 0: the first mint pays for the counters
    register = _gas(w3, identity.functions.register(card), owner)  # agent 1
    wallet = Account.from_key(keccak(text="benchmark agent wallet"))
    deadline = w3.eth.get_block("latest").timestamp + 60
    domain = identity.functions.eip712Domain().call()
    signature = wallet_signature(wallet.key, domain, 1, wallet.address, owner, deadline)
    set_wallet = _gas(w3, identity.functions.setAgentWallet(1, wallet.address, deadline, signature), owner)
    # The vault as agent wallet, as `agents publish` makes it: the owner's signature, through the
    # guardrail's ERC-1271 isValidSignature (anvil's account 0 and its published key are the owner).
    vault = _deploy(w3, "Guardrail", owner)
    _gas(w3, identity.functions.register(card), owner)  # agent 2
    signature = wallet_signature(ANVIL_KEY_0, domain, 2, vault.address, owner, deadline)
    set_vault = _gas(w3, identity.functions.setAgentWallet(2, vault.address, deadline, signature), owner)
    clients = [Web3.to_checksum_address(keccak(text=f"benchmark client {n}")[:20]) for n in range(10)]
    feedback = reputation.functions.giveFeedback(1, 87, 0, "starred", "", "https://translator.example/", "",
                                                 b"\x00" * 32)
    for client in clients:
        w3.provider.make_request("anvil_setBalance", [client, hex(ETH)])
        w3.provider.make_request("anvil_impersonateAccount", [client])
        first_feedback = _gas(w3, feedback, client)
        second_feedback = _gas(w3, feedback, client)
    summary = reputation.functions.getSummary(1, clients, "", "").estimate_gas()
    tagged = reputation.functions.getSummary(1, clients, "starred", "").estimate_gas()
    read_all = reputation.functions.readAllFeedback(1, clients, "", "", False).estimate_gas()
    return [
        Figure("register(agentURI), a card of ~600 characters", register, 700_000),
        Figure("setAgentWallet (EIP-712 signature of an EOA)", set_wallet, 70_000),
        Figure("setAgentWallet, the vault (ERC-1271, owner's)", set_vault, 80_000),
        Figure("giveFeedback, a client's first to the agent", first_feedback, 170_000),
        Figure("giveFeedback, a client's second", second_feedback),
        Figure("getSummary over 10 clients, 20 feedbacks", summary, 130_000, "a view, sent as a transaction"),
        Figure("getSummary over 10 clients, filtered by tag1", tagged, note="a view, sent as a transaction"),
        Figure("readAllFeedback over 10 clients, 20 feedbacks", read_all, note="a view, sent as a transaction"),
    ]


def main() -> int:
    with anvil() as w3:
        figures = measure(w3) + measure_registries(w3)
    print(HEADER)
    for figure in figures:
        print(figure.line())
    return 0 if all(figure.met for figure in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
