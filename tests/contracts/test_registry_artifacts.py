"""The committed registry artifacts have ERC-8004's ABI: every function and event the ERC's text
gives, with its types, outputs and indexing, so a client written against the ERC (or the
reference deployment) calls and decodes them unchanged. (test_guardrail_artifacts.py checks that
every artifact in build.DEPLOYED, these included, is its compiled source.)"""

import pytest

from agentwallet.chain import artifacts

IDENTITY_FUNCTIONS = {
    "register()": ["uint256"],
    "register(string)": ["uint256"],
    "register(string,(string,bytes)[])": ["uint256"],
    "setAgentURI(uint256,string)": [],
    "tokenURI(uint256)": ["string"],
    "getMetadata(uint256,string)": ["bytes"],
    "setMetadata(uint256,string,bytes)": [],
    "getAgentWallet(uint256)": ["address"],
    "setAgentWallet(uint256,address,uint256,bytes)": [],
    "unsetAgentWallet(uint256)": [],
    "ownerOf(uint256)": ["address"],
    "balanceOf(address)": ["uint256"],
    "approve(address,uint256)": [],
    "getApproved(uint256)": ["address"],
    "setApprovalForAll(address,bool)": [],
    "isApprovedForAll(address,address)": ["bool"],
    "transferFrom(address,address,uint256)": [],
    "safeTransferFrom(address,address,uint256)": [],
    "safeTransferFrom(address,address,uint256,bytes)": [],
    "supportsInterface(bytes4)": ["bool"],
    "eip712Domain()": ["bytes1", "string", "string", "uint256", "address", "bytes32", "uint256[]"],
}

IDENTITY_EVENTS = {
    "Registered": [("agentId", "uint256", True), ("agentURI", "string", False), ("owner", "address", True)],
    "URIUpdated": [("agentId", "uint256", True), ("newURI", "string", False), ("updatedBy", "address", True)],
    "MetadataSet": [("agentId", "uint256", True), ("indexedMetadataKey", "string", True),
                    ("metadataKey", "string", False), ("metadataValue", "bytes", False)],
}

REPUTATION_FUNCTIONS = {
    "getIdentityRegistry()": ["address"],
    "giveFeedback(uint256,int128,uint8,string,string,string,string,bytes32)": [],
    "revokeFeedback(uint256,uint64)": [],
    "appendResponse(uint256,address,uint64,string,bytes32)": [],
    "getSummary(uint256,address[],string,string)": ["uint64", "int128", "uint8"],
    "readFeedback(uint256,address,uint64)": ["int128", "uint8", "string", "string", "bool"],
    "readAllFeedback(uint256,address[],string,string,bool)": [
        "address[]", "uint64[]", "int128[]", "uint8[]", "string[]", "string[]", "bool[]"],
    "getResponseCount(uint256,address,uint64,address[])": ["uint64"],
    "getClients(uint256)": ["address[]"],
    "getLastIndex(uint256,address)": ["uint64"],
}

REPUTATION_EVENTS = {
    "NewFeedback": [("agentId", "uint256", True), ("clientAddress", "address", True),
                    ("feedbackIndex", "uint64", False),
                    ("value", "int128", False), ("valueDecimals", "uint8", False), ("indexedTag1", "string", True),
                    ("tag1", "string", False), ("tag2", "string", False), ("endpoint", "string", False),
                    ("feedbackURI", "string", False), ("feedbackHash", "bytes32", False)],
    "FeedbackRevoked": [("agentId", "uint256", True), ("clientAddress", "address", True),
                        ("feedbackIndex", "uint64", True)],
    "ResponseAppended": [("agentId", "uint256", True), ("clientAddress", "address", True),
                         ("feedbackIndex", "uint64", False), ("responder", "address", True),
                         ("responseURI", "string", False), ("responseHash", "bytes32", False)],
}


def _type(field: dict) -> str:
    if field["type"].startswith("tuple"):
        return "(" + ",".join(_type(part) for part in field["components"]) + ")" + field["type"][len("tuple"):]
    return field["type"]


def functions(name: str) -> dict[str, list[str]]:
    return {f"{item['name']}({','.join(_type(field) for field in item['inputs'])})": [
        _type(field) for field in item["outputs"]] for item in artifacts.load(name).abi if item["type"] == "function"}


def events(name: str) -> dict[str, list[tuple[str, str, bool]]]:
    return {item["name"]: [(field["name"], field["type"], field["indexed"]) for field in item["inputs"]]
            for item in artifacts.load(name).abi if item["type"] == "event"}


@pytest.mark.parametrize(("name", "expected"), [("IdentityRegistry", IDENTITY_FUNCTIONS),
                                                ("ReputationRegistry", REPUTATION_FUNCTIONS)])
def test_each_function_of_the_erc_is_there_with_its_outputs(name, expected):
    found = functions(name)
    assert {signature: found.get(signature) for signature in expected} == expected


@pytest.mark.parametrize(("name", "expected"), [("IdentityRegistry", IDENTITY_EVENTS),
                                                ("ReputationRegistry", REPUTATION_EVENTS)])
def test_each_event_of_the_erc_is_there_with_its_fields_in_order(name, expected):
    found = events(name)
    assert {event: found.get(event) for event in expected} == expected


def test_metadata_entries_are_named_as_the_erc_names_them():
    (register,) = [item for item in artifacts.load("IdentityRegistry").abi
                   if item.get("name") == "register" and len(item["inputs"]) == 2]
    assert [part["name"] for part in register["inputs"][1]["components"]] == ["metadataKey", "metadataValue"]
