"""The block a contract was deployed in, found from the chain with eth_getCode at past blocks.

History starts there, not at block 0: on a chain with millions of blocks under a 100-block
getLogs cap that is the difference between a handful of queries and tens of thousands. The
search gallops back from the head (a vault deployed recently costs a few calls, and a full
node that keeps only recent state can answer them), then halves the gap that is left.
"""

from __future__ import annotations

from collections.abc import Callable

from agentwallet.chain.rpc import RpcError

Rpc = Callable[[str, list], object]


def deployment_block(rpc: Rpc, address: str, head: int) -> int | None:
    """The first block at which `address` has code, or None when it has none at `head` or the
    node cannot say (it keeps no state that old)."""
    def has_code(block: int) -> bool:
        return rpc("eth_getCode", [address, hex(block)]) not in ("0x", "", None)

    try:
        if not has_code(head):
            return None
        with_code, step = head, 1
        while True:  # gallop: the newest block without code, or the start of the chain
            probe = max(0, with_code - step)
            if not has_code(probe):
                without_code = probe
                break
            with_code = probe
            if probe == 0:
                return 0
            step *= 2
        while with_code - without_code > 1:
            middle = (with_code + without_code) // 2
            if has_code(middle):
                with_code = middle
            else:
                without_code = middle
        return with_code
    except RpcError:  # "missing trie node", "header not found": a node without that history
        return None
