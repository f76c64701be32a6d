"""`agentwallet init`: keys, the guardrail deployed and funded, a default policy.

On devnet the chain is ours, so the owner is given test ETH, the vault is funded, the agent
gets gas money, a demo 6-decimal "USDC" is minted to the vault and the ERC-8004 registries
are deployed. On any other network the owner pays for the deployment, the user is told what
to fund, and the network's registries are given by address (ERC-8004's own deployments).

Init can be killed at any step and run again: it goes on where it stopped (setup_progress.py
records that it is under way and where its deployments will be), and each step is skipped when
the chain shows it done. A home whose config was lost but whose owner key already deployed a
vault gets that vault back, never a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from agentwallet import config as config_module
from agentwallet.actions.journal import Journal
from agentwallet.actions.setup_progress import Deployment, SetupProgress
from agentwallet.chain import deployments, tokens, transactions
from agentwallet.chain.deployment_block import deployment_block
from agentwallet.chain.devnet import Devnet
from agentwallet.chain.guardrail import Guardrail
from agentwallet.chain.networks import chain_name
from agentwallet.chain.node import connect
from agentwallet.chain.registries import IdentityRegistry, ReputationRegistry
from agentwallet.config import DEVNET, DEVNET_CHAIN_ID, Config, TokenEntry
from agentwallet.errors import WalletError
from agentwallet.keys import KeyStore
from agentwallet.private_files import private_dir
from agentwallet.units import ETH_DECIMALS, format_amount

ETH = 10**18
DEVNET_OWNER_FUNDS = 1_000 * ETH
DEVNET_VAULT_FUNDS = 10 * ETH
DEVNET_AGENT_GAS = 1 * ETH
DEMO_TOKEN_SYMBOL = "USDC"
DEMO_TOKEN_DECIMALS = 6
DEMO_TOKEN_MINT = 1_000 * 10**DEMO_TOKEN_DECIMALS
# On devnet, three people to pay from the first request: anvil's public test accounts 1 to 3
# (its accounts are derived from a published mnemonic; nothing on devnet is worth anything).
DEVNET_CONTACTS = {
    "alice": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "bob": "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "carol": "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
}
DEFAULT_PER_TX = ETH // 10
DEFAULT_ALLOWANCE = ETH // 2
DEFAULT_PERIOD = 86_400
# Fees on a real network: set_policy's gas with room to spare, and what the agent's gas money is
# sized for (a payment and, for a denial or a failure, its log: about 70,000 gas each).
SET_POLICY_GAS = 120_000
AGENT_ACTION_GAS = 100_000
AGENT_ACTIONS_FUNDED = 20
DEFAULT_TOKEN_PER_TX = 50 * 10**DEMO_TOKEN_DECIMALS
DEFAULT_TOKEN_ALLOWANCE = 100 * 10**DEMO_TOKEN_DECIMALS


@dataclass(frozen=True)
class InitResult:
    config: Config
    to_fund: list[str]  # what the user still has to do, in words (other networks)
    notes: list[str] = field(default_factory=list)  # what init found: a vault taken back, a set-up resumed


Progress = Callable[[str], None]


@dataclass(frozen=True)
class Registries:
    """The ERC-8004 registries `init --identity-registry … --reputation-registry …` names."""
    identity: str
    reputation: str


def initialize(home: Path, network: str = DEVNET, import_keystore: Path | None = None,
               progress: Progress = lambda _: None, keys: KeyStore | None = None,
               prompt: Callable[[str], str] | None = None, registries: Registries | None = None) -> InitResult:
    """`prompt` asks for a new keystore passphrase where one is needed (the TUI's dialog);
    `keys` is for tests, which use a light scrypt."""
    if registries is not None and network == DEVNET:
        raise WalletError("on devnet init deploys the agent registries itself: "
                          "--identity-registry and --reputation-registry are for other networks")
    private_dir(home)  # init.json is written into it before anything else is
    config = config_module.load_config(home)
    keys = keys or KeyStore(home, prompt=prompt)
    under_way = SetupProgress.load(home)
    notes: list[str] = []
    if under_way is not None:
        if under_way.network != network:
            resume = "agentwallet init" + ("" if under_way.network == DEVNET else " --network URL")
            shown = config_module.shown_network(under_way.network)
            raise WalletError(f"a set-up on {shown} was interrupted: finish it first with `{resume}`, "
                              "URL being the one it was started with")
        notes.append("a set-up was interrupted here: went on where it stopped")
    w3 = _connect(home, network, progress)
    if registries is not None:
        _check_registries(w3, registries)
        config = config_module.update_config(home, lambda config: replace(
            config, identity_registry=registries.identity, reputation_registry=registries.reputation))
    if under_way is None and config.guardrail and keys.has("owner"):
        configured = w3 if config.network == network else _connect(home, config.network, progress)
        if Guardrail(configured, config.guardrail).is_vault_of(keys.address("owner")):
            raise WalletError(f"already set up (guardrail {config.guardrail}); "
                              "use another AGENTWALLET_HOME for a second wallet")
        notes.append(f"the vault {config.guardrail} in the config is not on this chain (was the devnet state "
                     "deleted?): set up a new one")
        config = replace(config, guardrail=None)
    elif under_way is None and keys.has("owner") and keys.has("agent"):
        if found := _vaults_of(w3, keys.address("owner"), home):
            return _take_back(home, w3, network, keys, found, progress)
    under_way = under_way or SetupProgress.begin(home, network)

    if not keys.has("owner"):
        if import_keystore is not None:
            progress("importing the owner keystore")
            keys.import_keystore("owner", import_keystore)
        else:
            progress("making the owner key")
            keys.create("owner")
    if not keys.has("agent"):
        progress("making the agent key")
        keys.create("agent")
    owner_address, agent_address = keys.address("owner"), keys.address("agent")
    owner = keys.account("owner")

    if network == DEVNET:
        w3.provider.make_request("anvil_setBalance", [owner_address, hex(DEVNET_OWNER_FUNDS)])
    elif _guardrail_to_deploy(w3, owner_address, under_way, config.guardrail):
        _state_the_fee(w3, owner_address, progress)

    guardrail, under_way = _deployed_guardrail(w3, owner, under_way, config.guardrail, progress)
    deployed_at = _deployment_block(w3, guardrail.address)
    config = config_module.update_config(home, lambda config: replace(
        config, network=network, chain_id=w3.eth.chain_id, guardrail=guardrail.address, guardrail_block=deployed_at,
        owner=owner_address, agent=agent_address))
    send = _sender(w3, owner)

    if guardrail.policy(agent_address).start == 0:
        progress("setting the default policy")
        send(guardrail.set_policy(agent_address, DEFAULT_PER_TX, DEFAULT_ALLOWANCE, DEFAULT_PERIOD, 0))
    to_fund: list[str] = []
    if network == DEVNET:
        progress("funding the vault and the agent's gas")
        _top_up(w3, owner, guardrail.address, DEVNET_VAULT_FUNDS)
        _top_up(w3, owner, agent_address, DEVNET_AGENT_GAS)
        token_address = _demo_token(w3, owner, guardrail, agent_address, under_way, send, progress)
        config = config_module.update_config(home, lambda config: _with_demo_contacts(
            config.with_token(TokenEntry(token_address, DEMO_TOKEN_SYMBOL, DEMO_TOKEN_DECIMALS))))
        identity, reputation = _devnet_registries(w3, owner, under_way, config, progress)
        config = config_module.update_config(home, lambda config: replace(
            config, identity_registry=identity, reputation_registry=reputation))
    else:
        per_action_gas = transactions.likely_cost(w3, AGENT_ACTIONS_FUNDED * AGENT_ACTION_GAS)
        gas = (f"about {format_amount(per_action_gas, ETH_DECIMALS)} ETH" if per_action_gas is not None
               else "a little ETH")
        to_fund = [f"send the ETH the agent may spend to the guardrail vault {guardrail.address} "
                   f"(its policy lets the agent move at most {format_amount(DEFAULT_PER_TX, ETH_DECIMALS)} ETH "
                   f"per action and {format_amount(DEFAULT_ALLOWANCE, ETH_DECIMALS)} ETH per day)",
                   f"send {gas} for gas to the agent {agent_address} (enough for about {AGENT_ACTIONS_FUNDED} "
                   f"actions at today's fees on {chain_name(w3.eth.chain_id)})"]
    under_way.finish()
    return InitResult(config, to_fund, notes)


def _guardrail_to_deploy(w3, owner: str, under_way: SetupProgress, configured: str | None) -> bool:
    """Whether this run still has the guardrail to deploy (a resumed one may have it already)."""
    return not any(found is not None and Guardrail(w3, found).is_vault_of(owner)
                   for found in (_deployment(w3, owner, under_way.guardrail), configured))


def _state_the_fee(w3, owner: str, progress: Progress) -> None:
    """On a real network, before the owner signs anything: which chain, what deploying costs in
    fees at today's prices, and whether the owner holds enough (else nothing is sent)."""
    where = chain_name(w3.eth.chain_id)
    gas = Guardrail.deployment_gas(w3, owner) + SET_POLICY_GAS
    likely, most = transactions.likely_cost(w3, gas), transactions.most_it_can_cost(w3, gas)
    held = w3.eth.get_balance(owner)
    if likely is None or most is None:
        raise WalletError(f"the node for {where} cannot say what fees are now: try again, or another RPC URL")

    def eth(wei: int) -> str:
        return f"{format_amount(wei, ETH_DECIMALS)} ETH"

    if held < most:
        raise WalletError(f"the owner {owner} holds {eth(held)} on {where}; deploying the guardrail and setting "
                          f"the agent's policy costs about {eth(likely)} in fees (up to {eth(most)} at today's "
                          f"fees): send it at least {eth(most - held)}, then run init again")
    progress(f"deploying on {where}: about {eth(likely)} in fees (up to {eth(most)}), "
             f"paid by the owner {owner}, which holds {eth(held)}")


def _connect(home: Path, network: str, progress: Progress):
    if network == DEVNET:
        progress("starting the devnet")
        return connect(Devnet(home).start().rpc_url, DEVNET_CHAIN_ID)
    return connect(network)


def _deployed_guardrail(w3, owner, under_way: SetupProgress, configured: str | None,
                        progress: Progress) -> tuple[Guardrail, SetupProgress]:
    """The vault this set-up deployed before it was interrupted, or a new one."""
    for found in (_deployment(w3, owner.address, under_way.guardrail), configured):
        if found is not None and Guardrail(w3, found).is_vault_of(owner.address):
            return Guardrail(w3, found), under_way
    progress("deploying the guardrail")
    under_way = under_way.expecting("guardrail", _next_deployment(w3, owner.address))
    return Guardrail.deploy(w3, owner), under_way


def _demo_token(w3, owner, guardrail: Guardrail, agent: str, under_way: SetupProgress, send, progress: Progress) -> str:
    """The demo USDC, deployed, minted to the vault and under a token policy: each step skipped
    when the chain shows it done."""
    address = _deployment(w3, owner.address, under_way.token)
    if address is None:
        progress("deploying the demo USDC token")
        under_way = under_way.expecting("token", _next_deployment(w3, owner.address))
        address = tokens.deploy_demo_token(w3, owner, DEMO_TOKEN_SYMBOL, DEMO_TOKEN_DECIMALS)
    held = tokens.balance_of(w3, address, guardrail.address)
    if held < DEMO_TOKEN_MINT:
        progress("minting demo USDC to the vault")
        send(tokens.demo_token(w3, address).functions.mint(guardrail.address, DEMO_TOKEN_MINT - held))
    if guardrail.token_policy(agent, address).allowance == 0:
        send(guardrail.set_token_policy(agent, address, DEFAULT_TOKEN_PER_TX, DEFAULT_TOKEN_ALLOWANCE))
    return address


def _devnet_registries(w3, owner, under_way: SetupProgress, config: Config, progress: Progress) -> tuple[str, str]:
    """The ERC-8004 identity and reputation registries of this devnet: deployed by the owner,
    each found again when an earlier run deployed it."""
    identity = _deployment(w3, owner.address, under_way.identity) or _configured(w3, config.identity_registry)
    if identity is None:
        progress("deploying the agent registries (ERC-8004)")
        under_way = under_way.expecting("identity", _next_deployment(w3, owner.address))
        identity = IdentityRegistry.deploy(w3, owner).address
    reputation = _deployment(w3, owner.address, under_way.reputation) or _configured(w3, config.reputation_registry)
    if reputation is None or ReputationRegistry(w3, reputation).identity_registry() != identity:
        under_way = under_way.expecting("reputation", _next_deployment(w3, owner.address))
        reputation = ReputationRegistry.deploy(w3, owner, identity).address
    return identity, reputation


def deploy_devnet_registries(home: Path, w3, owner, progress: Progress = lambda _: None) -> Config:
    """`agents deploy`: the registries for a devnet wallet set up before init deployed them."""
    config = config_module.load_config(home)
    if not config.is_devnet:
        raise WalletError("`agents deploy` is for devnet: elsewhere use the network's ERC-8004 registries, "
                          "`agentwallet init --identity-registry ADDRESS --reputation-registry ADDRESS`")
    if SetupProgress.load(home) is not None:
        raise WalletError("the set-up was interrupted: run `agentwallet init` to finish it")
    under_way = SetupProgress.begin(home, DEVNET)
    identity, reputation = _devnet_registries(w3, owner, under_way, config, progress)
    config = config_module.update_config(home, lambda config: replace(
        config, identity_registry=identity, reputation_registry=reputation))
    under_way.finish()
    return config


def _configured(w3, address: str | None) -> str | None:
    return address if address is not None and w3.eth.get_code(address) else None


def _check_registries(w3, registries: Registries) -> None:
    if not IdentityRegistry(w3, registries.identity).is_registry():
        raise WalletError(f"no ERC-8004 identity registry at {registries.identity} on this network")
    rates = ReputationRegistry(w3, registries.reputation).identity_registry()
    if rates != registries.identity:
        raise WalletError(f"{registries.reputation} is not the reputation registry of the identity registry "
                          f"{registries.identity}" + (f" (it rates {rates}'s agents)" if rates else ""))


def _deployment_block(w3, vault: str) -> int | None:
    """Where the vault's history starts (chain.deployment_block), kept in the config for it."""
    return deployment_block(w3.provider.rpc, vault, w3.eth.block_number)


def _next_deployment(w3, owner: str) -> Deployment:
    nonce = w3.eth.get_transaction_count(owner, "pending")
    return Deployment(deployments.create_address(owner, nonce), nonce)


def _deployment(w3, owner: str, expected: Deployment | None) -> str | None:
    """The contract of a deployment recorded before it was sent, if it was mined; None if it
    never was. One still waiting to be mined is an error: sending another would make two."""
    if expected is None:
        return None
    if w3.eth.get_code(expected.address):
        return expected.address
    mined, sent = (w3.eth.get_transaction_count(owner, block) for block in ("latest", "pending"))
    if mined <= expected.nonce < sent:
        raise WalletError(f"a deployment to {expected.address} is still waiting to be mined: "
                          "run `agentwallet init` again once it is")
    return None


def _vaults_of(w3, owner: str, home: Path) -> list[str]:
    """Vaults `owner` owns on this chain that the journal names or the owner's key deployed,
    the journal's first (that is the one with this wallet's history)."""
    named: list[str] = []
    journal_path = home / "journal.sqlite3"
    if journal_path.exists():
        journal = Journal(journal_path)
        try:
            named = journal.guardrails()
        finally:
            journal.close()
    candidates = dict.fromkeys([*named, *deployments.contracts_created_by(w3, owner)])
    return [address for address in candidates if Guardrail(w3, address).is_vault_of(owner)]


def _take_back(home: Path, w3, network: str, keys: KeyStore, vaults: list[str], progress: Progress) -> InitResult:
    """The config written again for a vault the owner key deployed before its config was lost:
    its addresses, the tokens the owner deployed that the agent has a policy for, and on devnet
    the demo contacts (other contacts were only in the lost config)."""
    progress("found this owner key's vault on chain")
    owner, agent = keys.address("owner"), keys.address("agent")
    guardrail = Guardrail(w3, vaults[0])
    known = []
    for address in deployments.contracts_created_by(w3, owner):
        if address in vaults or guardrail.token_policy(agent, address).allowance == 0:
            continue
        try:
            info = tokens.token_info(w3, address)
        except WalletError:
            continue
        known.append(TokenEntry(info.address, info.symbol, info.decimals))

    registries = _registries_deployed_by(w3, owner) if network == DEVNET else {}

    deployed_at = _deployment_block(w3, guardrail.address)

    def restored(config: Config) -> Config:
        config = replace(config, network=network, chain_id=w3.eth.chain_id, guardrail=guardrail.address,
                         guardrail_block=deployed_at, owner=owner, agent=agent, **registries)
        for token in known:
            config = config.with_token(token)
        return _with_demo_contacts(config) if network == DEVNET else config

    config = config_module.update_config(home, restored)
    held = format_amount(guardrail.balance(), ETH_DECIMALS)
    notes = [f"found the vault {guardrail.address} this owner key deployed ({held} ETH in it): "
             "using it again rather than deploying a second one"]
    notes += [f"the owner key also deployed the vault {other}; it is not used" for other in vaults[1:]]
    return InitResult(config, [], notes)


def _registries_deployed_by(w3, owner: str) -> dict[str, str]:
    """The devnet registries the owner key deployed, as config values (none if it deployed none)."""
    created = deployments.contracts_created_by(w3, owner)
    for identity in (address for address in created if IdentityRegistry(w3, address).is_registry()):
        for reputation in created:
            if ReputationRegistry(w3, reputation).identity_registry() == identity:
                return {"identity_registry": identity, "reputation_registry": reputation}
    return {}


def _with_demo_contacts(config: Config) -> Config:
    for name, address in DEVNET_CONTACTS.items():
        if name not in config.contacts and address not in config.contacts.values():
            config = config.with_new_contact(name, address)
    return config


def _sender(w3, owner):
    def send(call, value: int = 0) -> None:
        signed = transactions.sign(w3, owner, call, call.estimate_gas({"from": owner.address, "value": value}), value)
        transactions.broadcast(w3, signed.raw)
        if not transactions.wait(w3, signed.tx_hash).ok:
            raise WalletError("a set-up transaction reverted")
    return send


def _top_up(w3, account, to: str, value: int) -> None:
    """Send `to` what it lacks of `value` (nothing, when an earlier run of init sent it)."""
    missing = value - w3.eth.get_balance(to)
    if missing <= 0:
        return
    tx = {"to": to, "value": missing, "nonce": w3.eth.get_transaction_count(account.address, "pending"),
          "chainId": w3.eth.chain_id, "maxFeePerGas": w3.eth.gas_price * 2, "maxPriorityFeePerGas": 0}
    tx["gas"] = w3.eth.estimate_gas({"from": account.address, "to": to, "value": missing})
    signed = account.sign_transaction(tx)
    transactions.broadcast(w3, bytes(signed.raw_transaction))
    if not transactions.wait(w3, w3.to_hex(signed.hash)).ok:
        raise WalletError(f"could not send ETH to {to}")
