"""A random life of the vault — sends, x402 payment authorizations, their settlement and
cancellation, time, policy changes, pause, revoke, expiry — checked step by step against a
plain model of the guarantees.

Invariants: the remaining_* views equal the model and what one send can really move (a send
of remaining succeeds, one more reverts); no action exceeds per_tx_max; no fixed window sees
more than its allowance; nothing moves while paused, expired or revoked; balances are exact;
an authorization moves funds at most once, only in the window it was counted in, and stops
counting when cancelled or released unused.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import boa
from guardrail_kit import DAY, ETH, USDC, ids, sent_by
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from payment_kit import fresh_nonce

from agentwallet.chain.eip3009 import Authorization

PERIODS = st.sampled_from([1, 60, 3_600, DAY])
NATIVE_PER_TX = st.integers(0, 2 * ETH)
NATIVE_ALLOWANCE = st.integers(0, 5 * ETH)
TOKEN_PER_TX = st.integers(0, 200 * USDC)
TOKEN_ALLOWANCE = st.integers(0, 500 * USDC)
EXPIRY = st.one_of(st.just(None), st.integers(1, 3 * DAY))
AMOUNT = st.one_of(st.sampled_from(["remaining", "one more"]), st.integers(0, 3 * ETH))
TOKEN_AMOUNT = st.one_of(st.sampled_from(["remaining", "one more"]), st.integers(0, 300 * USDC))


@dataclass
class Payment:
    """An authorization the vault approved, as the model sees it."""

    auth: Authorization
    epoch: int
    state: str = "pending"  # pending | settled | cancelled


@dataclass
class Limits:
    per_tx: int
    allowance: int
    spent: int = 0


class Model:
    """What the guarantees say, with windows computed the obvious way from start and period."""

    def __init__(self, balance: int, token_balance: int):
        self.balance, self.token_balance = balance, token_balance
        self.paused = self.revoked = self.has_policy = self.restricted = False
        self.allowlist: set[str] = set()
        self.native = Limits(0, 0)
        self.token: Limits | None = None
        self.period = 1
        self.start = self.valid_until = self.window_end = 0
        self.epoch = 0  # +1 each time the counted window changes for a fresh one
        self.payments: list[Payment] = []

    def live(self, now: int) -> bool:
        return self.has_policy and not self.revoked and (self.valid_until == 0 or now < self.valid_until)

    def window_end_at(self, now: int) -> int:
        return self.start + ((now - self.start) // self.period + 1) * self.period

    def roll(self, now: int) -> None:
        """Count spend in the window that contains now."""
        if self.window_end_at(now) != self.window_end:
            self.window_end = self.window_end_at(now)
            self.epoch += 1
            self.native.spent = 0
            if self.token:
                self.token.spent = 0

    def remaining(self, limits: Limits | None, now: int) -> int:
        if self.paused or not self.live(now) or limits is None:
            return 0
        self.roll(now)
        return min(limits.per_tx, limits.allowance - limits.spent)

    def refusal(self, limits: Limits | None, to: str, amount: int, now: int) -> str | None:
        """The revert reason a send must give, or None when it must go through the limits."""
        if self.paused:
            return "guardrail: paused"
        if not self.has_policy:
            return "guardrail: no policy"
        if self.revoked:
            return "guardrail: policy revoked"
        if not self.live(now):
            return "guardrail: policy expired"
        if self.restricted and to not in self.allowlist:
            return "guardrail: recipient not allowed"
        if limits is None:
            return "guardrail: no token policy"
        self.roll(now)
        if amount > limits.per_tx:
            return "guardrail: over per-tx limit"
        if amount > limits.allowance - limits.spent:
            return "guardrail: over allowance"
        return None

    def set_policy(self, per_tx: int, allowance: int, period: int, valid_until: int, now: int) -> None:
        carried = 0
        if self.live(now):
            self.roll(now)
            carried = min(self.native.spent, allowance)
        else:
            self.epoch += 1
            if self.token:
                self.token.spent = 0
        self.native = Limits(per_tx, allowance, carried)
        self.has_policy, self.revoked = True, False
        self.period, self.start, self.valid_until = period, now, valid_until
        self.window_end = now + period

    def set_token_policy(self, per_tx: int, allowance: int, now: int) -> None:
        spent = 0
        if self.token and self.live(now):
            self.roll(now)
            spent = min(self.token.spent, allowance)
        self.token = Limits(per_tx, allowance, spent)

    def deadline(self, now: int) -> int:
        """The last moment (exclusive) an authorization made now may be valid before."""
        self.roll(now)
        return self.window_end if self.valid_until == 0 else min(self.window_end, self.valid_until)

    def counted_now(self, payment: Payment, now: int) -> bool:
        """Whether the payment's window is the live one, so its amount still counts."""
        if not self.live(now):
            return False
        self.roll(now)
        return payment.epoch == self.epoch

    def usable(self, payment: Payment, now: int) -> bool:
        return (payment.state == "pending" and not self.paused and now < payment.auth.valid_before
                and self.counted_now(payment, now))


