"""The owner and agent keys: OS keyring where one exists, encrypted keystore files where not."""

from __future__ import annotations

import json
import logging
import re
import stat
import traceback
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.errors
import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import to_checksum_address
from keyring.backend import KeyringBackend

from agentwallet.errors import WalletError
from agentwallet.keys import KeyStore

PASSPHRASE = "correct horse battery staple"
LIGHT_SCRYPT = 2**10  # tests only: the production default is scrypt n=2**18


class InMemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps its secrets in a dict."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


class KeyringThatEchoesSecrets(InMemoryKeyring):
    """A badly behaved backend whose errors quote the secret it was given."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(f"cannot store {password} for {username}")


@pytest.fixture(autouse=True)
def keystore_files(monkeypatch):
    monkeypatch.setenv("AGENTWALLET_KEYRING", "file")
    monkeypatch.setenv("AGENTWALLET_PASSPHRASE", PASSPHRASE)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def store_at(home: Path, **kwargs) -> KeyStore:
    return KeyStore(home, kdf_iterations=LIGHT_SCRYPT, **kwargs)


def use_keyring(monkeypatch, backend: KeyringBackend):
    monkeypatch.delenv("AGENTWALLET_KEYRING")
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    return previous


@pytest.fixture
def os_keyring(monkeypatch):
    memory = InMemoryKeyring()
    previous = use_keyring(monkeypatch, memory)
    yield memory
    keyring.set_keyring(previous)


class Answers:
    """Stands in for the passphrase prompt; records how often it was asked."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, label: str) -> str:
        self.asked.append(label)
        return self.answers.pop(0)


def write_foreign_keystore(path: Path, passphrase: str):
    account = Account.create()
    path.write_text(json.dumps(Account.encrypt(account.key, passphrase, kdf="scrypt", iterations=LIGHT_SCRYPT)))
    return account


# keystore files: the fallback


def test_created_key_signs_for_its_checksummed_address(home):
    store = store_at(home)
    address = store.create("owner")

    assert address == to_checksum_address(address)
    assert store.has("owner")
    assert store.address("owner") == address
    account = store.account("owner")
    signed = account.sign_message(encode_defunct(text="hello"))
    assert Account.recover_message(encode_defunct(text="hello"), signature=signed.signature) == address


def test_roles_are_separate_keys(home):
    store = store_at(home)
    owner = store.create("owner")

    assert not store.has("agent")
    agent = store.create("agent")
    assert agent != owner
    assert store.account("agent").address == agent


def test_keys_survive_a_new_keystore_and_unlock_from_disk(home):
    first = store_at(home)
    owner, agent = first.create("owner"), first.create("agent")
    first.lock()

    second = store_at(home)
    assert second.address("owner") == owner
    assert second.account("owner").address == owner
    assert second.account("agent").address == agent


def test_create_refuses_to_overwrite_an_existing_key(home):
    store = store_at(home)
    address = store.create("owner")
    before = (home / "keys" / "owner.json").read_bytes()

    with pytest.raises(WalletError, match=f"an owner key already exists \\({address}\\)"):
        store.create("owner")
    assert (home / "keys" / "owner.json").read_bytes() == before


def test_wrong_passphrase_is_a_clean_wallet_error(home, monkeypatch):
    store = store_at(home)
    store.create("owner")
    store.lock()
    monkeypatch.setenv("AGENTWALLET_PASSPHRASE", "not it")

    wrong = "wrong passphrase for the owner keystore .*check AGENTWALLET_PASSPHRASE"
    with pytest.raises(WalletError, match=wrong) as caught:
        store_at(home).account("owner")
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_address_needs_no_passphrase(home, monkeypatch):
    address = store_at(home).create("owner")
    store_at(home).lock()
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")

    assert store_at(home).address("owner") == address


def test_unlock_without_passphrase_or_terminal_says_how_to_give_one(home, monkeypatch):
    store_at(home).create("owner")
    store_at(home).lock()
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")

    with pytest.raises(WalletError, match="^no passphrase: set AGENTWALLET_PASSPHRASE or run in a terminal$"):
        store_at(home).account("owner")


