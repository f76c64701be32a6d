"""A private key never appears in output, --json, errors, the journal, the config or logs."""

from __future__ import annotations

from agentwallet.cli import main
from agentwallet.keys import KeyStore
from tests.conftest import ALICE


def test_no_private_key_reaches_any_output_or_file(home, capsys):
    keys = KeyStore(home)
    secrets = [keys.account(role).key.hex().removeprefix("0x") for role in ("owner", "agent")]
    commands = [
        ["status", "--json"], ["status"], ["limits", "show", "--json"],
        ["contacts", "remove", "alice"], ["contacts", "add", "alice", ALICE],
        ["propose", "send_native", "to=alice", "amount_wei=1000", "--yes"],
        ["propose", "send_native", "to=alice", "amount_wei=5", "--no"],
        ["propose", "send_native", "to=alice", "amount_wei=-5", "--yes"],
        ["limits", "set", "--daily", "1.5"],
        ["history", "--json"], ["history"], ["verify"], ["doctor"],
    ]
    seen = []
    for argv in commands:
        main(argv)
        out, err = capsys.readouterr()
        seen += [out, err]
    # Every file the wallet wrote: config, journal (raw transactions included), keystores, logs.
    seen += [path.read_bytes().hex() + path.read_bytes().decode("latin-1")
             for path in home.rglob("*") if path.is_file()]
    haystack = "\n".join(seen).lower()
    for secret in secrets:
        assert secret.lower() not in haystack
