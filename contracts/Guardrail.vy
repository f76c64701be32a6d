# pragma version 0.4.3
# pragma evm-version cancun
"""
@title Guardrail
@license Apache-2.0
@notice A vault that holds its owner's funds and caps what agent keys can move.
        The deployer is the owner. Each agent has its own policy; an agent acts by calling
        send_native / send_token / call, and every action emits one Action event.

Guarantees (each has named tests in tests/contracts; GUARANTEES.md says them in plain words):
 1. An agent's native outflow is <= per_tx_max per action and <= allowance per window.
    Windows are fixed: [start + k*period, start + (k+1)*period), start = time of the last
    set_policy. One window sees at most `allowance`; any `period`-long interval overlaps at
    most two windows, so it sees at most 2 * allowance.
 2. The same for every ERC-20 with a token policy, in the same windows. A token without one
    cannot be moved by the agent. call() never reaches a token that has a token policy, and
    token-moving selectors (approve, transfer, transferFrom, permit, ...) can't be allowlisted.
 3. While paused, expired (now >= valid_until) or revoked, an agent moves nothing.
 4. With its recipient allowlist on, an agent pays only allowlisted addresses.
 5. call() reaches only owner-allowlisted (target, selector) pairs; its value is native spend.
 6. Only the owner sets policy, pauses, withdraws, or acts beyond the limits (owner_execute).
 7. send_native, send_token, call, authorize_payment, owner_execute and record emit one Action
    event each; every policy change, pause and resume emits its own event.
    record_plan emits one Plan event and a denied Action event for each step the person did
    not approve.
 8. Spend is counted only when the transfer succeeds: a failed transfer reverts the action,
    and an ERC-20 answering `false` is a failure. An agent can revoke its own key.
 9. remaining_native / remaining_token give what one send can move now.
 isValidSignature (ERC-1271) accepts the owner's signature of a hash as the vault's and
 nobody else's: it adds no power to the owner's, who can make the vault do anything with
 owner_execute, and none to an agent's key.
 x402 payments (EIP-3009 authorizations from the vault, section "x402 payments" below) are
 counted as send_token when the agent authorizes them, and are accepted as the vault's only
 while usable and only in the window they are counted in; guarantees 1-9 hold for them.
 action_id is not checked for uniqueness here: one cold storage write (22,100 gas) would
 double the cost of record(). The client never signs an action twice (one nonce per
 action, the same signed transaction rebroadcast) and reconciles by the Action events.

Storage layout. Vyper 0.4 does not pack, so slots are packed by hand (bit ranges inclusive).
A live agent send reads `paused` and the agent's native slot and writes the native slot; the
config slot is read only when a window or the policy ends, by token sends and by views.

  _native[agent]            written by every agent action
     0.. 95  remaining      uint96  native the agent may still send in the cached window
    96..191  per_tx_max     uint96
   192..231  deadline       uint40  min(window end, valid_until): the cache is good while
                                    now < deadline; 0 when revoked or never set
   232       restricted     recipient allowlist on
  _config[agent]            zero until the first set_policy (period >= 1)
     0.. 95  allowance      uint96
    96..127  period         uint32  seconds
   128..167  start          uint40  window anchor
   168..207  valid_until    uint40  0 = no expiry
   208..247  epoch          uint40  +1 per window opened; tags token usage (never wraps: reverts)
   248       revoked
  _token[agent][token]
     0..103  remaining      uint104 left in the window tagged by epoch
   104..207  per_tx_max     uint104
   208..247  epoch          uint40  the agent's epoch `remaining` belongs to; stale = full allowance
   248       set            a token policy exists (an all-zero one included)
  _token_allowance[agent][token]    uint104, read only when a window opens or by views
"""

# Action.kind
KIND_NATIVE: constant(uint8) = 1
KIND_TOKEN: constant(uint8) = 2
KIND_CALL: constant(uint8) = 3
KIND_OWNER_EXECUTE: constant(uint8) = 4
KIND_RECORD: constant(uint8) = 5

# Action.status
STATUS_EXECUTED: constant(uint8) = 1
STATUS_DENIED: constant(uint8) = 2
STATUS_FAILED: constant(uint8) = 3

MAX_CALLDATA: constant(uint256) = 4096
MAX_PLAN_STEPS: constant(uint256) = 5
MAX_RETURNDATA: constant(uint256) = 1024  # longer return data is cut to this

MAX_U32: constant(uint256) = 2**32 - 1
MAX_U40: constant(uint256) = 2**40 - 1
MAX_U96: constant(uint256) = 2**96 - 1
MAX_U104: constant(uint256) = 2**104 - 1
MAX_U160: constant(uint256) = 2**160 - 1

PER_TX_SHIFT: constant(uint256) = 96
DEADLINE_SHIFT: constant(uint256) = 192
RESTRICTED: constant(uint256) = 2**232
PERIOD_SHIFT: constant(uint256) = 96
START_SHIFT: constant(uint256) = 128
VALID_UNTIL_SHIFT: constant(uint256) = 168
EPOCH_SHIFT: constant(uint256) = 208
EPOCH_MASK: constant(uint256) = MAX_U40 * 2**208
REVOKED: constant(uint256) = 2**248
TOKEN_PER_TX_SHIFT: constant(uint256) = 104
TOKEN_SET: constant(uint256) = 2**248

ERC1271_MAGIC_VALUE: constant(bytes4) = 0x1626BA7E
ERC1271_INVALID: constant(bytes4) = 0xFFFFFFFF
# secp256k1's order n, halved: an s above it is the malleable twin of a valid signature (EIP-2)
SECP256K1_HALF_ORDER: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168

