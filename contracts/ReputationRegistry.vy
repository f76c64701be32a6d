# pragma version 0.4.3
# pragma evm-version cancun
"""
@title ReputationRegistry
@license Apache-2.0
@notice The ERC-8004 ("Trustless Agents") reputation registry: clients rate the agents of one
        identity registry with a signed fixed-point value (value / 10**valueDecimals) and two
        optional tags; anyone may append a response to a feedback.

Guarantees (each has named tests in tests/contracts/test_reputation_registry*.py):
 1. Feedback is for an agent that exists, and never from its owner, its approved address or an
    operator of its owner (no self-feedback). valueDecimals <= 18 and |value| <= 1e38.
 2. A feedback is (agentId, client, feedbackIndex), feedbackIndex counting from 1 per agent and
    client. Only its client revokes it (revokeFeedback acts on the caller's own feedback), once.
 3. getSummary counts only the clients it is given, and needs at least one: a summary over
    every client would count whoever rates the agent the most (the ERC's defence against spam).
    It skips revoked feedback, filters by tag1 / tag2 when they are not "", and returns the
    mean in the valueDecimals most of the counted feedback uses (the fewer on a tie), each
    value scaled to 18 decimals first and the divisions rounded toward zero. A client given
    twice is counted twice: callers pass each client once.
 4. readAllFeedback lists feedback in client order, then feedbackIndex order; with no clients
    given it lists every client that ever rated the agent, in the order they first did.
 5. giveFeedback emits NewFeedback, revokeFeedback FeedbackRevoked, appendResponse
    ResponseAppended; endpoint, feedbackURI, feedbackHash and a response's URI and hash are in
    the events only.

Reads have bounds the ERC leaves to gas: at most MAX_CLIENTS clients in a filter, MAX_RESULTS
entries from readAllFeedback, and MAX_LISTED clients in a read over every client (getClients,
readAllFeedback or getResponseCount with no client given); past one a read reverts with a
message. Writes have none, so nobody can fill an agent up and lock other clients out.

Storage layout. Each feedback's numbers share one slot (bit ranges inclusive):
  _feedback[agentId][client][feedbackIndex]
     0..127  value + 2**127   biased, so the slot is unsigned
   128..135  valueDecimals
   136       revoked
   137..200  responses        how many responses were appended to it
"""

from ethereum.ercs import IERC721

TAG_MAX: constant(uint256) = 64
LINK_MAX: constant(uint256) = 2048
ENDPOINT_MAX: constant(uint256) = 512
MAX_CLIENTS: constant(uint256) = 256
MAX_RESULTS: constant(uint256) = 256
MAX_LISTED: constant(uint256) = 1024
MAX_DECIMALS: constant(uint8) = 18
MAX_ABS_VALUE: constant(int128) = 10**38
MAX_READ: constant(uint64) = 2**32  # a loop bound only: gas ends reads far sooner

VALUE_BIAS: constant(int256) = 2**127
VALUE_MASK: constant(uint256) = 2**128 - 1
DECIMALS_SHIFT: constant(uint256) = 128
REVOKED: constant(uint256) = 2**136
RESPONSES_SHIFT: constant(uint256) = 137
RESPONSE: constant(uint256) = 2**137
RESPONSES_MASK: constant(uint256) = (2**64 - 1) * 2**137


struct Tags:
    tag1: String[TAG_MAX]
    tag2: String[TAG_MAX]


event NewFeedback:
    agentId: indexed(uint256)
    clientAddress: indexed(address)
    feedbackIndex: uint64
    value: int128
    valueDecimals: uint8
    indexedTag1: indexed(String[TAG_MAX])
    tag1: String[TAG_MAX]
    tag2: String[TAG_MAX]
    endpoint: String[ENDPOINT_MAX]
    feedbackURI: String[LINK_MAX]
    feedbackHash: bytes32

