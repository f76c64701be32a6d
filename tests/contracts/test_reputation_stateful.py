"""A random life of the reputation registry — feedback from several clients to two agents with
mixed decimals and tags, revocations, self-feedback attempts — checked step by step against a
plain model of its guarantees.

Checked as it goes: a summary (any clients, any tag filter) equals the model's mean;
readAllFeedback lists what the model holds, in client then index order; each agent's clients and
each client's last index match the model.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import boa
from guardrail_kit import sent_by
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

AGENTS = st.sampled_from([0, 0, 1])  # agent 0 gathers enough feedback for ties and overflows
TAGS1 = st.sampled_from(["", "starred", "uptime"])
TAGS2 = st.sampled_from(["", "day"])
VALUES = st.one_of(st.integers(-1_000, 1_000), st.sampled_from([10**38, -(10**38), 10**38 + 1]))
DECIMALS = st.sampled_from([0, 1, 2, 18, 19])
INT128 = range(-(2**127), 2**127)


@dataclass
class Feedback:
    value: int
    decimals: int
    tag1: str
    tag2: str
    revoked: bool = False

    def matches(self, tag1: str, tag2: str) -> bool:
        return (not tag1 or self.tag1 == tag1) and (not tag2 or self.tag2 == tag2)


def toward_zero(numerator: int, denominator: int) -> int:
    quotient = abs(numerator) // abs(denominator)
    return quotient if (numerator < 0) == (denominator < 0) else -quotient


def model_summary(feedback: list[Feedback], tag1: str, tag2: str) -> tuple[int, int, int] | None:
    """What getSummary must answer, None when the mean does not fit an int128 (a revert)."""
    counted = [f for f in feedback if not f.revoked and f.matches(tag1, tag2)]
    if not counted:
        return 0, 0, 0
    uses = Counter(f.decimals for f in counted)
    mode = min(d for d in uses if uses[d] == max(uses.values()))
    total = sum(f.value * 10 ** (18 - f.decimals) for f in counted)
    mean = toward_zero(toward_zero(total, len(counted)), 10 ** (18 - mode))
    return (len(counted), mean, mode) if mean in INT128 else None


class ReputationLife(RuleBasedStateMachine):
    reputation = identity = owner = clients = None

    @initialize()
    def start(self):
        self.feedback: dict[tuple[int, str], list[Feedback]] = {}
        self.client_order: dict[int, list[str]] = {0: [], 1: []}

    @rule(agent=AGENTS, client=st.integers(0, 2), value=VALUES, decimals=DECIMALS, tag1=TAGS1, tag2=TAGS2)
    def a_client_rates(self, agent, client, value, decimals, tag1, tag2):
        client = self.clients[client]
        args = (agent, value, decimals, tag1, tag2, "https://agent.example/", "", b"\x00" * 32)
        if decimals > 18:
            with boa.reverts("reputation registry: valueDecimals is at most 18"):
                sent_by(client, self.reputation.giveFeedback, *args)
        elif abs(value) > 10**38:
            with boa.reverts("reputation registry: value is at most 1e38 either way"):
                sent_by(client, self.reputation.giveFeedback, *args)
        else:
            sent_by(client, self.reputation.giveFeedback, *args)
            given = self.feedback.setdefault((agent, client), [])
            given.append(Feedback(value, decimals, tag1, tag2))
            if len(given) == 1:
                self.client_order[agent].append(client)

    @rule(agent=AGENTS)
    def the_owner_tries_to_rate(self, agent):
        with boa.reverts("reputation registry: an agent's owner or operator cannot rate it"):
            sent_by(self.owner, self.reputation.giveFeedback, agent, 100, 0, "", "", "", "", b"\x00" * 32)

    @rule(agent=AGENTS, client=st.integers(0, 2), index=st.integers(0, 4))
    def a_client_revokes(self, agent, client, index):
        client = self.clients[client]
        given = self.feedback.get((agent, client), [])
        if not 1 <= index <= len(given):
            reason = "reputation registry: no such feedback"
        elif given[index - 1].revoked:
            reason = "reputation registry: the feedback is already revoked"
        else:
            sent_by(client, self.reputation.revokeFeedback, agent, index)
            given[index - 1].revoked = True
            return
        with boa.reverts(reason):
            sent_by(client, self.reputation.revokeFeedback, agent, index)

    @rule(agent=AGENTS, trusted=st.sets(st.integers(0, 2), min_size=1), tag1=TAGS1, tag2=TAGS2)
    def a_summary_matches_the_model(self, agent, trusted, tag1, tag2):
        clients = [self.clients[n] for n in sorted(trusted)]
        feedback = [f for client in clients for f in self.feedback.get((agent, client), [])]
        expected = model_summary(feedback, tag1, tag2)
        if expected is None:
            with boa.reverts("reputation registry: the summary does not fit an int128"):
                self.reputation.getSummary(agent, clients, tag1, tag2)
        else:
            assert self.reputation.getSummary(agent, clients, tag1, tag2) == expected

    @rule(agent=AGENTS)
    def read_all_feedback_lists_what_the_model_holds(self, agent):
        rows = [(client, index, f.value, f.decimals, f.tag1, f.tag2, f.revoked)
                for client in self.client_order[agent]
                for index, f in enumerate(self.feedback[(agent, client)], start=1)]
        assert list(zip(*self.reputation.readAllFeedback(agent, [], "", "", True), strict=True)) == rows

    @invariant()
    def the_summary_over_every_client_matches_the_model(self):
        self.a_summary_matches_the_model(0, {0, 1, 2}, "", "")

    @invariant()
    def the_clients_and_their_counts_match_the_model(self):
        for agent in (0, 1):
            assert self.reputation.getClients(agent) == self.client_order[agent]
            for client in self.client_order[agent]:
                assert self.reputation.getLastIndex(agent, client) == len(self.feedback[(agent, client)])


def test_summaries_and_reads_match_a_model_through_random_lives(identity, reputation, owner):
    sent_by(owner, identity.register)
    sent_by(owner, identity.register)
    ReputationLife.identity, ReputationLife.reputation, ReputationLife.owner = identity, reputation, owner
    ReputationLife.clients = [boa.env.generate_address(f"rater {n}") for n in range(3)]
    run_state_machine_as_test(ReputationLife, settings=settings(
        max_examples=20, stateful_step_count=15, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