TRANSFER: constant(bytes4) = method_id("transfer(address,uint256)", output_type=bytes4)
# Selectors that move or approve tokens (ERC-20, EIP-2612/DAI permit, ERC-721/1155,
# ERC-677/1363, ERC-777, Permit2): never allowlisted for call().
TOKEN_SELECTORS: constant(bytes4[19]) = [
    0xa9059cbb,  # transfer(address,uint256)
    0x23b872dd,  # transferFrom(address,address,uint256)
    0x095ea7b3,  # approve(address,uint256)
    0x39509351,  # increaseAllowance(address,uint256)
    0xd73dd623,  # increaseApproval(address,uint256)
    0xd505accf,  # permit(address,address,uint256,uint256,uint8,bytes32,bytes32)
    0x8fcbaf0c,  # permit(address,address,uint256,uint256,bool,uint8,bytes32,bytes32)
    0xa22cb465,  # setApprovalForAll(address,bool)
    0x42842e0e,  # safeTransferFrom(address,address,uint256)
    0xb88d4fde,  # safeTransferFrom(address,address,uint256,bytes)
    0xf242432a,  # safeTransferFrom(address,address,uint256,uint256,bytes)
    0x2eb2c2d6,  # safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)
    0x4000aea0,  # transferAndCall(address,uint256,bytes)
    0x1296ee62,  # transferAndCall(address,uint256)
    0xcae9ca51,  # approveAndCall(address,uint256,bytes)
    0x9bd9bbc6,  # send(address,uint256,bytes)
    0x959b8c3f,  # authorizeOperator(address)
    0x87517c45,  # approve(address,address,uint160,uint48)
    0x36c78516,  # transferFrom(address,address,uint160,address)
]


event Action:
    action_id: indexed(bytes32)
    actor: indexed(address)
    kind: uint8
    target: address
    token: address
    amount: uint256
    intent_hash: bytes32
    status: uint8

event Plan:
    plan_id: indexed(bytes32)
    actor: indexed(address)
    plan_hash: bytes32
    action_ids: DynArray[bytes32, MAX_PLAN_STEPS]
    approved: uint256

event PolicySet:
    agent: indexed(address)
    per_tx_max: uint256
    allowance: uint256
    period: uint256
    valid_until: uint256
    start: uint256

event TokenPolicySet:
    agent: indexed(address)
    token: indexed(address)
    per_tx_max: uint256
    allowance: uint256

event RecipientSet:
    agent: indexed(address)
    recipient: indexed(address)
    allowed: bool

event RecipientsRestrictedSet:
    agent: indexed(address)
    restricted: bool

event CallSet:
    agent: indexed(address)
    target: indexed(address)
    selector: bytes4
    allowed: bool

event Revoked:
    agent: indexed(address)
    by: indexed(address)

event Paused:
    by: indexed(address)

event Unpaused:
    by: indexed(address)

event OwnershipTransferStarted:
    previous_owner: indexed(address)
    new_owner: indexed(address)

event OwnershipTransferred:
    previous_owner: indexed(address)
    new_owner: indexed(address)

event Withdrawal:
    token: indexed(address)
    to: indexed(address)
    amount: uint256

event Deposit:
    sender: indexed(address)
    amount: uint256


struct PolicyView:
    per_tx_max: uint256
    allowance: uint256
    period: uint256
    valid_until: uint256
    start: uint256
    spent_in_current_window: uint256
    window_resets_at: uint256
    revoked: bool
    recipients_restricted: bool

struct TokenPolicyView:
    per_tx_max: uint256
    allowance: uint256
    spent_in_current_window: uint256


owner: public(address)
pending_owner: public(address)
paused: public(bool)

_native: HashMap[address, uint256]
_config: HashMap[address, uint256]
_token: HashMap[address, HashMap[address, uint256]]
_token_allowance: HashMap[address, HashMap[address, uint256]]
_policed_token: HashMap[address, bool]
_recipients: HashMap[address, HashMap[address, bool]]
_calls: HashMap[address, HashMap[address, HashMap[bytes4, bool]]]


@deploy
def __init__():
    self.owner = msg.sender
    log OwnershipTransferred(previous_owner=empty(address), new_owner=msg.sender)


@external
@payable
def __default__():
    """
    @notice Take a native deposit from anyone. Calldata makes it revert, so a call to a
            function the vault does not have cannot pass for a deposit.
    """
    assert len(msg.data) == 0, "guardrail: unknown function"
    log Deposit(sender=msg.sender, amount=msg.value)


# ------------------------------------------------------------------ agent

@external
@nonreentrant
def send_native(to: address, amount: uint256, action_id: bytes32, intent_hash: bytes32):
    """
    @notice Send native funds from the vault, within the caller's (the agent's) limits.
    @param to The 20-byte recipient address; never the zero address.
    @param amount The 32-byte amount in wei.
    @param action_id The 32-byte id the client gave this action, logged in the Action event.
    @param intent_hash The 32-byte hash of what the person approved, logged in the event.
    """
    assert to != empty(address), "guardrail: recipient is the zero address"
    self._spend_native(msg.sender, to, amount, True)
    self._send_value(to, amount)
    log Action(action_id=action_id, actor=msg.sender, kind=KIND_NATIVE, target=to,
               token=empty(address), amount=amount, intent_hash=intent_hash, status=STATUS_EXECUTED)


@external
@nonreentrant
def send_token(token: address, to: address, amount: uint256, action_id: bytes32, intent_hash: bytes32):
    """
    @notice Send an ERC-20 from the vault, within the caller's (the agent's) limits for that
            token. A token without a token policy cannot be sent.
    @param token The 20-byte ERC-20 address.
    @param to The 20-byte recipient address; never the zero address.
    @param amount The 32-byte amount in the token's base units.
    @param action_id The 32-byte id the client gave this action, logged in the Action event.
    @param intent_hash The 32-byte hash of what the person approved, logged in the event.
    """
    assert to != empty(address), "guardrail: recipient is the zero address"
    self._spend_token(msg.sender, token, to, amount)
    self._transfer_token(token, to, amount)
    log Action(action_id=action_id, actor=msg.sender, kind=KIND_TOKEN, target=to,
               token=token, amount=amount, intent_hash=intent_hash, status=STATUS_EXECUTED)


