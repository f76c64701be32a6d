"""The ERC-8004 reputation registry: who may rate an agent, what a feedback holds, revocation by
its author only, summaries over the clients given, the reads and the responses (guarantees 1-5
of its header)."""

import boa
import pytest
from eth_abi import encode
from eth_utils import keccak
from guardrail_kit import ZERO, deployer, sent_by
from registry_kit import one_event

NO_HASH = b"\x00" * 32
MAX_ABS = 10**38


def rate(reputation, client, agent_id, value, decimals=0, tag1="", tag2="", endpoint="", uri="", digest=NO_HASH):
    sent_by(client, reputation.giveFeedback, agent_id, value, decimals, tag1, tag2, endpoint, uri, digest)


@pytest.fixture
def clients():
    return [boa.env.generate_address(f"client {n}") for n in range(10)]


# ------------------------------------------------------------------ giving feedback

def test_feedback_is_stored_and_announced_with_every_field(reputation, agent_id, alice):
    proof = keccak(text="the payment's transaction")
    rate(reputation, alice, agent_id, 87, 0, "starred", "translate", "https://translator.example/", "ipfs://f", proof)
    assert one_event(reputation, "NewFeedback") == {
        "agentId": agent_id, "clientAddress": alice, "feedbackIndex": 1, "value": 87, "valueDecimals": 0,
        "indexedTag1": keccak(text="starred"), "tag1": "starred", "tag2": "translate",
        "endpoint": "https://translator.example/", "feedbackURI": "ipfs://f", "feedbackHash": proof,
    }
    assert reputation.readFeedback(agent_id, alice, 1) == (87, 0, "starred", "translate", False)


def test_feedback_indexes_count_from_one_per_client(reputation, agent_id, alice, bob):
    for client in (alice, alice, bob, alice):
        rate(reputation, client, agent_id, 50)
    assert reputation.getLastIndex(agent_id, alice) == 3
    assert reputation.getLastIndex(agent_id, bob) == 1
    assert reputation.getClients(agent_id) == [alice, bob]


def test_the_reputation_registry_names_its_identity_registry(reputation, identity):
    assert reputation.getIdentityRegistry() == identity.address


def test_the_identity_registry_must_be_a_contract(alice):
    with boa.reverts("reputation registry: the identity registry is not a contract"):
        deployer("ReputationRegistry").deploy(alice)


def test_an_agent_that_does_not_exist_cannot_be_rated(reputation, alice):
    with boa.reverts("reputation registry: no such agent"):
        rate(reputation, alice, 7, 50)


# ------------------------------------------------------------------ no self-feedback

def test_the_owner_cannot_rate_its_own_agent(reputation, agent_id, owner):
    with boa.reverts("reputation registry: an agent's owner or operator cannot rate it"):
        rate(reputation, owner, agent_id, 100)


def test_the_approved_address_cannot_rate_the_agent(reputation, identity, agent_id, owner, alice):
    sent_by(owner, identity.approve, alice, agent_id)
    with boa.reverts("reputation registry: an agent's owner or operator cannot rate it"):
        rate(reputation, alice, agent_id, 100)


def test_an_operator_of_the_owner_cannot_rate_the_agent(reputation, identity, agent_id, owner, bob):
    sent_by(owner, identity.setApprovalForAll, bob, True)
    with boa.reverts("reputation registry: an agent's owner or operator cannot rate it"):
        rate(reputation, bob, agent_id, 100)


def test_the_former_owner_may_rate_the_agent_after_a_transfer(reputation, identity, agent_id, owner, alice):
    sent_by(owner, identity.transferFrom, owner, alice, agent_id)
    rate(reputation, owner, agent_id, 10)
    with boa.reverts("reputation registry: an agent's owner or operator cannot rate it"):
        rate(reputation, alice, agent_id, 100)


# ------------------------------------------------------------------ bounds

