"""One HTTP GET of a resource the wallet may pay for: untrusted, so with a timeout, a size cap,
no redirects (a paid retry must reach the server that set the price), no cookies."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass

from agentwallet.errors import WalletError

TIMEOUT = 30.0  # seconds for a resource to answer
PAID_TIMEOUT = 200.0  # a paid request's: `serve` takes up to 60 s to answer, then 2 x 60 s to settle
MAX_BODY = 1_000_000  # bytes read of an answer
MAX_HEADER = 16_000  # characters of one header kept (a PAYMENT-REQUIRED is a few hundred)


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # names in upper case; untrusted values
    body: bytes  # untrusted

    def header(self, name: str) -> str | None:
        return self.headers.get(name.upper())


class NoResponse(WalletError):
    """The request got no response (the connection failed, dropped or timed out): a paid one
    may have been used by the server all the same."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise WalletError(f"the resource redirects ({code}); redirects are not followed")


_OPENER = urllib.request.build_opener(_NoRedirects)


def check_url(url: str) -> str:
    if not url.startswith(("http://", "https://")) or len(url) > 2048:
        raise WalletError("the resource must be an http:// or https:// address of at most 2048 characters")
    return url


def get(url: str, headers: dict[str, str] | None = None, timeout: float = TIMEOUT) -> Response:
    """GET `url`; any status is a Response (a 402 is one), a network failure NoResponse, an answer
    the wallet will not take (a redirect, too large) a WalletError."""
    request = urllib.request.Request(check_url(url), headers={"User-Agent": "agentwallet", **(headers or {})})
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return _response(answer.status, answer.headers, answer.read(MAX_BODY + 1))
    except WalletError:
        raise
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise WalletError(f"the resource redirects ({exc.code}); redirects are not followed") from None
        return _response(exc.code, exc.headers, exc.read(MAX_BODY + 1))
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise NoResponse(f"the resource could not be fetched ({getattr(exc, 'reason', exc)})") from None
    except ValueError as exc:
        raise WalletError(f"the resource could not be fetched ({exc})") from None


def _response(status: int, headers, body: bytes) -> Response:
    if len(body) > MAX_BODY:
        raise WalletError(f"the resource's answer is more than the {MAX_BODY:,} bytes read")
    kept = {name.upper(): value[:MAX_HEADER + 1] for name, value in (headers or {}).items()}
    return Response(status, kept, body)