@external
@nonreentrant
def call(target: address, amount: uint256, data: Bytes[MAX_CALLDATA], action_id: bytes32,
         intent_hash: bytes32) -> Bytes[MAX_RETURNDATA]:
    """
    @notice Call an allowlisted (target, selector) with `amount` of native value, which counts
            against the native limits. The target's revert data is passed on; its return data
            comes back cut to MAX_RETURNDATA bytes.
    @param target The 20-byte contract to call.
    @param amount The 32-byte native value sent with the call, in wei.
    @param data The calldata, at most MAX_CALLDATA bytes; its first 4 bytes are the selector.
    @param action_id The 32-byte id the client gave this action, logged in the Action event.
    @param intent_hash The 32-byte hash of what the person approved, logged in the event.
    @return Bytes The target's return data, cut to MAX_RETURNDATA bytes.
    """
    self._spend_native(msg.sender, target, amount, False)
    assert len(data) >= 4, "guardrail: call not allowed"
    assert self._call_allowed(msg.sender, target, convert(slice(data, 0, 4), bytes4)), "guardrail: call not allowed"
    assert self.balance >= amount, "guardrail: vault balance too low"
    result: Bytes[MAX_RETURNDATA] = raw_call(target, data, value=amount, max_outsize=MAX_RETURNDATA)
    log Action(action_id=action_id, actor=msg.sender, kind=KIND_CALL, target=target,
               token=empty(address), amount=amount, intent_hash=intent_hash, status=STATUS_EXECUTED)
    return result


@external
def record(action_id: bytes32, intent_hash: bytes32, status: uint8):
    """
    @notice Log a decision that moved nothing: denied (2) or failed (3). Open to anyone, as it
            changes no state; readers attribute it by `actor` (the caller). The owner may also
            record executed (1): the owner's policy changes and pauses carry no intent hash of
            their own, so the client logs the executed decision behind them this way.
    @param action_id The 32-byte id the client gave the decision.
    @param intent_hash The 32-byte hash of what the person was asked.
    @param status 1 executed (the owner only), 2 denied or 3 failed.
    """
    if status == STATUS_EXECUTED:
        assert msg.sender == self.owner, "guardrail: only the owner records executed"
    else:
        assert status == STATUS_DENIED or status == STATUS_FAILED, "guardrail: status must be denied or failed"
    log Action(action_id=action_id, actor=msg.sender, kind=KIND_RECORD, target=empty(address),
               token=empty(address), amount=0, intent_hash=intent_hash, status=status)


@external
def record_plan(plan_id: bytes32, plan_hash: bytes32, action_ids: DynArray[bytes32, MAX_PLAN_STEPS],
                intent_hashes: DynArray[bytes32, MAX_PLAN_STEPS], approved: uint256):
    """
    @notice Log the person's decision on a plan (one request, several steps): which steps were
            approved, and a denied Action for each step that was not, so one transaction logs
            the whole decision. An approved step logs its own Action when it runs (or record()
            logs it failed). Open to anyone, as it changes no state; readers attribute it by
            `actor` (the caller).
    @param plan_id The 32-byte id the client gave the plan.
    @param plan_hash The 32-byte hash of the plan as the person was shown it (its steps' ids and
           intent hashes among it).
    @param action_ids The plan's steps' action ids, in order: 2 to 5 of them.
    @param intent_hashes The steps' intent hashes, in the same order.
    @param approved The steps approved: bit 0 for the first step, bit 1 for the second, ...
    """
    steps: uint256 = len(action_ids)
    assert steps >= 2, "guardrail: a plan has 2 to 5 steps"
    assert len(intent_hashes) == steps, "guardrail: one intent hash per step"
    assert approved >> steps == 0, "guardrail: approved names a step the plan does not have"
    for i: uint256 in range(steps, bound=MAX_PLAN_STEPS):
        if (approved >> i) & 1 == 0:
            log Action(action_id=action_ids[i], actor=msg.sender, kind=KIND_RECORD, target=empty(address),
                       token=empty(address), amount=0, intent_hash=intent_hashes[i], status=STATUS_DENIED)
    log Plan(plan_id=plan_id, actor=msg.sender, plan_hash=plan_hash, action_ids=action_ids, approved=approved)


@external
@nonreentrant
def revoke(agent: address):
    """
    @notice End an agent's policy at once. The owner, or the agent giving up its own key.
            Only a new set_policy brings the agent back.
    @param agent The 20-byte agent address.
    """
    assert msg.sender == self.owner or msg.sender == agent, "guardrail: caller is not the owner or the agent"
    config: uint256 = self._config[agent]
    assert config != 0, "guardrail: no policy"
    assert config & REVOKED == 0, "guardrail: already revoked"
    self._config[agent] = config | REVOKED
    self._native[agent] = self._native[agent] & ~(MAX_U40 << DEADLINE_SHIFT)
    log Revoked(agent=agent, by=msg.sender)


# ------------------------------------------------------------------ owner

