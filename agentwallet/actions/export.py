"""History as files: CSV for spreadsheets, JSON for programs, in the data dir's exports/.

The TUI writes them from History; nothing here is UI."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

from agentwallet.actions.entries import exported
from agentwallet.actions.history import HistoryEntry
from agentwallet.errors import WalletError
from agentwallet.private_files import private_dir, write_atomically


def write_history(directory: Path, entries: list[HistoryEntry], kind: str, now: float, owner: str,
                  agent: str) -> Path:
    """A new file, 0600 in a 0700 directory (it holds every request and rationale), written whole
    through a temporary one: each entry as entries.exported (what it
    moved or would have, and whether the `owner` or the `agent` key signed). JSON keeps every field
    exactly; in CSV, free text that a spreadsheet would run as a formula (=, +, -, @) is prefixed
    with a quote."""
    if kind not in ("csv", "json"):
        raise WalletError(f"unknown export format {kind!r}: csv or json")
    private_dir(directory)
    stamp = datetime.fromtimestamp(now, timezone.utc).strftime("%Y%m%d-%H%M%S")
    path = directory / f"history-{stamp}.{kind}"
    suffix = 1
    while path.exists():
        suffix += 1
        path = directory / f"history-{stamp}-{suffix}.{kind}"
    rows = [exported(entry, owner, agent) for entry in entries]
    out = io.StringIO(newline="")
    if kind == "json":
        json.dump(rows, out, indent=2, ensure_ascii=False)
    else:
        writer = csv.DictWriter(out, fieldnames=[*HistoryEntry.json_fields(), "signer"])
        writer.writeheader()
        for row in rows:
            writer.writerow({key: _csv_cell(key, value) for key, value in row.items()})
    write_atomically(path, out.getvalue().encode("utf-8"))
    return path


CSV_FREE_TEXT = ("tool", "request", "rationale")


def _csv_cell(key: str, value: object) -> object:
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if key in CSV_FREE_TEXT and isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return value