@pytest.mark.parametrize(("value", "decimals"), [(MAX_ABS, 0), (-MAX_ABS, 18), (0, 0), (-1, 7)])
def test_values_up_to_1e38_and_decimals_up_to_18_are_taken(reputation, agent_id, alice, value, decimals):
    rate(reputation, alice, agent_id, value, decimals)
    assert reputation.readFeedback(agent_id, alice, 1)[:2] == (value, decimals)


@pytest.mark.parametrize("value", [MAX_ABS + 1, -MAX_ABS - 1, 2**127 - 1, -(2**127)])
def test_a_value_beyond_1e38_is_refused(reputation, agent_id, alice, value):
    with boa.reverts("reputation registry: value is at most 1e38 either way"):
        rate(reputation, alice, agent_id, value)


def test_more_than_18_decimals_are_refused(reputation, agent_id, alice):
    with boa.reverts("reputation registry: valueDecimals is at most 18"):
        rate(reputation, alice, agent_id, 1, 19)


# ------------------------------------------------------------------ revoking

def test_a_client_revokes_its_feedback_and_summaries_stop_counting_it(reputation, agent_id, alice, bob):
    rate(reputation, alice, agent_id, 20)
    rate(reputation, bob, agent_id, 80)
    sent_by(alice, reputation.revokeFeedback, agent_id, 1)
    assert one_event(reputation, "FeedbackRevoked") == {"agentId": agent_id, "clientAddress": alice,
                                                         "feedbackIndex": 1}
    assert reputation.readFeedback(agent_id, alice, 1)[4] is True
    assert reputation.getSummary(agent_id, [alice, bob], "", "") == (1, 80, 0)


def test_a_client_cannot_revoke_another_clients_feedback(reputation, agent_id, alice, bob, owner):
    rate(reputation, alice, agent_id, 20)
    for other in (bob, owner):
        with boa.reverts("reputation registry: no such feedback"):
            sent_by(other, reputation.revokeFeedback, agent_id, 1)
    assert reputation.readFeedback(agent_id, alice, 1)[4] is False


def test_revoking_acts_on_the_callers_own_feedback_of_that_index(reputation, agent_id, alice, bob):
    rate(reputation, alice, agent_id, 20)
    rate(reputation, bob, agent_id, 80)
    sent_by(bob, reputation.revokeFeedback, agent_id, 1)
    assert reputation.readFeedback(agent_id, alice, 1)[4] is False
    assert reputation.readFeedback(agent_id, bob, 1)[4] is True


def test_a_feedback_is_revoked_once(reputation, agent_id, alice):
    rate(reputation, alice, agent_id, 20)
    sent_by(alice, reputation.revokeFeedback, agent_id, 1)
    with boa.reverts("reputation registry: the feedback is already revoked"):
        sent_by(alice, reputation.revokeFeedback, agent_id, 1)


@pytest.mark.parametrize("index", [0, 2])
def test_a_feedback_that_does_not_exist_cannot_be_revoked_or_read(reputation, agent_id, alice, index):
    rate(reputation, alice, agent_id, 20)
    with boa.reverts("reputation registry: no such feedback"):
        sent_by(alice, reputation.revokeFeedback, agent_id, index)
    with boa.reverts("reputation registry: no such feedback"):
        reputation.readFeedback(agent_id, alice, index)


# ------------------------------------------------------------------ summaries

def test_a_summary_needs_the_clients_to_trust(reputation, agent_id, alice):
    rate(reputation, alice, agent_id, 20)
    with boa.reverts("reputation registry: a summary needs the clients to trust"):
        reputation.getSummary(agent_id, [], "", "")


def test_a_summary_counts_only_the_clients_given(reputation, agent_id, clients):
    trusted, spammers = clients[:2], clients[2:]
    rate(reputation, trusted[0], agent_id, 40)
    rate(reputation, trusted[1], agent_id, 60)
    for spammer in spammers:
        rate(reputation, spammer, agent_id, 100)
    assert reputation.getSummary(agent_id, trusted, "", "") == (2, 50, 0)
    assert reputation.getSummary(agent_id, [trusted[0]], "", "") == (1, 40, 0)
    assert reputation.getSummary(agent_id, clients, "", "") == (10, 90, 0)