@external
@nonreentrant
def set_policy(agent: address, per_tx_max: uint256, allowance: uint256, period: uint256, valid_until: uint256):
    """
    @notice Set an agent's native limits and start a new window now; valid_until 0 = no expiry.
            What the agent spent in its current window is carried into the new one (up to the
            new allowance), so changing limits never hands out a fresh allowance. A new,
            expired or revoked agent starts with nothing spent. Clears a revocation.
    @param agent The 20-byte agent address; never the zero address.
    @param per_tx_max The most wei one action may move, at most 2**96 - 1.
    @param allowance The most wei one window may move, at most 2**96 - 1.
    @param period The window length in seconds, from 1 to 2**32 - 1.
    @param valid_until The Unix time the policy ends, in the future and at most 2**40 - 1;
           0 for no expiry.
    """
    self._only_owner()
    assert agent != empty(address), "guardrail: agent is the zero address"
    assert per_tx_max <= MAX_U96, "guardrail: per_tx_max too large"
    assert allowance <= MAX_U96, "guardrail: allowance too large"
    assert period != 0 and period <= MAX_U32, "guardrail: period out of range"
    assert valid_until <= MAX_U40, "guardrail: valid_until too large"
    assert valid_until == 0 or valid_until > block.timestamp, "guardrail: valid_until in the past"

    native: uint256 = self._native[agent]
    config: uint256 = self._config[agent]
    spent: uint256 = 0
    epoch: uint256 = config & EPOCH_MASK
    if block.timestamp < (native >> DEADLINE_SHIFT) & MAX_U40:
        spent = (config & MAX_U96) - (native & MAX_U96)
    else:
        epoch = self._next_epoch(config)

    self._config[agent] = (allowance | (period << PERIOD_SHIFT) | (block.timestamp << START_SHIFT)
                           | (valid_until << VALID_UNTIL_SHIFT) | epoch)
    deadline: uint256 = self._deadline(block.timestamp + period, valid_until)
    self._native[agent] = ((allowance - min(spent, allowance)) | (per_tx_max << PER_TX_SHIFT)
                           | (deadline << DEADLINE_SHIFT) | (native & RESTRICTED))
    log PolicySet(agent=agent, per_tx_max=per_tx_max, allowance=allowance, period=period,
                  valid_until=valid_until, start=block.timestamp)


@external
@nonreentrant
def set_token_policy(agent: address, token: address, per_tx_max: uint256, allowance: uint256):
    """
    @notice Set an agent's limits for one ERC-20 (windows as its native policy). Spend already
            counted in the current window is carried, up to the new allowance. Once a token
            has a policy, call() can never target it.
    @param agent The 20-byte agent address; never the zero address.
    @param token The 20-byte ERC-20 address; it must hold code.
    @param per_tx_max The most one action may move, in the token's base units, at most
           2**104 - 1.
    @param allowance The most one window may move, in the token's base units, at most
           2**104 - 1.
    """
    self._only_owner()
    assert agent != empty(address), "guardrail: agent is the zero address"
    assert token.is_contract, "guardrail: token is not a contract"
    assert per_tx_max <= MAX_U104, "guardrail: per_tx_max too large"
    assert allowance <= MAX_U104, "guardrail: allowance too large"

    live: bool = False
    native: uint256 = 0
    config: uint256 = 0
    live, native, config = self._window_now(agent)
    slot: uint256 = self._token[agent][token]
    spent: uint256 = 0
    if live and slot & TOKEN_SET != 0 and slot & EPOCH_MASK == config & EPOCH_MASK:
        spent = self._token_allowance[agent][token] - (slot & MAX_U104)

    self._token_allowance[agent][token] = allowance
    self._token[agent][token] = ((allowance - min(spent, allowance)) | (per_tx_max << TOKEN_PER_TX_SHIFT)
                                 | (config & EPOCH_MASK) | TOKEN_SET)
    self._policed_token[token] = True
    log TokenPolicySet(agent=agent, token=token, per_tx_max=per_tx_max, allowance=allowance)


@external
@nonreentrant
def set_recipient(agent: address, to: address, allowed: bool):
    """
    @notice Put a recipient on the agent's allowlist or take it off. The list counts only
            while set_recipients_restricted has turned it on.
    @param agent The 20-byte agent address.
    @param to The 20-byte recipient address.
    @param allowed True to allow paying `to`, False to take it off.
    """
    self._only_owner()
    self._recipients[agent][to] = allowed
    log RecipientSet(agent=agent, recipient=to, allowed=allowed)


@external
@nonreentrant
def set_recipients_restricted(agent: address, restricted: bool):
    """
    @notice Turn the agent's recipient allowlist on or off. While it is on, send_native and
            send_token pay only allowlisted recipients; call() is bounded by set_call instead.
    @param agent The 20-byte agent address.
    @param restricted True to pay only allowlisted recipients, False to pay anyone.
    """
    self._only_owner()
    native: uint256 = self._native[agent] & ~RESTRICTED
    if restricted:
        native |= RESTRICTED
    self._native[agent] = native
    log RecipientsRestrictedSet(agent=agent, restricted=restricted)


@external
@nonreentrant
def set_call(agent: address, target: address, selector: bytes4, allowed: bool):
    """
    @notice Allow the agent's call() to reach one (target, selector), or forbid it again.
            Neither the vault itself nor a selector that moves or approves tokens can be
            allowed; forbidding always works.
    @param agent The 20-byte agent address.
    @param target The 20-byte contract address.
    @param selector The 4-byte function selector.
    @param allowed True to allow, False to forbid.
    """
    self._only_owner()
    if allowed:
        assert target != self, "guardrail: target is the vault"
        assert selector not in TOKEN_SELECTORS, "guardrail: selector moves or approves tokens"
    self._calls[agent][target][selector] = allowed
    log CallSet(agent=agent, target=target, selector=selector, allowed=allowed)


@external
@nonreentrant
def pause():
    """
    @notice Stop every agent at once: while paused, no agent moves anything. The owner's
            functions and record() keep working.
    """
    self._only_owner()
    assert not self.paused, "guardrail: already paused"
    self.paused = True
    log Paused(by=msg.sender)


@external
@nonreentrant
def unpause():
    """@notice End a pause: agents act again within their policies."""
    self._only_owner()
    assert self.paused, "guardrail: not paused"
    self.paused = False
    log Unpaused(by=msg.sender)


