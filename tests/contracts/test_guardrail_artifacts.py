"""The committed artifacts are the compiled sources, and the ABI is the stable one of docs/guardrail.md."""

import pytest
from guardrail_kit import deployer, load_script

from agentwallet.chain import artifacts

build = load_script("contracts/build.py")

STABLE_ABI = {
    "send_native": ["address", "uint256", "bytes32", "bytes32"],
    "send_token": ["address", "address", "uint256", "bytes32", "bytes32"],
    "call": ["address", "uint256", "bytes", "bytes32", "bytes32"],
    "record": ["bytes32", "bytes32", "uint8"],
    "record_plan": ["bytes32", "bytes32", "bytes32[]", "bytes32[]", "uint256"],
    "set_policy": ["address", "uint256", "uint256", "uint256", "uint256"],
    "set_token_policy": ["address", "address", "uint256", "uint256"],
    "set_recipient": ["address", "address", "bool"],
    "set_recipients_restricted": ["address", "bool"],
    "set_call": ["address", "address", "bytes4", "bool"],
    "revoke": ["address"],
    "pause": [],
    "unpause": [],
    "withdraw_native": ["address", "uint256"],
    "withdraw_token": ["address", "address", "uint256"],
    "owner_execute": ["address", "uint256", "bytes", "bytes32", "bytes32"],
    "transfer_ownership": ["address"],
    "accept_ownership": [],
    "owner": [],
    "paused": [],
    "remaining_native": ["address"],
    "remaining_token": ["address", "address"],
    "authorize_payment": ["address", "address", "uint256", "uint256", "uint256", "bytes32", "bytes32", "bytes32"],
    "cancel_payment": ["address", "address", "uint256", "uint256", "uint256", "bytes32"],
    "payment_usable": ["address", "bytes32"],
}


@pytest.mark.parametrize("name", build.DEPLOYED)
def test_committed_artifact_is_the_compiled_source(name):
    assert build.artifact_path(name).read_text() == build.render(build.compile_artifact(name))


@pytest.mark.parametrize("name", build.DEPLOYED)
def test_the_app_deploys_the_bytecode_these_tests_run(name):
    assert artifacts.load(name).bytecode == deployer(name).compiler_data.bytecode


@pytest.mark.parametrize(("function", "inputs"), STABLE_ABI.items())
def test_guardrail_has_the_stable_abi(function, inputs):
    abi = {item["name"]: item for item in artifacts.load("Guardrail").abi if item["type"] == "function"}
    assert [argument["type"] for argument in abi[function]["inputs"]] == inputs


def test_action_event_carries_every_fact_in_order():
    (action,) = [item for item in artifacts.load("Guardrail").abi if item.get("name") == "Action"]
    assert [(field["name"], field["type"], field["indexed"]) for field in action["inputs"]] == [
        ("action_id", "bytes32", True),
        ("actor", "address", True),
        ("kind", "uint8", False),
        ("target", "address", False),
        ("token", "address", False),
        ("amount", "uint256", False),
        ("intent_hash", "bytes32", False),
        ("status", "uint8", False),
    ]