def test_a_summary_of_nothing_is_all_zero(reputation, agent_id, alice):
    assert reputation.getSummary(agent_id, [alice], "", "") == (0, 0, 0)


def test_a_summary_filters_by_tags(reputation, agent_id, alice):
    rate(reputation, alice, agent_id, 90, tag1="starred", tag2="translate")
    rate(reputation, alice, agent_id, 10, tag1="starred", tag2="summarise")
    rate(reputation, alice, agent_id, 560, tag1="responseTime")
    assert reputation.getSummary(agent_id, [alice], "starred", "") == (2, 50, 0)
    assert reputation.getSummary(agent_id, [alice], "starred", "translate") == (1, 90, 0)
    assert reputation.getSummary(agent_id, [alice], "", "summarise") == (1, 10, 0)
    assert reputation.getSummary(agent_id, [alice], "uptime", "") == (0, 0, 0)


def test_a_summary_is_in_the_decimals_most_feedback_uses(reputation, agent_id, alice, bob):
    rate(reputation, alice, agent_id, 9977, 2)  # 99.77
    rate(reputation, alice, agent_id, 9900, 2)  # 99.00
    rate(reputation, bob, agent_id, 98, 0)  # 98
    # mean of 99.77, 99.00, 98 = 98.923333..., in 2 decimals rounded toward zero
    assert reputation.getSummary(agent_id, [alice, bob], "", "") == (3, 9892, 2)


def test_a_tie_in_decimals_takes_the_fewer(reputation, agent_id, alice):
    rate(reputation, alice, agent_id, 5, 1)  # 0.5
    rate(reputation, alice, agent_id, 2, 0)  # 2
    assert reputation.getSummary(agent_id, [alice], "", "") == (2, 1, 0)


def test_a_negative_mean_rounds_toward_zero(reputation, agent_id, alice):
    rate(reputation, alice, agent_id, -32, 1)
    rate(reputation, alice, agent_id, -1, 1)
    assert reputation.getSummary(agent_id, [alice], "", "") == (2, -16, 1)


def test_a_summary_that_does_not_fit_an_int128_reverts_with_a_reason(reputation, agent_id, alice):
    # regression: the reference narrows such a mean silently; here it is refused
    rate(reputation, alice, agent_id, MAX_ABS, 0)
    rate(reputation, alice, agent_id, 1, 18)
    rate(reputation, alice, agent_id, 1, 18)
    with boa.reverts("reputation registry: the summary does not fit an int128"):
        reputation.getSummary(agent_id, [alice], "", "")


# ------------------------------------------------------------------ reading all feedback

def test_read_all_feedback_lists_in_client_then_index_order(reputation, agent_id, alice, bob):
    rate(reputation, bob, agent_id, 1, 0, "a")
    rate(reputation, alice, agent_id, 2, 1, "b", "x")
    rate(reputation, bob, agent_id, 3, 2)
    assert reputation.readAllFeedback(agent_id, [], "", "", False) == (
        [bob, bob, alice], [1, 2, 1], [1, 3, 2], [0, 2, 1], ["a", "", "b"], ["", "", "x"], [False, False, False])
    assert reputation.readAllFeedback(agent_id, [alice, bob], "", "", False)[:2] == ([alice, bob, bob], [1, 1, 2])


def test_read_all_feedback_leaves_out_revoked_feedback_unless_asked(reputation, agent_id, alice):
    rate(reputation, alice, agent_id, 1)
    rate(reputation, alice, agent_id, 2)
    sent_by(alice, reputation.revokeFeedback, agent_id, 1)
    assert reputation.readAllFeedback(agent_id, [alice], "", "", False)[1] == [2]
    assert reputation.readAllFeedback(agent_id, [alice], "", "", True)[6] == [True, False]


def test_read_all_feedback_filters_by_tags(reputation, agent_id, alice, bob):
    rate(reputation, alice, agent_id, 1, tag1="starred")
    rate(reputation, bob, agent_id, 2, tag1="uptime", tag2="day")
    assert reputation.readAllFeedback(agent_id, [], "starred", "", False)[0] == [alice]
    assert reputation.readAllFeedback(agent_id, [], "", "day", False)[0] == [bob]


