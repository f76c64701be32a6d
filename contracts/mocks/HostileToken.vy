# pragma version 0.4.3
# pragma evm-version cancun
"""
@title HostileToken
@license Apache-2.0
@notice Test only. An ERC-20 whose transfer first calls back into the vault with the calldata
        it was armed with (keeping whether that worked), then transfers as usual.
"""

balanceOf: public(HashMap[address, uint256])
vault: public(address)
attack: public(Bytes[1024])
attempts: public(uint256)
reentered: public(bool)


@external
def mint(receiver: address, amount: uint256):
    self.balanceOf[receiver] += amount


@external
def arm(vault: address, attack: Bytes[1024]):
    self.vault = vault
    self.attack = attack


@external
def act(data: Bytes[1024]):
    """Call the vault as this contract (for instance as an agent)."""
    raw_call(self.vault, data)


@external
def transfer(receiver: address, amount: uint256) -> bool:
    if len(self.attack) > 0:
        self.attempts += 1
        self.reentered = raw_call(self.vault, self.attack, revert_on_failure=False)
    self.balanceOf[msg.sender] -= amount
    self.balanceOf[receiver] += amount
    return True
