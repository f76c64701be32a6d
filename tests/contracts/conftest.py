"""Fixtures for the contract tests: titanoboa's in-process EVM, each contract compiled once.

boa's pytest plugin snapshots the chain around every fixture and hypothesis example, so each
test starts from the state its fixtures built.
"""

from __future__ import annotations

import boa
import pytest
from guardrail_kit import (
    ALLOWANCE,
    DAY,
    PER_TX,
    TOKEN_ALLOWANCE,
    TOKEN_PER_TX,
    USDC,
    VAULT_FUNDS,
    VAULT_TOKENS,
    deployer,
    sent_by,
)


@pytest.fixture(scope="session")
def owner():
    return boa.env.generate_address("owner")


@pytest.fixture(scope="session")
def agent():
    return boa.env.generate_address("agent")


@pytest.fixture(scope="session")
def alice():
    return boa.env.generate_address("alice")


@pytest.fixture(scope="session")
def bob():
    return boa.env.generate_address("bob")


@pytest.fixture(scope="session")
def stranger():
    return boa.env.generate_address("stranger")


@pytest.fixture
def bare_vault(owner):
    """A freshly deployed guardrail holding VAULT_FUNDS, with no policy yet."""
    with boa.env.prank(owner):
        vault = deployer("Guardrail").deploy()
    boa.env.set_balance(vault.address, VAULT_FUNDS)
    return vault


@pytest.fixture
def vault(bare_vault, owner, agent):
    """The guardrail with the agent's native policy: PER_TX per action, ALLOWANCE a day."""
    sent_by(owner, bare_vault.set_policy, agent, PER_TX, ALLOWANCE, DAY, 0)
    return bare_vault


@pytest.fixture
def usdc(owner, vault):
    """A 6-decimal DemoToken; the vault holds VAULT_TOKENS, the owner 1,000,000 USDC."""
    with boa.env.prank(owner):
        token = deployer("DemoToken").deploy("Demo USDC", "USDC", 6)
        token.mint(vault.address, VAULT_TOKENS)
        token.mint(owner, 1_000_000 * USDC)
    return token


@pytest.fixture
def usdc_policy(vault, usdc, owner, agent):
    """The agent may move TOKEN_PER_TX per action and TOKEN_ALLOWANCE a day of usdc."""
    sent_by(owner, vault.set_token_policy, agent, usdc.address, TOKEN_PER_TX, TOKEN_ALLOWANCE)
    return usdc


@pytest.fixture
def target():
    return deployer("CallTarget").deploy()


@pytest.fixture
def hostile():
    return deployer("HostileRecipient").deploy()


@pytest.fixture
def identity():
    """A fresh ERC-8004 identity registry."""
    return deployer("IdentityRegistry").deploy()


@pytest.fixture
def agent_id(identity, owner):
    """Agent 0, registered by the owner with a card."""
    return sent_by(owner, identity.register, "https://translator.example/agent.json")


@pytest.fixture
def reputation(identity):
    """A fresh ERC-8004 reputation registry rating the agents of `identity`."""
    return deployer("ReputationRegistry").deploy(identity.address)