class GuardrailLife(RuleBasedStateMachine):
    vault = usdc = owner = agent = alice = bob = None  # set by the test below

    @initialize(per_tx=NATIVE_PER_TX, allowance=NATIVE_ALLOWANCE, period=PERIODS, expires_in=EXPIRY)
    def a_policy_is_set(self, per_tx, allowance, period, expires_in):
        self.model = Model(boa.env.get_balance(self.vault.address), self.usdc.balanceOf(self.vault.address))
        self.generation = 0
        self.outflow: dict[tuple[int, int], int] = defaultdict(int)  # (policy, window index) -> sent
        sent_by(self.owner, self.vault.set_recipient, self.agent, self.alice, True)
        self.model.allowlist.add(self.alice)
        self.owner_sets_a_policy(per_tx, allowance, period, expires_in)

    # ------------------------------------------------------------ the agent

    @rule(to=st.sampled_from(["alice", "bob"]), amount=AMOUNT)
    def agent_sends_native(self, to, amount):
        to, now = getattr(self, to), boa.env.timestamp
        amount = self._resolve(amount, self.vault.remaining_native(self.agent))
        reason = self.model.refusal(self.model.native, to, amount, now)
        if reason is None and amount > self.model.balance:
            reason = "guardrail: vault balance too low"
        if reason:
            with boa.reverts(reason):
                sent_by(self.agent, self.vault.send_native, to, amount, *ids())
            return
        sent_by(self.agent, self.vault.send_native, to, amount, *ids())
        assert not self.model.paused and self.model.live(now)
        assert amount <= self.model.native.per_tx
        self.model.native.spent += amount
        self.model.balance -= amount
        window = (self.generation, (now - self.model.start) // self.model.period)
        self.outflow[window] += amount
        assert self.outflow[window] <= self.model.native.allowance

    @rule(to=st.sampled_from(["alice", "bob"]), amount=TOKEN_AMOUNT)
    def agent_sends_token(self, to, amount):
        to, now = getattr(self, to), boa.env.timestamp
        amount = self._resolve(amount, self.vault.remaining_token(self.agent, self.usdc.address))
        reason = self.model.refusal(self.model.token, to, amount, now)
        if reason is None and amount > self.model.token_balance:
            reason = "guardrail: token transfer failed"
        if reason:
            with boa.reverts(reason):
                sent_by(self.agent, self.vault.send_token, self.usdc.address, to, amount, *ids())
            return
        sent_by(self.agent, self.vault.send_token, self.usdc.address, to, amount, *ids())
        assert not self.model.paused and self.model.live(now)
        assert amount <= self.model.token.per_tx
        self.model.token.spent += amount
        self.model.token_balance -= amount
        assert self.model.token.spent <= self.model.token.allowance

    @rule(to=st.sampled_from(["alice", "bob"]), amount=TOKEN_AMOUNT,
          lasts=st.sampled_from([60, 600, "window end", "past window end"]))
    def agent_authorizes_a_payment(self, to, amount, lasts):
        to, now = getattr(self, to), boa.env.timestamp
        amount = self._resolve(amount, self.vault.remaining_token(self.agent, self.usdc.address))
        reason = self.model.refusal(self.model.token, to, amount, now)
        deadline = self.model.deadline(now) if reason is None else now + 1
        if isinstance(lasts, int):
            valid_before = now + lasts
        else:
            valid_before = deadline if lasts == "window end" else deadline + 1
        if reason is None and valid_before > deadline:
            reason = "guardrail: authorization outlasts the window"
        auth = Authorization(self.vault.address, to, amount, 0, valid_before, fresh_nonce())
        arguments = (self.usdc.address, to, amount, 0, valid_before, auth.nonce, *ids())
        if reason:
            with boa.reverts(reason):
                sent_by(self.agent, self.vault.authorize_payment, *arguments)
            return
        sent_by(self.agent, self.vault.authorize_payment, *arguments)
        self.model.token.spent += amount
        assert self.model.token.spent <= self.model.token.allowance
        self.model.payments.append(Payment(auth, self.model.epoch))

    @rule(pick=st.integers(0, 10**6))
    def someone_settles_a_payment(self, pick):
        if not self.model.payments:
            return
        payment, now = self.model.payments[pick % len(self.model.payments)], boa.env.timestamp
        if now >= payment.auth.valid_before:
            reason = "demo token: authorization is expired"
        elif payment.state == "settled":
            reason = "demo token: authorization is used or canceled"
        elif not self.model.usable(payment, now):
            reason = "demo token: invalid signature"
        elif payment.auth.value > self.model.token_balance:
            reason = "demo token: balance too low"
        else:
            reason = None
        settle = self.usdc.transferWithAuthorization
        if reason:
            with boa.reverts(reason):
                sent_by(self.bob, settle, *payment.auth.arguments(), b"")
            return
        sent_by(self.bob, settle, *payment.auth.arguments(), b"")
        assert not self.model.paused and self.model.live(now) and payment.epoch == self.model.epoch
        payment.state = "settled"
        self.model.token_balance -= payment.auth.value

    @rule(pick=st.integers(0, 10**6), by=st.sampled_from(["agent", "owner", "bob"]))
    def someone_cancels_a_payment(self, pick, by):
        if not self.model.payments:
            return
        payment = self.model.payments[pick % len(self.model.payments)]
        now, caller = boa.env.timestamp, getattr(self, by)
        if payment.state == "cancelled":
            reason = "guardrail: no such authorization"
        elif now < payment.auth.valid_before and by == "bob":
            reason = "guardrail: caller is not the owner or the agent"
        elif payment.state == "settled":
            reason = "guardrail: payment already settled"
        else:
            reason = None
        auth = payment.auth
        arguments = (self.usdc.address, auth.payee, auth.value, auth.valid_after, auth.valid_before, auth.nonce)
        if reason:
            with boa.reverts(reason):
                sent_by(caller, self.vault.cancel_payment, *arguments)
            return
        sent_by(caller, self.vault.cancel_payment, *arguments)
        if self.model.counted_now(payment, now):
            self.model.token.spent = max(self.model.token.spent - auth.value, 0)
        payment.state = "cancelled"

    @rule()
    def agent_revokes_itself(self):
        self._revoke(self.agent)

    # ------------------------------------------------------------ the owner

    @rule(per_tx=NATIVE_PER_TX, allowance=NATIVE_ALLOWANCE, period=PERIODS, expires_in=EXPIRY)
    def owner_sets_a_policy(self, per_tx, allowance, period, expires_in):
        now = boa.env.timestamp
        valid_until = 0 if expires_in is None else now + expires_in
        sent_by(self.owner, self.vault.set_policy, self.agent, per_tx, allowance, period, valid_until)
        self.model.set_policy(per_tx, allowance, period, valid_until, now)
        self.generation += 1

    @rule(per_tx=TOKEN_PER_TX, allowance=TOKEN_ALLOWANCE)
    def owner_sets_a_token_policy(self, per_tx, allowance):
        sent_by(self.owner, self.vault.set_token_policy, self.agent, self.usdc.address, per_tx, allowance)
        self.model.set_token_policy(per_tx, allowance, boa.env.timestamp)

    @rule()
    def owner_pauses_or_resumes(self):
        sent_by(self.owner, self.vault.unpause if self.model.paused else self.vault.pause)
        self.model.paused = not self.model.paused

    @rule()
    def owner_revokes_the_agent(self):
        self._revoke(self.owner)

    @rule(restricted=st.booleans())
    def owner_restricts_recipients(self, restricted):
        sent_by(self.owner, self.vault.set_recipients_restricted, self.agent, restricted)
        self.model.restricted = restricted

    @rule(allowed=st.booleans())
    def owner_lists_bob(self, allowed):
        sent_by(self.owner, self.vault.set_recipient, self.agent, self.bob, allowed)
        (self.model.allowlist.add if allowed else self.model.allowlist.discard)(self.bob)

    # ------------------------------------------------------------ time

    @rule(seconds=st.integers(1, 2 * DAY))
    def time_passes(self, seconds):
        boa.env.time_travel(seconds=seconds)

    @rule(edge=st.sampled_from(["window end", "expiry"]), offset=st.sampled_from([-1, 0]))
    def time_reaches_an_edge(self, edge, offset):
        now = boa.env.timestamp
        moment = self.model.window_end_at(now) if edge == "window end" else self.model.valid_until
        if moment + offset > now:
            boa.env.timestamp = moment + offset

    # ------------------------------------------------------------ invariants

    @invariant()
    def remaining_views_match_the_model(self):
        now = boa.env.timestamp
        assert self.vault.remaining_native(self.agent) == self.model.remaining(self.model.native, now)
        assert self.vault.remaining_token(self.agent, self.usdc.address) == self.model.remaining(self.model.token, now)

    @invariant()
    def spent_in_the_window_matches_the_model(self):
        now = boa.env.timestamp
        spent = 0
        if self.model.live(now):
            self.model.roll(now)
            spent = self.model.native.spent
        assert self.vault.policy(self.agent).spent_in_current_window == spent

    @invariant()
    def balances_are_exact(self):
        assert boa.env.get_balance(self.vault.address) == self.model.balance
        assert self.usdc.balanceOf(self.vault.address) == self.model.token_balance

    @invariant()
    def remaining_native_is_exactly_what_one_send_can_move(self):
        remaining = self.vault.remaining_native(self.agent)
        if remaining and remaining <= self.model.balance:
            with boa.env.anchor():
                sent_by(self.agent, self.vault.send_native, self.alice, remaining, *ids())
        if remaining < self.model.balance:
            with boa.env.anchor(), boa.reverts():
                sent_by(self.agent, self.vault.send_native, self.alice, remaining + 1, *ids())

    # ------------------------------------------------------------ helpers

    def _resolve(self, amount, remaining: int) -> int:
        return {"remaining": remaining, "one more": remaining + 1}.get(amount, amount)

    def _revoke(self, by):
        if not self.model.has_policy:
            reason = "guardrail: no policy"
        elif self.model.revoked:
            reason = "guardrail: already revoked"
        else:
            sent_by(by, self.vault.revoke, self.agent)
            self.model.revoked = True
            return
        with boa.reverts(reason):
            sent_by(by, self.vault.revoke, self.agent)


def test_guardrail_keeps_its_guarantees_through_random_lives(vault, usdc, owner, agent, alice, bob):
    GuardrailLife.vault, GuardrailLife.usdc = vault, usdc
    GuardrailLife.owner, GuardrailLife.agent, GuardrailLife.alice, GuardrailLife.bob = owner, agent, alice, bob
    run_state_machine_as_test(GuardrailLife, settings=settings(
        max_examples=60, stateful_step_count=30, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