@external
@nonreentrant
def withdraw_native(to: address, amount: uint256):
    """
    @notice Take native funds out of the vault, beyond every limit.
    @param to The 20-byte recipient address; never the zero address.
    @param amount The 32-byte amount in wei.
    """
    self._only_owner()
    assert to != empty(address), "guardrail: recipient is the zero address"
    self._send_value(to, amount)
    log Withdrawal(token=empty(address), to=to, amount=amount)


@external
@nonreentrant
def withdraw_token(token: address, to: address, amount: uint256):
    """
    @notice Take an ERC-20 out of the vault, beyond every limit.
    @param token The 20-byte ERC-20 address.
    @param to The 20-byte recipient address; never the zero address.
    @param amount The 32-byte amount in the token's base units.
    """
    self._only_owner()
    assert to != empty(address), "guardrail: recipient is the zero address"
    self._transfer_token(token, to, amount)
    log Withdrawal(token=token, to=to, amount=amount)


@external
@nonreentrant
def owner_execute(target: address, amount: uint256, data: Bytes[MAX_CALLDATA], action_id: bytes32,
                  intent_hash: bytes32) -> Bytes[MAX_RETURNDATA]:
    """
    @notice Any call by the owner, beyond every limit. For a bare ERC-20 transfer(to, amount)
            the Action event names the token, the recipient and the token amount.
    @param target The 20-byte address to call.
    @param amount The 32-byte native value sent with the call, in wei.
    @param data The calldata, at most MAX_CALLDATA bytes.
    @param action_id The 32-byte id the client gave this action, logged in the Action event.
    @param intent_hash The 32-byte hash of what the person approved, logged in the event.
    @return Bytes The target's return data, cut to MAX_RETURNDATA bytes.
    """
    self._only_owner()
    assert self.balance >= amount, "guardrail: vault balance too low"
    result: Bytes[MAX_RETURNDATA] = raw_call(target, data, value=amount, max_outsize=MAX_RETURNDATA)
    recipient: address = target
    token: address = empty(address)
    moved: uint256 = amount
    if amount == 0 and len(data) == 68 and convert(slice(data, 0, 4), bytes4) == TRANSFER:
        token = target
        recipient = convert(extract32(data, 4, output_type=uint256) & MAX_U160, address)
        moved = extract32(data, 36, output_type=uint256)
    log Action(action_id=action_id, actor=msg.sender, kind=KIND_OWNER_EXECUTE, target=recipient,
               token=token, amount=moved, intent_hash=intent_hash, status=STATUS_EXECUTED)
    return result


@external
@nonreentrant
def transfer_ownership(new_owner: address):
    """
    @notice Start a two-step transfer of ownership: new_owner must accept it.
    @param new_owner The 20-byte address that may accept; the zero address cancels a pending
           transfer.
    """
    self._only_owner()
    self.pending_owner = new_owner
    log OwnershipTransferStarted(previous_owner=self.owner, new_owner=new_owner)


@external
@nonreentrant
def accept_ownership():
    """@notice Take over as owner; only the pending owner can."""
    assert msg.sender == self.pending_owner, "guardrail: caller is not the pending owner"
    log OwnershipTransferred(previous_owner=self.owner, new_owner=msg.sender)
    self.owner = msg.sender
    self.pending_owner = empty(address)


# ------------------------------------------------------------------ views

@external
@view
def remaining_native(agent: address) -> uint256:
    """
    @notice Native the agent can send in one action now: min(per_tx_max, allowance left in
            the window); 0 when paused, expired, revoked or without policy. Does not look at
            the vault's balance, which a send also needs.
    @param agent The 20-byte agent address.
    @return uint256 The most wei one send_native by the agent can move now.
    """
    live: bool = False
    native: uint256 = 0
    config: uint256 = 0
    live, native, config = self._window_now(agent)
    if self.paused or not live:
        return 0
    return min(native & MAX_U96, (native >> PER_TX_SHIFT) & MAX_U96)


@external
@view
def remaining_token(agent: address, token: address) -> uint256:
    """
    @notice As remaining_native, for one token; 0 for a token without a policy.
    @param agent The 20-byte agent address.
    @param token The 20-byte ERC-20 address.
    @return uint256 The most one send_token by the agent can move now, in base units.
    """
    live: bool = False
    native: uint256 = 0
    config: uint256 = 0
    live, native, config = self._window_now(agent)
    slot: uint256 = self._token[agent][token]
    if self.paused or not live or slot & TOKEN_SET == 0:
        return 0
    left: uint256 = self._token_allowance[agent][token]
    if slot & EPOCH_MASK == config & EPOCH_MASK:
        left = slot & MAX_U104
    return min(left, (slot >> TOKEN_PER_TX_SHIFT) & MAX_U104)


@external
@view
def policy(agent: address) -> PolicyView:
    """
    @notice The agent's native policy. spent_in_current_window and window_resets_at are 0
            unless the policy is live (set, not revoked, not expired).
    @param agent The 20-byte agent address.
    @return PolicyView The limits, the window and what the agent spent in it.
    """
    live: bool = False
    native: uint256 = 0
    config: uint256 = 0
    live, native, config = self._window_now(agent)
    allowance: uint256 = config & MAX_U96
    spent: uint256 = 0
    resets_at: uint256 = 0
    if live:
        spent = allowance - (native & MAX_U96)
        resets_at = self._window_end(config)
    return PolicyView(
        per_tx_max=(native >> PER_TX_SHIFT) & MAX_U96,
        allowance=allowance,
        period=(config >> PERIOD_SHIFT) & MAX_U32,
        valid_until=(config >> VALID_UNTIL_SHIFT) & MAX_U40,
        start=(config >> START_SHIFT) & MAX_U40,
        spent_in_current_window=spent,
        window_resets_at=resets_at,
        revoked=config & REVOKED != 0,
        recipients_restricted=native & RESTRICTED != 0,
    )


