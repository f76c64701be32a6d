"""The directory's cache (agents/cache.py): a list read again asks the node only for the blocks
after the last one, finds what changed there, and says what an uncached read says; a cache the
chain no longer agrees with is thrown away."""

from __future__ import annotations

import stat

from agentwallet.agents.cache import cache_file
from agentwallet.agents.directory import list_agents
from tests.agents.kit import as_data_uri, card, register, send_as_owner
from tests.conftest import DAVE


class Recorded:
    """The wallet's own RPC, with the block ranges of each eth_getLogs it was asked."""

    def __init__(self, wallet):
        self.wallet = wallet
        self.ranges: list[tuple[int, int]] = []

    def __call__(self, method: str, params: list) -> object:
        if method == "eth_getLogs":
            self.ranges.append((int(params[0]["fromBlock"], 16), int(params[0]["toBlock"], 16)))
        return self.wallet.rpc(method, params)


def listed(wallet, rpc, raters, cache_dir=None):
    return list_agents(wallet.identity, wallet.reputation, rpc, raters, cache_dir=cache_dir)


def someone_elses(wallet, uri: str) -> int:
    agent_id = register(wallet, uri)
    send_as_owner(wallet, wallet.identity.contract.functions.transferFrom(wallet.owner_address, DAVE, agent_id))
    return agent_id


def test_a_list_read_again_asks_only_for_the_blocks_after_and_says_what_an_uncached_one_says(wallet, tmp_path):
    raters = (wallet.owner_address,)
    rated = someone_elses(wallet, as_data_uri(card("translator")))
    send_as_owner(wallet, wallet.reputation.give_feedback(rated, 90))
    renamed = register(wallet, as_data_uri(card("before")))
    rpc = Recorded(wallet)
    first = listed(wallet, rpc, raters, tmp_path)
    cached_at = wallet.w3.eth.block_number
    path = cache_file(tmp_path, wallet.config.chain_id, wallet.identity.address, wallet.reputation.address)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and rpc.ranges[0][0] == 0
    assert [e.reputation.count for e in first if e.agent_id == rated] == [1]

    new = register(wallet, as_data_uri(card("newcomer")))
    send_as_owner(wallet, wallet.identity.set_agent_uri(renamed, as_data_uri(card("after"))))
    send_as_owner(wallet, wallet.identity.contract.functions.transferFrom(wallet.owner_address, DAVE, renamed))
    send_as_owner(wallet, wallet.reputation.give_feedback(rated, 50))
    rpc.ranges.clear()
    again = listed(wallet, rpc, raters, tmp_path)
    assert rpc.ranges and all(start > cached_at for start, _ in rpc.ranges)
    assert again == listed(wallet, wallet.rpc, raters)  # as read with no cache
    by_id = {entry.agent_id: entry for entry in again}
    assert by_id[new].card.name == "newcomer" and by_id[renamed].card.name == "after"
    assert by_id[renamed].owner == DAVE and by_id[renamed].agent_wallet is None
    assert (by_id[rated].reputation.count, by_id[rated].reputation.value) == (2, 70)


def test_a_cache_of_blocks_the_chain_no_longer_has_is_thrown_away(wallet, tmp_path):
    raters = (wallet.owner_address,)
    kept = register(wallet, as_data_uri(card("kept")))
    snapshot = wallet.w3.provider.make_request("evm_snapshot", [])["result"]
    gone = register(wallet, as_data_uri(card("gone")))
    assert [e.agent_id for e in listed(wallet, wallet.rpc, raters, tmp_path)] == [kept, gone]
    assert wallet.w3.provider.make_request("evm_revert", [snapshot])["result"] is True
    other = register(wallet, as_data_uri(card("in its place")))  # the same height, another block
    again = listed(wallet, wallet.rpc, raters, tmp_path)
    assert again == listed(wallet, wallet.rpc, raters)
    assert [(e.agent_id, e.card.name) for e in again] == [(kept, "kept"), (other, "in its place")]


def test_other_raters_read_their_ratings_from_the_start_and_a_broken_cache_is_ignored(wallet, tmp_path):
    rated = someone_elses(wallet, as_data_uri(card("translator")))
    send_as_owner(wallet, wallet.reputation.give_feedback(rated, 80))
    [alone] = listed(wallet, wallet.rpc, (DAVE,), tmp_path)  # DAVE owns it: he never rated it
    assert alone.reputation.count == 0
    [trusted] = listed(wallet, wallet.rpc, (wallet.owner_address,), tmp_path)
    assert (trusted.reputation.count, trusted.reputation.value) == (1, 80)
    path = cache_file(tmp_path, wallet.config.chain_id, wallet.identity.address, wallet.reputation.address)
    path.write_text("{not json")
    assert listed(wallet, wallet.rpc, (wallet.owner_address,), tmp_path) == [trusted]
