# pragma version 0.4.3
# pragma evm-version cancun
"""
@title IdentityRegistry
@license Apache-2.0
@notice The ERC-8004 ("Trustless Agents") identity registry: each agent is an ERC-721 token
        (snekmate's ERC-721) whose token URI is the agent's registration file (its card).
        agentId is the token id, given in order from 0; agentURI is the token URI.

Guarantees (each has named tests in tests/contracts/test_identity_registry*.py):
 1. Only the agent's owner, its approved address or an operator of the owner changes its URI,
    its metadata or its agent wallet.
 2. The agent wallet (where the agent is paid) starts as the registering owner and changes only
    to an address that signed the change: an EIP-712 `AgentWalletSet` signature by the new
    wallet's key, or for a contract wallet its ERC-1271 `isValidSignature`. A signature expires
    at its deadline (at most MAX_DEADLINE_DELAY ahead) and is good for one change only.
 3. A transfer of the agent clears its agent wallet: the new owner must prove a wallet again.
 4. The key "agentWallet" is reserved: setMetadata and register cannot write it, and
    getMetadata(agentId, "agentWallet") reads the agent wallet as 20 bytes (empty when cleared).
 5. register emits Transfer, Registered and one MetadataSet per entry, the agent wallet's
    first; setAgentURI emits URIUpdated; every change of metadata or wallet emits MetadataSet.

The typed data, domain and argument names are those of the ERC and its reference deployment,
so a signature made for one is made the same way for the other. Nothing here can burn an agent,
so the agents are 0 .. totalSupply() - 1 and the next id is totalSupply().
"""

from ethereum.ercs import IERC165
from snekmate.auth import ownable
from snekmate.tokens import erc721
from snekmate.tokens.interfaces import IERC4906
from snekmate.utils import ecdsa

implements: IERC165

# snekmate's ERC-721 needs an owner; the registry gives it no power (nothing it guards is exported).
initializes: ownable
initializes: erc721[ownable := ownable]

exports: (
    erc721.balanceOf,
    erc721.ownerOf,
    erc721.getApproved,
    erc721.isApprovedForAll,
    erc721.approve,
    erc721.setApprovalForAll,
    erc721.name,
    erc721.symbol,
    erc721.totalSupply,
    erc721.tokenByIndex,
    erc721.tokenOfOwnerByIndex,
    erc721.DOMAIN_SEPARATOR,
    erc721.eip712Domain,
)

URI_MAX: constant(uint256) = 8192  # a card as a base64 data: URI fits
KEY_MAX: constant(uint256) = 64
VALUE_MAX: constant(uint256) = 1024
ENTRIES_MAX: constant(uint256) = 16
SIGNATURE_MAX: constant(uint256) = 1024  # room for a contract wallet's multi-signer signature
TRANSFER_DATA_MAX: constant(uint256) = 1024

AGENT_WALLET_KEY: constant(String[11]) = "agentWallet"
MAX_DEADLINE_DELAY: constant(uint256) = 300  # five minutes, as the reference deployment
AGENT_WALLET_SET_TYPEHASH: constant(bytes32) = keccak256(
    "AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)"
)
ERC1271_MAGIC_VALUE: constant(bytes4) = 0x1626BA7E

SUPPORTED_INTERFACES: constant(bytes4[5]) = [
    0x01FFC9A7,  # ERC-165
    0x80AC58CD,  # ERC-721
    0x5B5E139F,  # ERC-721 metadata
    0x780E9D63,  # ERC-721 enumeration
    0x49064906,  # ERC-4906 metadata updates
]


struct MetadataEntry:
    metadataKey: String[KEY_MAX]
    metadataValue: Bytes[VALUE_MAX]


event Registered:
    agentId: indexed(uint256)
    agentURI: String[URI_MAX]
    owner: indexed(address)

event URIUpdated:
    agentId: indexed(uint256)
    newURI: String[URI_MAX]
    updatedBy: indexed(address)

event MetadataSet:
    agentId: indexed(uint256)
    indexedMetadataKey: indexed(String[KEY_MAX])
    metadataKey: String[KEY_MAX]
    metadataValue: Bytes[VALUE_MAX]


_agent_uri: HashMap[uint256, String[URI_MAX]]
_metadata: HashMap[uint256, HashMap[String[KEY_MAX], Bytes[VALUE_MAX]]]
_agent_wallet: HashMap[uint256, address]
# EIP-712 digests already used by setAgentWallet: the reference's typed data has no nonce.
_used_digest: HashMap[bytes32, bool]


@deploy
def __init__():
    ownable.__init__()
    erc721.__init__("AgentIdentity", "AGENT", "", "ERC8004IdentityRegistry", "1")


