# pragma version 0.4.3
# pragma evm-version cancun
"""
@title CallTarget
@license Apache-2.0
@notice Test only. A contract an agent may be allowed to call: poke keeps who called it with
        what, fail always reverts, approve has a token-moving selector that call() refuses.
"""

last_caller: public(address)
last_value: public(uint256)
last_argument: public(uint256)


@external
@payable
def poke(argument: uint256) -> uint256:
    self.last_caller = msg.sender
    self.last_value = msg.value
    self.last_argument = argument
    return argument + 1


@external
@payable
def fail():
    raise "target says no"


@external
def approve(spender: address, amount: uint256) -> bool:
    return True
