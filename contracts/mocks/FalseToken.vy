# pragma version 0.4.3
# pragma evm-version cancun
"""
@title FalseToken
@license Apache-2.0
@notice Test only. An ERC-20 whose transfer answers `answer` as a 32-byte word: 1 moves the
        tokens and reports true; 0 (false) or anything else moves nothing and does not revert.
"""

balanceOf: public(HashMap[address, uint256])
answer: public(uint256)


@deploy
def __init__():
    self.answer = 1


@external
def mint(receiver: address, amount: uint256):
    self.balanceOf[receiver] += amount


@external
def set_answer(answer: uint256):
    self.answer = answer


@external
def transfer(receiver: address, amount: uint256) -> uint256:
    if self.answer == 1:
        self.balanceOf[msg.sender] -= amount
        self.balanceOf[receiver] += amount
    return self.answer
