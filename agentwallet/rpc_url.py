"""RPC URLs as they may be shown: hosted providers put the account's key in the URL.

`https://user:pass@host`, `https://host/v3/<key>` and `https://host/?apikey=<key>` each hold a
secret that spends the user's quota (or worse) in anyone's hands, so no message, log line or
JSON the wallet prints holds more of an RPC URL than its scheme, host and port.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def redacted(url: str) -> str:
    """`url` with its user, password, path, query and fragment replaced by one "…"."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a malformed port or bracket: show nothing of it
        return "<an RPC URL that cannot be read>"
    if not parts.scheme or not host:
        return "<an RPC URL that cannot be read>"
    if ":" in host:
        host = f"[{host}]"
    hidden = parts.username or parts.password or parts.path.strip("/") or parts.query or parts.fragment
    return f"{parts.scheme}://{host}{port}" + ("/…" if hidden else "")


def scrubbed(text: str, url: str) -> str:
    """`text` (a node's or a library's message) with every secret part of `url` in it replaced."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    keys = [*path.split("/"), *(value for pair in parts.query.split("&") for value in pair.split("=")[1:])]
    secrets = [parts.username, parts.password, parts.query, path, *(key for key in keys if len(key) >= 8)]
    text = text.replace(url, redacted(url))
    # Short parts ("v3", "rpc") are words in any message: only parts long enough to be keys go.
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "…")
    return text
