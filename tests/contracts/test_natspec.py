"""Every external function of the deployed contracts says what it does in NatSpec, snekmate's
way: a @notice, a @param for each argument and a @return when it returns something."""

import re

import pytest
import vyper
from guardrail_kit import CONTRACTS, load_script

build = load_script("contracts/build.py")


def documented_functions(name: str):
    """(signature, ABI entry, userdoc, devdoc) of each external function written in the source;
    the getters Vyper makes for public variables have no source to document."""
    source = (CONTRACTS / f"{name}.vy").read_text()
    written = set(re.findall(r"^def (\w+)\(", source, flags=re.MULTILINE))
    output = vyper.compile_code(source, input_bundle=build.input_bundle(), output_formats=["abi", "userdoc", "devdoc"])
    for entry in output["abi"]:
        if entry["type"] == "function" and entry["name"] in written:
            signature = f"{entry['name']}({','.join(argument['type'] for argument in entry['inputs'])})"
            # A function with default arguments is several ABI entries and one NatSpec, which Vyper
            # files under its first signature (userdoc) or under each with all the params (devdoc).
            yield (signature, entry, _by_name(output["userdoc"], entry["name"]),
                   _by_name(output["devdoc"], entry["name"]))


def _by_name(doc: dict, name: str) -> dict:
    return next((found for key, found in doc.get("methods", {}).items() if key.startswith(f"{name}(")), {})


FUNCTIONS = [(name, *documented) for name in build.DEPLOYED for documented in documented_functions(name)]


def test_the_functions_checked_are_the_written_ones_and_the_fallback_has_a_notice():
    guardrail = {signature for name, signature, *_ in FUNCTIONS if name == "Guardrail"}
    assert {"send_native(address,uint256,bytes32,bytes32)", "call_allowed(address,address,bytes4)"} <= guardrail
    assert "owner()" not in guardrail  # a getter of a public variable
    userdoc = vyper.compile_code((CONTRACTS / "Guardrail.vy").read_text(), output_formats=["userdoc"])["userdoc"]
    assert userdoc["methods"]["__default__()"]["notice"]


@pytest.mark.parametrize(("name", "signature", "entry", "userdoc", "devdoc"), FUNCTIONS,
                         ids=[f"{name}.{signature}" for name, signature, *_ in FUNCTIONS])
def test_every_external_function_has_notice_params_and_return(name, signature, entry, userdoc, devdoc):
    assert userdoc.get("notice"), f"{signature} has no @notice"
    names = [argument["name"] for argument in entry["inputs"]]
    assert list(devdoc.get("params", {}))[: len(names)] == names  # a shorter overload: its leading params
    assert bool(devdoc.get("returns")) == bool(entry["outputs"]), f"{signature}: @return and the outputs disagree"
