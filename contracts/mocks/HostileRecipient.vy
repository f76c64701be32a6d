# pragma version 0.4.3
# pragma evm-version cancun
"""
@title HostileRecipient
@license Apache-2.0
@notice Test only. A contract that, when paid or poked, calls back into the vault with the
        calldata it was armed with and keeps what happened. Give it a policy of its own to act
        as a malicious agent. It can also refuse payments.
"""

vault: public(address)
attack: public(Bytes[1024])
attempts: public(uint256)
reentered: public(bool)
result: public(Bytes[256])
received: public(uint256)
calldata_size: public(uint256)
refuse: public(bool)


@external
def arm(vault: address, attack: Bytes[1024]):
    self.vault = vault
    self.attack = attack


@external
def set_refuse(refuse: bool):
    self.refuse = refuse


@external
def act(data: Bytes[1024]):
    """Call the vault as this contract (for instance as an agent)."""
    raw_call(self.vault, data)


@external
@payable
def poke() -> uint256:
    self._strike()
    return 7


@external
@payable
def __default__():
    assert not self.refuse, "refused"
    self.received += msg.value
    self.calldata_size = len(msg.data)
    self._strike()


@internal
def _strike():
    if len(self.attack) == 0:
        return
    self.attempts += 1
    ok: bool = False
    response: Bytes[256] = b""
    ok, response = raw_call(self.vault, self.attack, max_outsize=256, revert_on_failure=False)
    self.reentered = ok
    self.result = response
