"""Gas goals, measured as benchmarks/gas.py does: real anvil, receipts of the agent's own EOA."""

import pytest
from guardrail_kit import load_script

gas = load_script("benchmarks/gas.py")

pytestmark = pytest.mark.skipif(not gas.ANVIL.exists(), reason="anvil is not installed (scripts/setup)")


@pytest.fixture(scope="module")
def figures():
    with gas.anvil() as w3:
        return {figure.name: figure for figure in gas.measure(w3)}


def test_send_native_to_an_eoa_costs_at_most_45000_gas(figures):
    assert figures["send_native to an existing EOA"].gas <= 45_000


def test_record_costs_at_most_27000_gas(figures):
    assert figures["record (denied)"].gas <= 27_000


def test_send_token_costs_at_most_25000_more_than_a_plain_transfer(figures):
    plain = figures["plain DemoToken transfer between EOAs"].gas
    assert figures["send_token (DemoToken, same kind of recipient)"].gas <= plain + 25_000


def test_authorizing_an_x402_payment_costs_at_most_75000_gas(figures):
    assert figures["x402: authorize_payment (the agent)"].gas <= 75_000


def test_settling_an_x402_payment_from_the_vault_costs_at_most_75000_gas(figures):
    assert figures["x402: transferWithAuthorization (facilitator)"].gas <= 75_000


def test_an_x402_payment_costs_at_most_95000_more_than_a_guarded_token_transfer(figures):
    token = figures["send_token (DemoToken, same kind of recipient)"].gas
    assert figures["x402 payment, authorize + settle"].gas <= token + 95_000


def test_a_plans_decision_costs_at_most_32000_gas_and_a_denied_one_40000(figures):
    assert figures["record_plan, 2 steps approved"].gas <= 32_000
    assert figures["record_plan, 2 steps denied"].gas <= 40_000