def test_create_without_passphrase_or_terminal_writes_nothing(home, monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")

    with pytest.raises(WalletError, match="^no passphrase: set AGENTWALLET_PASSPHRASE or run in a terminal$"):
        store_at(home).create("owner")
    assert not store_at(home).has("owner")


def test_create_asks_for_the_passphrase_twice_and_rejects_a_mismatch(home, monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    answers = Answers("one passphrase", "another")

    with pytest.raises(WalletError, match="the passphrases do not match"):
        store_at(home, prompt=answers).create("owner")
    assert len(answers.asked) == 2
    assert not (home / "keys" / "owner.json").exists()


def test_one_typed_passphrase_serves_both_keys_of_a_wallet(home, monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    creating = Answers("typed passphrase", "typed passphrase")
    store = store_at(home, prompt=creating)
    owner, agent = store.create("owner"), store.create("agent")
    assert len(creating.asked) == 2
    store.lock()

    unlocking = Answers("typed passphrase")
    later = store_at(home, prompt=unlocking)
    assert later.account("owner").address == owner
    assert later.account("agent").address == agent
    assert len(unlocking.asked) == 1


def test_a_key_with_its_own_passphrase_is_asked_for_separately(home, monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    owner = store_at(home, prompt=Answers("owner words", "owner words")).create("owner")
    store_at(home).lock()
    agent = store_at(home, prompt=Answers("agent words", "agent words")).create("agent")
    store_at(home).lock()

    answers = Answers("owner words", "agent words")
    store = store_at(home, prompt=answers)
    assert store.account("owner").address == owner
    assert store.account("agent").address == agent
    assert len(answers.asked) == 2


def test_terminal_users_are_prompted_with_getpass(home, monkeypatch):
    monkeypatch.delenv("AGENTWALLET_PASSPHRASE")
    answers = Answers("typed at the terminal", "typed at the terminal")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", answers)

    address = store_at(home).create("owner")
    assert answers.asked == ["New passphrase for the wallet's keys: ", "Repeat the passphrase: "]
    store_at(home).lock()
    monkeypatch.setenv("AGENTWALLET_PASSPHRASE", "typed at the terminal")
    assert store_at(home).account("owner").address == address


def test_unlocked_key_is_cached_for_the_process(home, monkeypatch):
    store = store_at(home)
    address = store.create("owner")
    store.lock()
    account = store_at(home).account("owner")
    monkeypatch.setenv("AGENTWALLET_PASSPHRASE", "no longer needed")

    assert store_at(home).account("owner") is account
    assert account.address == address


def test_missing_key_tells_the_user_to_run_init(home):
    store = store_at(home)

    with pytest.raises(WalletError, match="^no owner key: run `agentwallet init`$"):
        store.address("owner")
    with pytest.raises(WalletError, match="^no agent key: run `agentwallet init`$"):
        store.account("agent")


@pytest.mark.parametrize("content", ["not json at all", '{"version": 3}', "[]"])
def test_corrupt_keystore_is_reported_with_its_path(home, content):
    (home / "keys").mkdir(parents=True)
    path = home / "keys" / "owner.json"
    path.write_text(content)

    with pytest.raises(WalletError, match="is corrupt") as caught:
        store_at(home).account("owner")
    assert str(path) in str(caught.value)


def test_keystore_files_are_private_to_the_user(home, tmp_path):
    store = store_at(home)
    store.create("owner")
    exported = store.export_keystore("owner", tmp_path / "backup.json", "export passphrase")

    assert stat.S_IMODE((home / "keys").stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "keys" / "owner.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600


def test_keystores_use_scrypt_at_geth_strength_by_default(home):
    KeyStore(home).create("owner")

    crypto = json.loads((home / "keys" / "owner.json").read_text())["crypto"]
    assert crypto["kdf"] == "scrypt"
    assert crypto["kdfparams"]["n"] == 2**18


# import and export


def test_import_takes_a_keystore_made_by_eth_account(home, tmp_path):
    foreign = write_foreign_keystore(tmp_path / "foreign.json", "foreign passphrase")
    store = store_at(home)

    assert store.import_keystore("owner", tmp_path / "foreign.json", "foreign passphrase") == foreign.address
    store.lock()
    assert store_at(home).account("owner").key == foreign.key  # kept under the wallet passphrase


def test_import_with_a_wrong_passphrase_stores_nothing(home, tmp_path):
    write_foreign_keystore(tmp_path / "foreign.json", "foreign passphrase")
    store = store_at(home)

    with pytest.raises(WalletError, match="wrong passphrase for the keystore .*foreign.json") as caught:
        store.import_keystore("owner", tmp_path / "foreign.json", "guess")
    assert caught.value.__context__ is None
    assert not store.has("owner")


def test_import_refuses_to_replace_an_existing_key(home, tmp_path):
    write_foreign_keystore(tmp_path / "foreign.json", "foreign passphrase")
    store = store_at(home)
    address = store.create("owner")

    with pytest.raises(WalletError, match="already exists"):
        store.import_keystore("owner", tmp_path / "foreign.json", "foreign passphrase")
    assert store.address("owner") == address


def test_import_of_a_missing_file_names_it(home, tmp_path):
    with pytest.raises(WalletError, match="does not exist") as caught:
        store_at(home).import_keystore("owner", tmp_path / "nowhere.json", "x")
    assert "nowhere.json" in str(caught.value)


def test_owner_and_agent_keys_must_differ(home, tmp_path):
    write_foreign_keystore(tmp_path / "foreign.json", "foreign passphrase")
    store = store_at(home)
    store.import_keystore("owner", tmp_path / "foreign.json", "foreign passphrase")

    with pytest.raises(WalletError, match="the owner and agent keys must differ"):
        store.import_keystore("agent", tmp_path / "foreign.json", "foreign passphrase")
    assert not store.has("agent")


def test_export_then_import_elsewhere_gives_the_same_key(home, tmp_path):
    store = store_at(home)
    address = store.create("agent")
    exported = store.export_keystore("agent", tmp_path / "agent-backup.json", "backup passphrase")

    assert Account.from_key(Account.decrypt(exported.read_text(), "backup passphrase")).address == address
    elsewhere = store_at(tmp_path / "other-home")
    assert elsewhere.import_keystore("agent", exported, "backup passphrase") == address


def test_export_refuses_to_overwrite_a_file(home, tmp_path):
    store = store_at(home)
    store.create("owner")
    dest = tmp_path / "taken.json"
    dest.write_text("precious")

    with pytest.raises(WalletError, match="already exists"):
        store.export_keystore("owner", dest, "export passphrase")
    assert dest.read_text() == "precious"


# backend choice


def test_fallback_to_keystore_files_is_announced_where_no_os_keyring_exists(home, monkeypatch):
    previous = use_keyring(monkeypatch, keyring.backends.fail.Keyring())
    try:
        store = store_at(home)
    finally:
        keyring.set_keyring(previous)

    assert store.backend == "keystore-file"
    assert store.notice.startswith("no OS keyring backend here: keys are kept in encrypted keystore files under ")
    assert str(home / "keys") in store.notice


def test_forcing_keystore_files_needs_no_announcement(home):
    store = store_at(home)

    assert store.backend == "keystore-file"
    assert store.notice is None


def test_an_unknown_keyring_setting_is_rejected(home, monkeypatch):
    monkeypatch.setenv("AGENTWALLET_KEYRING", "vault")

    with pytest.raises(WalletError, match="AGENTWALLET_KEYRING='vault' is not understood"):
        store_at(home)


# the OS keyring


def test_os_keyring_holds_the_key_and_a_public_file_the_address(home, os_keyring):
    store = store_at(home)
    address = store.create("owner")

    assert store.backend.startswith("os-keyring (") and store.notice is None
    [(service, username)] = os_keyring.secrets
    assert service == "agentwallet" and username.endswith(":owner")
    assert not (home / "keys" / "owner.json").exists()
    assert json.loads((home / "keys" / "owner.public.json").read_text())["address"] == address
    store.lock()
    again = store_at(home)
    assert again.address("owner") == address
    assert again.account("owner").address == address


def test_data_dirs_keep_separate_keyring_entries(tmp_path, os_keyring):
    first = store_at(tmp_path / "first").create("owner")
    second = store_at(tmp_path / "second").create("owner")

    assert first != second
    assert len(os_keyring.secrets) == 2


def test_a_lost_address_file_is_restored_from_the_os_keyring_and_the_key_kept(home, os_keyring):
    store = store_at(home)
    address = store.create("owner")
    secrets = dict(os_keyring.secrets)
    (home / "keys" / "owner.public.json").unlink()

    with pytest.raises(WalletError, match=f"already exists in the OS keyring \\({address}\\).*restored"):
        store.create("owner")
    assert os_keyring.secrets == secrets
    assert store.address("owner") == address


def test_key_gone_from_the_os_keyring_is_reported(home, os_keyring):
    store = store_at(home)
    address = store.create("owner")
    store.lock()
    os_keyring.secrets.clear()

    with pytest.raises(WalletError, match=f"the owner key \\({address}\\) is missing from the OS keyring"):
        store_at(home).account("owner")


def test_keyring_failures_never_echo_the_private_key(home, monkeypatch):
    previous = use_keyring(monkeypatch, KeyringThatEchoesSecrets())
    try:
        store = store_at(home)
        with pytest.raises(WalletError, match="could not store the owner key: cannot store <private key>") as caught:
            store.create("owner")
    finally:
        keyring.set_keyring(previous)
    assert not re.search("[0-9a-f]{64}", str(caught.value), re.IGNORECASE)
    assert not store.has("owner")


# secrecy


def leaks(text: str, key_hex: str) -> bool:
    return key_hex.lower() in text.lower()


def chain_text(error: BaseException) -> str:
    parts, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        parts += [str(error), repr(error), *map(str, error.args)]
        error = error.__cause__ or error.__context__
    return "\n".join(parts)


@pytest.mark.parametrize("backend", ["keystore-file", "os-keyring"])
def test_private_key_never_appears_in_messages_reprs_files_or_output(backend, home, tmp_path, monkeypatch, capsys,
                                                                     caplog):
    caplog.set_level(logging.DEBUG)
    memory = InMemoryKeyring()
    previous = use_keyring(monkeypatch, memory) if backend == "os-keyring" else None
    try:
        store = store_at(home)
        store.create("owner")
        account = store.account("owner")
        key_hex = bytes(account.key).hex()  # checked with and without 0x, in any case
        export = store.export_keystore("owner", tmp_path / "export.json", "export passphrase")
        texts = [repr(store), str(store), repr(account), str(account), repr(vars(store))]

        failures = [
            lambda: store.create("owner"),
            lambda: store.export_keystore("owner", export, "export passphrase"),
            lambda: store.import_keystore("agent", export, "wrong passphrase"),
            lambda: store.import_keystore("owner", export, "export passphrase"),
            lambda: store_at(tmp_path / "empty").account("owner"),
        ]
        if backend == "keystore-file":
            store.lock()
            monkeypatch.setenv("AGENTWALLET_PASSPHRASE", "wrong passphrase")
            failures.append(lambda: store_at(home).account("owner"))
        errors = []
        for fail in failures:
            with pytest.raises(WalletError) as caught:
                fail()
            errors.append(caught.value)
    finally:
        if previous is not None:
            keyring.set_keyring(previous)

    texts += [chain_text(e) for e in errors]
    texts += ["".join(traceback.format_exception(e)) for e in errors]
    texts += [p.read_text() for p in [*home.rglob("*"), export] if p.is_file()]
    captured = capsys.readouterr()
    texts += [captured.out, captured.err, caplog.text]
    assert len(errors) == len(failures)
    assert not [t for t in texts if leaks(t, key_hex)]