event FeedbackRevoked:
    agentId: indexed(uint256)
    clientAddress: indexed(address)
    feedbackIndex: indexed(uint64)

event ResponseAppended:
    agentId: indexed(uint256)
    clientAddress: indexed(address)
    feedbackIndex: uint64
    responder: indexed(address)
    responseURI: String[LINK_MAX]
    responseHash: bytes32


IDENTITY_REGISTRY: immutable(address)

_feedback: HashMap[uint256, HashMap[address, HashMap[uint64, uint256]]]
_tags: HashMap[uint256, HashMap[address, HashMap[uint64, Tags]]]
_last_index: HashMap[uint256, HashMap[address, uint64]]
_responses_by: HashMap[uint256, HashMap[address, HashMap[uint64, HashMap[address, uint64]]]]
# Every client of an agent, in the order of their first feedback.
_clients: HashMap[uint256, HashMap[uint256, address]]
_client_count: HashMap[uint256, uint256]


@deploy
def __init__(identityRegistry: address):
    """
    @param identityRegistry The ERC-8004 identity registry whose agents are rated here.
    """
    assert identityRegistry.is_contract, "reputation registry: the identity registry is not a contract"
    IDENTITY_REGISTRY = identityRegistry


@external
@view
def getIdentityRegistry() -> address:
    """
    @notice The identity registry whose agents are rated here.
    @return Its address.
    """
    return IDENTITY_REGISTRY


# ------------------------------------------------------------------ feedback

@external
def giveFeedback(agentId: uint256, feedbackValue: int128, valueDecimals: uint8, tag1: String[TAG_MAX],
                 tag2: String[TAG_MAX], endpoint: String[ENDPOINT_MAX], feedbackURI: String[LINK_MAX],
                 feedbackHash: bytes32):
    """
    @notice Rate an agent as the caller (its client): the value read as
            feedbackValue / 10**valueDecimals, e.g. 87 and 0 for 87/100 with tag1 "starred".
    @param agentId The agent rated; its owner and operators cannot rate it.
    @param feedbackValue The ERC's `value`: signed, at most 1e38 either way.
    @param valueDecimals 0 to 18.
    @param tag1 What is measured ("" for nothing); summaries filter on it.
    @param tag2 A second tag ("" for nothing).
    @param endpoint The service used (in the event only).
    @param feedbackURI An off-chain file with more (in the event only).
    @param feedbackHash The file's keccak256, or zero (in the event only).
    """
    assert valueDecimals <= MAX_DECIMALS, "reputation registry: valueDecimals is at most 18"
    assert feedbackValue >= -MAX_ABS_VALUE and feedbackValue <= MAX_ABS_VALUE, \
        "reputation registry: value is at most 1e38 either way"
    self._check_not_self_feedback(agentId)
    index: uint64 = self._last_index[agentId][msg.sender] + 1
    self._last_index[agentId][msg.sender] = index
    if index == 1:
        count: uint256 = self._client_count[agentId]
        self._clients[agentId][count] = msg.sender
        self._client_count[agentId] = count + 1
    self._feedback[agentId][msg.sender][index] = (
        convert(convert(feedbackValue, int256) + VALUE_BIAS, uint256)
        | convert(valueDecimals, uint256) << DECIMALS_SHIFT
    )
    if len(tag1) != 0:
        self._tags[agentId][msg.sender][index].tag1 = tag1
    if len(tag2) != 0:
        self._tags[agentId][msg.sender][index].tag2 = tag2
    log NewFeedback(agentId=agentId, clientAddress=msg.sender, feedbackIndex=index, value=feedbackValue,
                    valueDecimals=valueDecimals, indexedTag1=tag1, tag1=tag1, tag2=tag2, endpoint=endpoint,
                    feedbackURI=feedbackURI, feedbackHash=feedbackHash)