@external
@view
def token_policy(agent: address, token: address) -> TokenPolicyView:
    """
    @notice The agent's policy for one token. spent_in_current_window is 0 unless the
            agent's native policy is live, as in policy().
    @param agent The 20-byte agent address.
    @param token The 20-byte ERC-20 address.
    @return TokenPolicyView The token limits and what the agent spent in the window.
    """
    live: bool = False
    native: uint256 = 0
    config: uint256 = 0
    live, native, config = self._window_now(agent)
    slot: uint256 = self._token[agent][token]
    allowance: uint256 = self._token_allowance[agent][token]
    spent: uint256 = 0
    if live and slot & TOKEN_SET != 0 and slot & EPOCH_MASK == config & EPOCH_MASK:
        spent = allowance - (slot & MAX_U104)
    return TokenPolicyView(
        per_tx_max=(slot >> TOKEN_PER_TX_SHIFT) & MAX_U104,
        allowance=allowance,
        spent_in_current_window=spent,
    )


@external
@view
def recipient_allowed(agent: address, to: address) -> bool:
    """
    @notice Whether the allowlist lets the agent pay `to` (always, when it is off).
    @param agent The 20-byte agent address.
    @param to The 20-byte recipient address.
    @return bool True when send_native and send_token may pay `to`.
    """
    return self._native[agent] & RESTRICTED == 0 or self._recipients[agent][to]


@external
@view
def call_allowed(agent: address, target: address, selector: bytes4) -> bool:
    """
    @notice Whether call() lets the agent reach (target, selector), limits aside.
    @param agent The 20-byte agent address.
    @param target The 20-byte contract address.
    @param selector The 4-byte function selector.
    @return bool True when the pair is allowlisted and the target is not a policed token.
    """
    return self._call_allowed(agent, target, selector)


# ------------------------------------------------------------------ the owner's signature

@external
@view
def isValidSignature(hash: bytes32, signature: Bytes[65]) -> bytes4:
    """
    @notice ERC-1271: the vault accepts a signature as its own when it is the owner's ECDSA
            signature of `hash` itself (no prefix added), so the owner can prove the vault to a
            contract that asks it, such as the ERC-8004 identity registry making the vault an
            agent's wallet. An agent's signature is never the vault's. It gives the owner no
            power they lack: owner_execute already makes the vault do anything.
            A payment an agent authorized (authorize_payment) is the vault's whatever the
            signature, while it can still be used, when the token it was authorized for asks
            (msg.sender): its digest is the approval (Safe's approved hashes), as the agent's
            policy allowed it.
    @param hash The 32-byte digest the caller asks about.
    @param signature 65 bytes r, s, v by the owner's key: v 27 or 28, s in the lower half of
           the curve order (the other, malleable half is refused).
    @return bytes4 0x1626ba7e when the owner signed `hash` or it is a usable authorized
            payment, 0xffffffff otherwise.
    """
    if self._payment_usable(self._payments[msg.sender][hash]):
        return ERC1271_MAGIC_VALUE
    if len(signature) != 65:
        return ERC1271_INVALID
    r: uint256 = extract32(signature, 0, output_type=uint256)
    s: uint256 = extract32(signature, 32, output_type=uint256)
    v: uint256 = convert(slice(signature, 64, 1), uint256)
    if s > SECP256K1_HALF_ORDER or (v != 27 and v != 28):
        return ERC1271_INVALID
    signer: address = ecrecover(hash, v, r, s)
    if signer == empty(address) or signer != self.owner:
        return ERC1271_INVALID
    return ERC1271_MAGIC_VALUE


# ------------------------------------------------------------------ x402 payments (EIP-3009)
# An agent pays an x402 `exact` price with an EIP-3009 transferWithAuthorization from the
# vault. The vault is a contract, so it signs as Safe does with approved hashes: the agent
# calls authorize_payment, which spends from its token policy exactly as send_token would, and
# the authorization's EIP-712 digest becomes one isValidSignature accepts. The token moves the
# funds when anyone submits the authorization, once (the token spends its nonce). Until then:
#  - it is usable only while the agent could still act (not paused, revoked or expired, the
#    same policy epoch, before that window's deadline) and before valid_before, which may not
#    outlast the window it is counted in, so it moves funds only inside that window, counted once;
#  - cancel_payment takes the approval back and, if the token never used the nonce, gives its
#    amount back to the window's allowance: at any time for the agent or the owner, for
#    anyone once valid_before has passed (it can no longer be used).
# The approval is kept under the token it was counted for, and only that token's own question
# (msg.sender of isValidSignature) finds it: a token that lied about its domain separator
# cannot turn an approval counted against its policy into another token's authorization.
#  _payments[token][digest]  zero when no authorization was made
#     0..159  agent
#   160..199  valid_before  uint40
#   200..239  epoch         uint40  the agent's epoch it is counted in

