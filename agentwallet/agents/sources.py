"""Where a card is read from: its agent URI, which is untrusted.

A data: URI is decoded here. An http(s) URI is fetched only when asked (`agents show`, not
`agents list`), with a timeout, a size cap and no redirects, as a GET with no cookies or
credentials. Anything else (ipfs:, file:, a typo) is not fetched: a URI on chain must not make
the wallet read this machine's files or reach a gateway the user did not choose.
"""

from __future__ import annotations

import urllib.error
import urllib.request

from agentwallet.agents.card import MAX_CARD_BYTES, CardError, decode_data_uri

FETCH_TIMEOUT = 5.0  # seconds


def _redirected(code: int) -> CardError:
    return CardError(f"the card's server redirects ({code}); redirects are not followed")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise _redirected(code)


_OPENER = urllib.request.build_opener(_NoRedirects)


def is_fetched(uri: str) -> bool:
    return uri.startswith(("http://", "https://"))


def card_content(uri: str, fetch: bool) -> bytes:
    """The bytes of the card at `uri`; a CardError when it is not read (and why)."""
    if uri.startswith("data:"):
        return decode_data_uri(uri)
    if not uri:
        raise CardError("it has no card (its agent URI is empty)")
    if not is_fetched(uri):
        scheme = uri.split(":", 1)[0] if ":" in uri else "this"
        raise CardError(f"its card is at a {scheme[:16]!r} URI, which is shown, not fetched")
    if not fetch:
        raise CardError("its card is on a web server: `agentwallet agents show ID` fetches it")
    return _fetched(uri)


def _fetched(uri: str) -> bytes:
    request = urllib.request.Request(uri, headers={"Accept": "application/json", "User-Agent": "agentwallet"})
    try:
        with _OPENER.open(request, timeout=FETCH_TIMEOUT) as response:
            content = response.read(MAX_CARD_BYTES + 1)
    except CardError:
        raise
    except urllib.error.HTTPError as exc:  # urllib refuses a redirect to file: or ftp: itself, as an HTTPError
        if 300 <= exc.code < 400:
            raise _redirected(exc.code) from None
        raise CardError(f"its card's server answered {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CardError(f"its card could not be fetched ({reason})") from None
    if len(content) > MAX_CARD_BYTES:
        raise CardError(f"its card is more than the {MAX_CARD_BYTES} bytes read")
    return content