@external
def revokeFeedback(agentId: uint256, feedbackIndex: uint64):
    """
    @notice Revoke one of the caller's own feedbacks: summaries stop counting it, reads mark it.
    @param agentId The agent it rated.
    @param feedbackIndex Which of the caller's feedbacks to this agent (from 1).
    """
    self._check_feedback_exists(agentId, msg.sender, feedbackIndex)
    packed: uint256 = self._feedback[agentId][msg.sender][feedbackIndex]
    assert packed & REVOKED == 0, "reputation registry: the feedback is already revoked"
    self._feedback[agentId][msg.sender][feedbackIndex] = packed | REVOKED
    log FeedbackRevoked(agentId=agentId, clientAddress=msg.sender, feedbackIndex=feedbackIndex)


@external
def appendResponse(agentId: uint256, clientAddress: address, feedbackIndex: uint64,
                   responseURI: String[LINK_MAX], responseHash: bytes32):
    """
    @notice Answer a feedback (anyone may: the agent showing a refund, an indexer marking spam).
    @param agentId The agent rated.
    @param clientAddress Who gave the feedback.
    @param feedbackIndex Which of that client's feedbacks to this agent.
    @param responseURI Where the response is; must not be empty.
    @param responseHash The response file's keccak256, or zero.
    """
    self._check_feedback_exists(agentId, clientAddress, feedbackIndex)
    assert len(responseURI) != 0, "reputation registry: the response URI is empty"
    self._feedback[agentId][clientAddress][feedbackIndex] += RESPONSE
    self._responses_by[agentId][clientAddress][feedbackIndex][msg.sender] += 1
    log ResponseAppended(agentId=agentId, clientAddress=clientAddress, feedbackIndex=feedbackIndex,
                         responder=msg.sender, responseURI=responseURI, responseHash=responseHash)


# ------------------------------------------------------------------ reads

@external
@view
def getSummary(agentId: uint256, clientAddresses: DynArray[address, MAX_CLIENTS], tag1: String[TAG_MAX],
               tag2: String[TAG_MAX]) -> (uint64, int128, uint8):
    """
    @notice The mean of the feedback the given clients gave the agent and did not revoke.
    @param agentId The agent.
    @param clientAddresses The clients to trust; at least one, each once.
    @param tag1 Count only feedback with this tag1 ("" for any).
    @param tag2 Count only feedback with this tag2 ("" for any).
    @return count, summaryValue, summaryValueDecimals: (0, 0, 0) when nothing is counted.
    """
    assert len(clientAddresses) != 0, "reputation registry: a summary needs the clients to trust"
    total: int256 = 0
    count: uint64 = 0
    decimals_used: uint64[19] = empty(uint64[19])
    for client: address in clientAddresses:
        for index: uint64 in range(1, self._last_index[agentId][client] + 1, bound=MAX_READ):
            packed: uint256 = self._feedback[agentId][client][index]
            if packed & REVOKED != 0 or not self._has_tags(agentId, client, index, tag1, tag2):
                continue
            decimals: uint256 = (packed >> DECIMALS_SHIFT) & 255
            total += self._value(packed) * convert(10 ** (18 - decimals), int256)
            decimals_used[decimals] += 1
            count += 1
    if count == 0:
        return 0, 0, 0
    mode: uint256 = 0
    for decimals: uint256 in range(1, 19):
        if decimals_used[decimals] > decimals_used[mode]:
            mode = decimals
    mean: int256 = total // convert(count, int256) // convert(10 ** (18 - mode), int256)
    assert mean >= convert(min_value(int128), int256) and mean <= convert(max_value(int128), int256), \
        "reputation registry: the summary does not fit an int128"
    return count, convert(mean, int128), convert(mode, uint8)