KIND_PAYMENT: constant(uint8) = 6
TRANSFER_WITH_AUTHORIZATION_TYPEHASH: constant(bytes32) = keccak256(
    "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
PAYMENT_VALID_BEFORE_SHIFT: constant(uint256) = 160
PAYMENT_EPOCH_SHIFT: constant(uint256) = 200


interface EIP3009:
    def DOMAIN_SEPARATOR() -> bytes32: view
    def authorizationState(authorizer: address, nonce: bytes32) -> bool: view


event PaymentCancelled:
    digest: indexed(bytes32)
    agent: indexed(address)
    by: address
    refunded: uint256


_payments: HashMap[address, HashMap[bytes32, uint256]]


@external
@nonreentrant
def authorize_payment(token: address, to: address, amount: uint256, valid_after: uint256, valid_before: uint256,
                      nonce: bytes32, action_id: bytes32, intent_hash: bytes32) -> bytes32:
    """
    @notice Authorize an EIP-3009 transferWithAuthorization of `amount` from the vault to `to`,
            within the caller's (the agent's) token policy, as a send_token of the same amount:
            it is counted at once, and the vault accepts its digest as signed until it is used,
            cancelled or no longer usable. The Action event has kind 6.
    @param token The 20-byte EIP-3009 token (with DOMAIN_SEPARATOR and authorizationState).
    @param to The 20-byte payee; never the zero address.
    @param amount The 32-byte amount in the token's base units.
    @param valid_after The Unix time after which the token accepts the authorization.
    @param valid_before The Unix time before which the token accepts it: in the future and no
           later than the end of the agent's current window (or its valid_until).
    @param nonce The vault's 32-byte EIP-3009 nonce, unused at the token.
    @param action_id The 32-byte id the client gave this action, logged in the Action event.
    @param intent_hash The 32-byte hash of what the person approved, logged in the event.
    @return bytes32 The authorization's EIP-712 digest, as the token computes it.
    """
    assert to != empty(address), "guardrail: recipient is the zero address"
    self._spend_token(msg.sender, token, to, amount)
    assert valid_before > block.timestamp, "guardrail: authorization already expired"
    assert valid_after < valid_before, "guardrail: authorization never valid"
    assert valid_before <= (self._native[msg.sender] >> DEADLINE_SHIFT) & MAX_U40, \
        "guardrail: authorization outlasts the window"
    assert not staticcall EIP3009(token).authorizationState(self, nonce), "guardrail: nonce already used"
    digest: bytes32 = self._payment_digest(token, to, amount, valid_after, valid_before, nonce)
    assert self._payments[token][digest] == 0, "guardrail: payment already authorized"
    epoch: uint256 = (self._config[msg.sender] & EPOCH_MASK) >> EPOCH_SHIFT
    self._payments[token][digest] = (convert(msg.sender, uint256) | (valid_before << PAYMENT_VALID_BEFORE_SHIFT)
                              | (epoch << PAYMENT_EPOCH_SHIFT))
    log Action(action_id=action_id, actor=msg.sender, kind=KIND_PAYMENT, target=to,
               token=token, amount=amount, intent_hash=intent_hash, status=STATUS_EXECUTED)
    return digest


@external
@nonreentrant
def cancel_payment(token: address, to: address, amount: uint256, valid_after: uint256, valid_before: uint256,
                   nonce: bytes32):
    """
    @notice Take back an authorization that was never used: the vault stops accepting its
            digest, and its amount is given back to the agent's allowance if it is still
            counted in the agent's current window. Before valid_before only its agent or the
            owner may; after it, anyone (it can no longer be used).
    @param token The 20-byte token of the authorization.
    @param to The 20-byte payee of the authorization.
    @param amount The 32-byte amount of the authorization.
    @param valid_after The authorization's valid_after.
    @param valid_before The authorization's valid_before.
    @param nonce The authorization's 32-byte nonce.
    """
    digest: bytes32 = self._payment_digest(token, to, amount, valid_after, valid_before, nonce)
    payment: uint256 = self._payments[token][digest]
    assert payment != 0, "guardrail: no such authorization"
    agent: address = convert(payment & MAX_U160, address)
    if block.timestamp < valid_before:
        assert msg.sender == agent or msg.sender == self.owner, "guardrail: caller is not the owner or the agent"
    self._payments[token][digest] = 0
    assert not staticcall EIP3009(token).authorizationState(self, nonce), "guardrail: payment already settled"
    refunded: uint256 = 0
    slot: uint256 = self._token[agent][token]
    epoch: uint256 = (payment >> PAYMENT_EPOCH_SHIFT) & MAX_U40
    # Counted still only while the window it was counted in is the live one: the same epoch
    # (the token slot's and the agent's) and before the window's deadline (0 once revoked).
    if ((slot & EPOCH_MASK) >> EPOCH_SHIFT == epoch and (self._config[agent] & EPOCH_MASK) >> EPOCH_SHIFT == epoch
            and block.timestamp < (self._native[agent] >> DEADLINE_SHIFT) & MAX_U40):
        left: uint256 = min((slot & MAX_U104) + amount, self._token_allowance[agent][token])
        refunded = left - (slot & MAX_U104)
        self._token[agent][token] = (slot & ~MAX_U104) | left
    log PaymentCancelled(digest=digest, agent=agent, by=msg.sender, refunded=refunded)


@external
@view
def payment_usable(token: address, digest: bytes32) -> bool:
    """
    @notice Whether the vault accepts this authorization's digest as signed now, when `token`
            asks.
    @param token The 20-byte token the authorization was made for.
    @param digest The 32-byte EIP-712 digest authorize_payment returned.
    @return bool True while it is authorized, not cancelled, before valid_before, and its
            agent could still act (not paused, revoked or expired, the same policy epoch).
            Whether the token has used it already is the token's authorizationState.
    """
    return self._payment_usable(self._payments[token][digest])


@internal
@view
def _payment_usable(payment: uint256) -> bool:
    if payment == 0 or self.paused:
        return False
    if block.timestamp >= (payment >> PAYMENT_VALID_BEFORE_SHIFT) & MAX_U40:
        return False
    agent: address = convert(payment & MAX_U160, address)
    config: uint256 = self._config[agent]
    valid_until: uint256 = (config >> VALID_UNTIL_SHIFT) & MAX_U40
    # The window it was counted in is still open: same epoch, and that window's end not
    # reached. A set_policy inside the window keeps the epoch but may end the window sooner,
    # so the epoch alone would let the payment move funds in a later, uncounted window.
    deadline: uint256 = (self._native[agent] >> DEADLINE_SHIFT) & MAX_U40
    return (config & REVOKED == 0 and (valid_until == 0 or block.timestamp < valid_until)
            and block.timestamp < deadline
            and (config & EPOCH_MASK) >> EPOCH_SHIFT == (payment >> PAYMENT_EPOCH_SHIFT) & MAX_U40)


@internal
@view
def _payment_digest(token: address, to: address, amount: uint256, valid_after: uint256, valid_before: uint256,
                    nonce: bytes32) -> bytes32:
    """The EIP-712 digest the token checks for a transferWithAuthorization from the vault."""
    struct_hash: bytes32 = keccak256(abi_encode(TRANSFER_WITH_AUTHORIZATION_TYPEHASH, self, to, amount,
                                                valid_after, valid_before, nonce))
    return keccak256(concat(x"1901", staticcall EIP3009(token).DOMAIN_SEPARATOR(), struct_hash))


# ------------------------------------------------------------------ internal

@internal
@view
def _only_owner():
    assert msg.sender == self.owner, "guardrail: caller is not the owner"


@internal
def _spend_native(agent: address, to: address, amount: uint256, pays_recipient: bool):
    native: uint256 = self._live_native(agent)
    if pays_recipient and native & RESTRICTED != 0:
        assert self._recipients[agent][to], "guardrail: recipient not allowed"
    assert amount <= (native >> PER_TX_SHIFT) & MAX_U96, "guardrail: over per-tx limit"
    assert amount <= native & MAX_U96, "guardrail: over allowance"
    self._native[agent] = unsafe_sub(native, amount)


@internal
def _spend_token(agent: address, token: address, to: address, amount: uint256):
    native: uint256 = self._live_native(agent)
    if native & RESTRICTED != 0:
        assert self._recipients[agent][to], "guardrail: recipient not allowed"
    slot: uint256 = self._token[agent][token]
    assert slot & TOKEN_SET != 0, "guardrail: no token policy"
    epoch: uint256 = self._config[agent] & EPOCH_MASK
    if slot & EPOCH_MASK != epoch:
        slot = (slot & ~(MAX_U104 | EPOCH_MASK)) | self._token_allowance[agent][token] | epoch
    assert amount <= (slot >> TOKEN_PER_TX_SHIFT) & MAX_U104, "guardrail: over per-tx limit"
    assert amount <= slot & MAX_U104, "guardrail: over allowance"
    self._token[agent][token] = unsafe_sub(slot, amount)


@internal
def _live_native(agent: address) -> uint256:
    """The agent's native slot for the window containing now; reverts unless it may act."""
    assert not self.paused, "guardrail: paused"
    native: uint256 = self._native[agent]
    if block.timestamp < (native >> DEADLINE_SHIFT) & MAX_U40:
        return native
    config: uint256 = self._config[agent]
    assert config != 0, "guardrail: no policy"
    assert config & REVOKED == 0, "guardrail: policy revoked"
    valid_until: uint256 = (config >> VALID_UNTIL_SHIFT) & MAX_U40
    assert valid_until == 0 or block.timestamp < valid_until, "guardrail: policy expired"
    native, config = self._next_window(native, config)
    self._native[agent] = native
    self._config[agent] = config
    return native


@internal
@view
def _window_now(agent: address) -> (bool, uint256, uint256):
    """(live, native slot, config slot) as the agent's next action would find them, unwritten."""
    native: uint256 = self._native[agent]
    config: uint256 = self._config[agent]
    if block.timestamp < (native >> DEADLINE_SHIFT) & MAX_U40:
        return True, native, config
    valid_until: uint256 = (config >> VALID_UNTIL_SHIFT) & MAX_U40
    if config == 0 or config & REVOKED != 0 or (valid_until != 0 and block.timestamp >= valid_until):
        return False, native, config
    native, config = self._next_window(native, config)
    return True, native, config


@internal
@view
def _next_window(native: uint256, config: uint256) -> (uint256, uint256):
    """Both slots once the window containing now is opened: full allowance, next epoch."""
    valid_until: uint256 = (config >> VALID_UNTIL_SHIFT) & MAX_U40
    deadline: uint256 = self._deadline(self._window_end(config), valid_until)
    native = ((native & ((MAX_U96 << PER_TX_SHIFT) | RESTRICTED)) | (config & MAX_U96)
              | (deadline << DEADLINE_SHIFT))
    return native, (config & ~EPOCH_MASK) | self._next_epoch(config)


@internal
@pure
def _next_epoch(config: uint256) -> uint256:
    epoch: uint256 = config & EPOCH_MASK
    assert epoch != EPOCH_MASK, "guardrail: window counter exhausted"
    return epoch + (1 << EPOCH_SHIFT)


@internal
@view
def _window_end(config: uint256) -> uint256:
    start: uint256 = (config >> START_SHIFT) & MAX_U40
    period: uint256 = (config >> PERIOD_SHIFT) & MAX_U32
    return start + ((block.timestamp - start) // period + 1) * period


@internal
@pure
def _deadline(window_end: uint256, valid_until: uint256) -> uint256:
    if valid_until != 0 and valid_until < window_end:
        return valid_until
    return window_end


@internal
@view
def _call_allowed(agent: address, target: address, selector: bytes4) -> bool:
    return self._calls[agent][target][selector] and not self._policed_token[target]


@internal
def _send_value(to: address, amount: uint256):
    """Native transfer forwarding all gas (no 2300 stipend), without calldata."""
    assert self.balance >= amount, "guardrail: vault balance too low"
    assert raw_call(to, b"", value=amount, revert_on_failure=False), "guardrail: native transfer failed"


@internal
def _transfer_token(token: address, to: address, amount: uint256):
    """ERC-20 transfer that takes tokens returning nothing (USDT) and fails on `false`."""
    ok: bool = False
    response: Bytes[32] = b""
    ok, response = raw_call(token, abi_encode(to, amount, method_id=TRANSFER),
                            max_outsize=32, revert_on_failure=False)
    if len(response) == 0:
        assert ok and token.is_contract, "guardrail: token transfer failed"
    else:
        assert ok and len(response) == 32 and convert(response, uint256) == 1, "guardrail: token transfer failed"