# ------------------------------------------------------------------ registration

@external
@nonreentrant
def register(agentURI: String[URI_MAX] = "", metadata: DynArray[MetadataEntry, ENTRIES_MAX] = []) -> uint256:
    """
    @notice Register a new agent owned by the caller, its agent wallet the caller. The three
            forms of the ERC: register(), register(agentURI), register(agentURI, metadata).
    @param agentURI Where the agent's registration file is (may be set later by setAgentURI).
    @param metadata Extra on-chain metadata; the key "agentWallet" is refused.
    @return The new agent's id.
    """
    agent_id: uint256 = erc721._total_supply()
    erc721._mint(msg.sender, agent_id)
    if len(agentURI) != 0:
        self._agent_uri[agent_id] = agentURI
        log IERC4906.MetadataUpdate(_tokenId=agent_id)
    log Registered(agentId=agent_id, agentURI=agentURI, owner=msg.sender)
    self._set_agent_wallet(agent_id, msg.sender)
    for entry: MetadataEntry in metadata:
        self._set_metadata(agent_id, entry.metadataKey, entry.metadataValue)
    # Last, so that an owner contract's onERC721Received sees the agent complete.
    assert erc721._check_on_erc721_received(empty(address), msg.sender, agent_id, b""), \
        "erc721: transfer to non-ERC721Receiver implementer"
    return agent_id


@external
def setAgentURI(agentId: uint256, newURI: String[URI_MAX]):
    """
    @notice Point the agent at a new registration file.
    @param agentId The agent.
    @param newURI The new agentURI (a data: URI holds the whole file on chain).
    """
    self._check_can_change(agentId)
    self._agent_uri[agentId] = newURI
    log IERC4906.MetadataUpdate(_tokenId=agentId)
    log URIUpdated(agentId=agentId, newURI=newURI, updatedBy=msg.sender)


@external
@view
def tokenURI(tokenId: uint256) -> String[URI_MAX]:
    """
    @notice The agent's URI: where its registration file is ("" until one is set).
    @param tokenId The agent.
    @return The agentURI.
    """
    erc721._require_minted(tokenId)
    return self._agent_uri[tokenId]


# ------------------------------------------------------------------ metadata

@external
def setMetadata(agentId: uint256, metadataKey: String[KEY_MAX], metadataValue: Bytes[VALUE_MAX]):
    """
    @notice Set one entry of the agent's on-chain metadata (not the reserved "agentWallet").
    @param agentId The agent.
    @param metadataKey The entry's name.
    @param metadataValue Its value (empty bytes erase it).
    """
    self._check_can_change(agentId)
    self._set_metadata(agentId, metadataKey, metadataValue)


@external
@view
def getMetadata(agentId: uint256, metadataKey: String[KEY_MAX]) -> Bytes[VALUE_MAX]:
    """
    @notice One entry of the agent's on-chain metadata; "agentWallet" is the agent wallet.
    @param agentId The agent.
    @param metadataKey The entry's name.
    @return Its value: empty when unset, the wallet's 20 bytes for "agentWallet".
    """
    if metadataKey == AGENT_WALLET_KEY:
        return self._wallet_bytes(self._agent_wallet[agentId])
    return self._metadata[agentId][metadataKey]


# ------------------------------------------------------------------ agent wallet

@external
@view
def getAgentWallet(agentId: uint256) -> address:
    """
    @notice Where the agent is paid.
    @param agentId The agent.
    @return The agent wallet; the zero address once cleared (after a transfer or unset).
    """
    return self._agent_wallet[agentId]


@external
def setAgentWallet(agentId: uint256, newWallet: address, deadline: uint256, signature: Bytes[SIGNATURE_MAX]):
    """
    @notice Make `newWallet` the agent wallet, proven by its signature of the EIP-712 typed data
            AgentWalletSet(agentId, newWallet, owner, deadline) in this registry's domain: by its
            key when it is an account, by its isValidSignature (ERC-1271) when it is a contract.
    @param agentId The agent.
    @param newWallet The new agent wallet.
    @param deadline The last second the signature is good; at most MAX_DEADLINE_DELAY from now.
    @param signature The new wallet's signature of the typed data.
    """
    self._check_can_change(agentId)
    assert newWallet != empty(address), "identity registry: the agent wallet cannot be the zero address"
    assert block.timestamp <= deadline, "identity registry: the signature has expired"
    assert deadline <= block.timestamp + MAX_DEADLINE_DELAY, "identity registry: the deadline is too far ahead"
    owner: address = erc721._owner_of(agentId)
    digest: bytes32 = erc721.eip712_domain_separator._hash_typed_data_v4(
        keccak256(abi_encode(AGENT_WALLET_SET_TYPEHASH, agentId, newWallet, owner, deadline))
    )
    assert not self._used_digest[digest], "identity registry: the signature was already used"
    assert self._signed_by(newWallet, digest, signature), "identity registry: the new wallet did not sign"
    self._used_digest[digest] = True
    self._set_agent_wallet(agentId, newWallet)