@external
@view
def readFeedback(agentId: uint256, clientAddress: address, feedbackIndex: uint64) -> (int128, uint8, String[TAG_MAX],
                                                                                       String[TAG_MAX], bool):
    """
    @notice One feedback, revoked or not.
    @param agentId The agent rated.
    @param clientAddress Who gave it.
    @param feedbackIndex Which of that client's feedbacks to this agent (from 1).
    @return value, valueDecimals, tag1, tag2, isRevoked.
    """
    self._check_feedback_exists(agentId, clientAddress, feedbackIndex)
    packed: uint256 = self._feedback[agentId][clientAddress][feedbackIndex]
    tags: Tags = self._tags[agentId][clientAddress][feedbackIndex]
    return (convert(self._value(packed), int128), convert((packed >> DECIMALS_SHIFT) & 255, uint8), tags.tag1,
            tags.tag2, packed & REVOKED != 0)


@external
@view
def readAllFeedback(agentId: uint256, clientAddresses: DynArray[address, MAX_CLIENTS], tag1: String[TAG_MAX],
                    tag2: String[TAG_MAX], includeRevoked: bool) -> (
    DynArray[address, MAX_RESULTS],
    DynArray[uint64, MAX_RESULTS],
    DynArray[int128, MAX_RESULTS],
    DynArray[uint8, MAX_RESULTS],
    DynArray[String[TAG_MAX], MAX_RESULTS],
    DynArray[String[TAG_MAX], MAX_RESULTS],
    DynArray[bool, MAX_RESULTS],
):
    """
    @notice The agent's feedback, as parallel lists, filtered like getSummary.
    @param agentId The agent.
    @param clientAddresses Only these clients' feedback; [] for every client's.
    @param tag1 Only feedback with this tag1 ("" for any).
    @param tag2 Only feedback with this tag2 ("" for any).
    @param includeRevoked Whether revoked feedback is listed too.
    @return clients, feedbackIndexes, values, valueDecimals, tag1s, tag2s, revokedStatuses.
    """
    clients: DynArray[address, MAX_LISTED] = []
    if len(clientAddresses) != 0:
        clients = clientAddresses
    else:
        clients = self._all_clients(agentId)
    found_clients: DynArray[address, MAX_RESULTS] = []
    indexes: DynArray[uint64, MAX_RESULTS] = []
    values: DynArray[int128, MAX_RESULTS] = []
    decimals: DynArray[uint8, MAX_RESULTS] = []
    tag1s: DynArray[String[TAG_MAX], MAX_RESULTS] = []
    tag2s: DynArray[String[TAG_MAX], MAX_RESULTS] = []
    revoked: DynArray[bool, MAX_RESULTS] = []
    for client: address in clients:
        for index: uint64 in range(1, self._last_index[agentId][client] + 1, bound=MAX_READ):
            packed: uint256 = self._feedback[agentId][client][index]
            if (packed & REVOKED != 0 and not includeRevoked) or not self._has_tags(agentId, client, index, tag1, tag2):
                continue
            assert len(indexes) < MAX_RESULTS, "reputation registry: more than 256 feedbacks match; filter by client or tag"
            tags: Tags = self._tags[agentId][client][index]
            found_clients.append(client)
            indexes.append(index)
            values.append(convert(self._value(packed), int128))
            decimals.append(convert((packed >> DECIMALS_SHIFT) & 255, uint8))
            tag1s.append(tags.tag1)
            tag2s.append(tags.tag2)
            revoked.append(packed & REVOKED != 0)
    return found_clients, indexes, values, decimals, tag1s, tag2s, revoked


@external
@view
def getResponseCount(agentId: uint256, clientAddress: address, feedbackIndex: uint64,
                     responders: DynArray[address, MAX_CLIENTS]) -> uint64:
    """
    @notice How many responses were appended, to one feedback or to many.
    @param agentId The agent.
    @param clientAddress Only this client's feedback; the zero address for every client's.
    @param feedbackIndex Only this feedback of the client; 0 for all of them.
    @param responders Only responses from these; [] for anyone's.
    @return The number of responses.
    """
    if clientAddress != empty(address):
        if feedbackIndex != 0:
            return self._responses(agentId, clientAddress, feedbackIndex, responders)
        return self._client_responses(agentId, clientAddress, responders)
    count: uint64 = 0
    clients: DynArray[address, MAX_LISTED] = self._all_clients(agentId)
    for client: address in clients:
        count += self._client_responses(agentId, client, responders)
    return count