def set_by_hand(contract, variable, keys, value):
    """Write one entry of a HashMap in the contract's storage (Vyper's slot: keccak(slot ++ key)
    for each key). 257 or 1,025 real transactions would take titanoboa many seconds, and the read
    bounds look only at the counters."""
    slot = contract.compiler_data.storage_layout["storage_layout"][variable]["slot"]
    for key_type, key in keys:
        slot = int.from_bytes(keccak(slot.to_bytes(32, "big") + encode([key_type], [key])), "big")
    boa.env.set_storage(contract.address, slot, value)


def test_read_all_feedback_refuses_more_than_it_can_return(reputation, agent_id, alice):
    rate(reputation, alice, agent_id, 1)
    set_by_hand(reputation, "_last_index", [("uint256", agent_id), ("address", alice)], 257)
    assert reputation.getLastIndex(agent_id, alice) == 257
    with boa.reverts("reputation registry: more than 256 feedbacks match; filter by client or tag"):
        reputation.readAllFeedback(agent_id, [alice], "", "", True)


def test_reads_over_every_client_stop_at_1024_clients(reputation, agent_id, alice):
    rate(reputation, alice, agent_id, 1)
    set_by_hand(reputation, "_client_count", [("uint256", agent_id)], 1025)
    for read in (lambda: reputation.getClients(agent_id), lambda: reputation.getResponseCount(agent_id, ZERO, 0, []),
                 lambda: reputation.readAllFeedback(agent_id, [], "", "", False)):
        with boa.reverts("reputation registry: more than 1024 clients; name the ones to read"):
            read()
    assert reputation.getSummary(agent_id, [alice], "", "") == (1, 1, 0)


# ------------------------------------------------------------------ responses

def test_anyone_appends_a_response_and_it_is_counted(reputation, agent_id, alice, owner, stranger):
    rate(reputation, alice, agent_id, 20)
    rate(reputation, alice, agent_id, 30)
    answer = keccak(text="refund")
    sent_by(owner, reputation.appendResponse, agent_id, alice, 1, "ipfs://refund", answer)
    assert one_event(reputation, "ResponseAppended") == {
        "agentId": agent_id, "clientAddress": alice, "feedbackIndex": 1, "responder": owner,
        "responseURI": "ipfs://refund", "responseHash": answer,
    }
    sent_by(stranger, reputation.appendResponse, agent_id, alice, 1, "ipfs://spam", NO_HASH)
    sent_by(stranger, reputation.appendResponse, agent_id, alice, 2, "ipfs://spam", NO_HASH)
    count = reputation.getResponseCount
    assert count(agent_id, alice, 1, []) == 2
    assert count(agent_id, alice, 1, [owner]) == 1
    assert count(agent_id, alice, 0, [stranger]) == 2
    assert count(agent_id, alice, 0, []) == 3
    assert count(agent_id, ZERO, 0, []) == 3
    assert count(agent_id, ZERO, 0, [owner]) == 1


def test_a_response_needs_a_feedback_and_a_uri(reputation, agent_id, alice, owner):
    with boa.reverts("reputation registry: no such feedback"):
        sent_by(owner, reputation.appendResponse, agent_id, alice, 1, "ipfs://r", NO_HASH)
    rate(reputation, alice, agent_id, 20)
    with boa.reverts("reputation registry: the response URI is empty"):
        sent_by(owner, reputation.appendResponse, agent_id, alice, 1, "", NO_HASH)


def test_responses_leave_the_feedback_as_it_was(reputation, agent_id, alice, owner):
    rate(reputation, alice, agent_id, -5, 3, "starred")
    for _ in range(3):
        sent_by(owner, reputation.appendResponse, agent_id, alice, 1, "ipfs://r", NO_HASH)
    assert reputation.readFeedback(agent_id, alice, 1) == (-5, 3, "starred", "", False)
    assert reputation.getSummary(agent_id, [alice], "", "") == (1, -5, 3)