@external
def unsetAgentWallet(agentId: uint256):
    """
    @notice Clear the agent wallet, so the agent says nowhere to pay it.
    @param agentId The agent.
    """
    self._check_can_change(agentId)
    self._set_agent_wallet(agentId, empty(address))


# ------------------------------------------------------------------ ERC-721

@external
def transferFrom(owner: address, to: address, tokenId: uint256):
    """
    @notice Transfer the agent; its agent wallet is cleared.
    @param owner The agent's owner.
    @param to The new owner.
    @param tokenId The agent.
    """
    assert erc721._is_approved_or_owner(msg.sender, tokenId), "erc721: caller is not token owner or approved"
    self._clear_agent_wallet(tokenId)
    erc721._transfer(owner, to, tokenId)


@external
@nonreentrant
def safeTransferFrom(owner: address, to: address, tokenId: uint256, data: Bytes[TRANSFER_DATA_MAX] = b""):
    """
    @notice Transfer the agent to an account or an ERC-721 receiver; its agent wallet is cleared.
    @param owner The agent's owner.
    @param to The new owner.
    @param tokenId The agent.
    @param data Passed to the receiver's onERC721Received.
    """
    assert erc721._is_approved_or_owner(msg.sender, tokenId), "erc721: caller is not token owner or approved"
    self._clear_agent_wallet(tokenId)
    erc721._safe_transfer(owner, to, tokenId, data)


@external
@view
def isAuthorizedOrOwner(spender: address, agentId: uint256) -> bool:
    """
    @notice Whether `spender` may change the agent (its owner, approved address or an operator),
            as the reference deployment answers it.
    @param spender Who asks.
    @param agentId The agent (it must exist).
    @return True when `spender` may change it.
    """
    return self._may_change(spender, agentId)


@external
@view
def supportsInterface(interface_id: bytes4) -> bool:
    """
    @notice ERC-165: ERC-721 with its metadata and enumeration extensions, and ERC-4906.
    @param interface_id The interface's ERC-165 id.
    @return True when the registry implements it.
    """
    return interface_id in SUPPORTED_INTERFACES


# ------------------------------------------------------------------ internal

@internal
@view
def _may_change(spender: address, agent_id: uint256) -> bool:
    owner: address = erc721._owner_of(agent_id)
    return spender == owner or erc721.isApprovedForAll[owner][spender] or erc721._get_approved(agent_id) == spender


@internal
@view
def _check_can_change(agent_id: uint256):
    assert self._may_change(msg.sender, agent_id), "identity registry: not the agent's owner or operator"


@internal
def _set_metadata(agent_id: uint256, key: String[KEY_MAX], entry: Bytes[VALUE_MAX]):
    assert key != AGENT_WALLET_KEY, "identity registry: agentWallet is set by setAgentWallet only"
    self._metadata[agent_id][key] = entry
    log MetadataSet(agentId=agent_id, indexedMetadataKey=key, metadataKey=key, metadataValue=entry)


@internal
def _set_agent_wallet(agent_id: uint256, wallet: address):
    self._agent_wallet[agent_id] = wallet
    log MetadataSet(agentId=agent_id, indexedMetadataKey=AGENT_WALLET_KEY, metadataKey=AGENT_WALLET_KEY,
                    metadataValue=self._wallet_bytes(wallet))


@internal
def _clear_agent_wallet(agent_id: uint256):
    if self._agent_wallet[agent_id] != empty(address):
        self._set_agent_wallet(agent_id, empty(address))


@internal
@pure
def _wallet_bytes(wallet: address) -> Bytes[20]:
    if wallet == empty(address):
        return b""
    return slice(convert(wallet, bytes32), 12, 20)


@internal
@view
def _signed_by(signer: address, digest: bytes32, signature: Bytes[SIGNATURE_MAX]) -> bool:
    if not signer.is_contract:
        if len(signature) != 65:
            return False
        return ecdsa._recover_sig(digest, slice(signature, 0, 65)) == signer
    success: bool = False
    answer: Bytes[32] = b""
    success, answer = raw_call(
        signer,
        abi_encode(digest, signature, method_id=method_id("isValidSignature(bytes32,bytes)")),
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    return success and len(answer) == 32 and convert(answer, bytes32) == convert(ERC1271_MAGIC_VALUE, bytes32)
