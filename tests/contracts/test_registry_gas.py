"""The registries' gas ceilings, measured as benchmarks/gas.py does: real anvil, web3.py, the
committed artifacts (which also shows a web3 client registers, proves a wallet by EIP-712 with
the domain the registry states, rates and reads summaries)."""

import pytest
from guardrail_kit import load_script

gas = load_script("benchmarks/gas.py")

pytestmark = pytest.mark.skipif(not gas.ANVIL.exists(), reason="anvil is not installed (scripts/setup)")


@pytest.fixture(scope="module")
def figures():
    with gas.anvil() as w3:
        return {figure.name: figure for figure in gas.measure_registries(w3)}


@pytest.mark.parametrize("name", [
    "register(agentURI), a card of ~600 characters",
    "setAgentWallet (EIP-712 signature of an EOA)",
    "setAgentWallet, the vault (ERC-1271, owner's)",
    "giveFeedback, a client's first to the agent",
    "getSummary over 10 clients, 20 feedbacks",
])
def test_a_registry_call_stays_under_its_ceiling(figures, name):
    assert figures[name].met, figures[name].line()
