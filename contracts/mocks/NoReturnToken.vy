# pragma version 0.4.3
# pragma evm-version cancun
"""
@title NoReturnToken
@license Apache-2.0
@notice Test only. An ERC-20 in the style of USDT: transfer returns no data at all.
"""

balanceOf: public(HashMap[address, uint256])


@external
def mint(receiver: address, amount: uint256):
    self.balanceOf[receiver] += amount


@external
def transfer(receiver: address, amount: uint256):
    self.balanceOf[msg.sender] -= amount
    self.balanceOf[receiver] += amount