@external
@view
def getClients(agentId: uint256) -> DynArray[address, MAX_LISTED]:
    """
    @notice Every client that ever rated the agent, in the order they first did.
    @param agentId The agent.
    @return The clients (reverts past MAX_LISTED of them).
    """
    return self._all_clients(agentId)


@external
@view
def getLastIndex(agentId: uint256, clientAddress: address) -> uint64:
    """
    @notice How many feedbacks the client gave the agent: the index of its last one, 0 for none.
    @param agentId The agent.
    @param clientAddress The client.
    @return The last feedbackIndex.
    """
    return self._last_index[agentId][clientAddress]


# ------------------------------------------------------------------ internal

@internal
@view
def _check_not_self_feedback(agent_id: uint256):
    success: bool = False
    answer: Bytes[32] = b""
    success, answer = raw_call(
        IDENTITY_REGISTRY,
        abi_encode(agent_id, method_id=method_id("ownerOf(uint256)")),
        max_outsize=32,
        is_static_call=True,
        revert_on_failure=False,
    )
    assert success and len(answer) == 32, "reputation registry: no such agent"
    owner: address = abi_decode(answer, address)
    # dev: the ERC's "owner or approved operator": the owner, its operators, the agent's approved address
    assert msg.sender != owner, "reputation registry: an agent's owner or operator cannot rate it"
    assert not staticcall IERC721(IDENTITY_REGISTRY).isApprovedForAll(owner, msg.sender), \
        "reputation registry: an agent's owner or operator cannot rate it"
    assert staticcall IERC721(IDENTITY_REGISTRY).getApproved(agent_id) != msg.sender, \
        "reputation registry: an agent's owner or operator cannot rate it"


@internal
@view
def _check_feedback_exists(agent_id: uint256, client: address, index: uint64):
    assert index != 0 and index <= self._last_index[agent_id][client], "reputation registry: no such feedback"


@internal
@view
def _has_tags(agent_id: uint256, client: address, index: uint64, tag1: String[TAG_MAX], tag2: String[TAG_MAX]) -> bool:
    if len(tag1) != 0 and self._tags[agent_id][client][index].tag1 != tag1:
        return False
    return len(tag2) == 0 or self._tags[agent_id][client][index].tag2 == tag2


@internal
@pure
def _value(packed: uint256) -> int256:
    return convert(packed & VALUE_MASK, int256) - VALUE_BIAS


@internal
@view
def _responses(agent_id: uint256, client: address, index: uint64, responders: DynArray[address, MAX_CLIENTS]) -> uint64:
    if len(responders) == 0:
        return convert((self._feedback[agent_id][client][index] & RESPONSES_MASK) >> RESPONSES_SHIFT, uint64)
    count: uint64 = 0
    for responder: address in responders:
        count += self._responses_by[agent_id][client][index][responder]
    return count


@internal
@view
def _client_responses(agent_id: uint256, client: address, responders: DynArray[address, MAX_CLIENTS]) -> uint64:
    count: uint64 = 0
    for index: uint64 in range(1, self._last_index[agent_id][client] + 1, bound=MAX_READ):
        count += self._responses(agent_id, client, index, responders)
    return count


@internal
@view
def _all_clients(agent_id: uint256) -> DynArray[address, MAX_LISTED]:
    count: uint256 = self._client_count[agent_id]
    assert count <= MAX_LISTED, "reputation registry: more than 1024 clients; name the ones to read"
    clients: DynArray[address, MAX_LISTED] = []
    for i: uint256 in range(count, bound=MAX_LISTED):
        clients.append(self._clients[agent_id][i])
    return clients
