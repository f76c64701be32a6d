# pragma version 0.4.3
# pragma evm-version cancun
"""
@title DemoToken
@license Apache-2.0
@notice A plain ERC-20 with the decimals of your choice, minted by its deployer. The devnet
        deploys it as a 6-decimal "USDC". Not for value: the owner mints at will.
"""

from ethereum.ercs import IERC20
from ethereum.ercs import IERC20Detailed

implements: IERC20
implements: IERC20Detailed


event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256


name: public(String[64])
symbol: public(String[32])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
owner: public(address)


@deploy
def __init__(name_: String[64], symbol_: String[32], decimals_: uint8):
    """
    @notice The deployer becomes the owner, the only one who can mint.
    @param name_ The token's name, at most 64 characters.
    @param symbol_ The token's symbol, at most 32 characters.
    @param decimals_ The decimal places amounts are written with (6 for the devnet's USDC).
    """
    self.name = name_
    self.symbol = symbol_
    self.decimals = decimals_
    self.owner = msg.sender


@external
def transfer(receiver: address, amount: uint256) -> bool:
    """
    @notice Move `amount` of the caller's tokens to `receiver`.
    @param receiver The 20-byte receiver address; never the zero address.
    @param amount The 32-byte amount in base units, at most the caller's balance.
    @return bool Always True: a transfer that cannot happen reverts.
    """
    self._transfer(msg.sender, receiver, amount)
    return True


@external
def transferFrom(sender: address, receiver: address, amount: uint256) -> bool:
    """
    @notice Move `amount` of `sender`'s tokens to `receiver`, spending the allowance `sender`
            gave the caller. An allowance of max_value(uint256) never runs down.
    @param sender The 20-byte address the tokens leave.
    @param receiver The 20-byte receiver address; never the zero address.
    @param amount The 32-byte amount in base units.
    @return bool Always True: a transfer that cannot happen reverts.
    """
    allowed: uint256 = self.allowance[sender][msg.sender]
    if allowed != max_value(uint256):
        assert allowed >= amount, "demo token: allowance exceeded"
        self.allowance[sender][msg.sender] = allowed - amount
    self._transfer(sender, receiver, amount)
    return True


@external
def approve(spender: address, amount: uint256) -> bool:
    """
    @notice Let `spender` move up to `amount` of the caller's tokens with transferFrom,
            replacing any earlier allowance.
    @param spender The 20-byte spender address.
    @param amount The 32-byte allowance in base units; max_value(uint256) for no limit.
    @return bool Always True.
    """
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@external
def mint(receiver: address, amount: uint256):
    """
    @notice Create `amount` new tokens for `receiver`. The owner only.
    @param receiver The 20-byte receiver address; never the zero address.
    @param amount The 32-byte amount in base units.
    """
    assert msg.sender == self.owner, "demo token: caller is not the owner"
    assert receiver != empty(address), "demo token: receiver is the zero address"
    self.totalSupply += amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=empty(address), receiver=receiver, value=amount)


@internal
def _transfer(sender: address, receiver: address, amount: uint256):
    assert receiver != empty(address), "demo token: receiver is the zero address"
    balance: uint256 = self.balanceOf[sender]
    assert balance >= amount, "demo token: balance too low"
    self.balanceOf[sender] = balance - amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=sender, receiver=receiver, value=amount)
