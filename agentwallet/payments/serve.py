"""`serve`: this wallet's skill sold behind x402, on 127.0.0.1 only.

    GET /ask?q=QUESTION → 402 (the price) → GET with PAYMENT-SIGNATURE → verify → answer → settle → 200
    the same GET again, its payment settled → the same answer, 200, nothing settled again

The x402 package's own FastAPI middleware and `exact` EVM facilitator do the protocol; the
facilitator runs in this process (no hosted service) on chain/settlement.py's signer, which
settles only payments to this wallet's vault, through the wallet's sending path (the agent
key, under the sending lock: pipeline.send_settlement). The middleware holds the answer back
until the payment is settled on chain: a failed settlement serves nothing. One payment serves
one answer: a payment already used is refused by the chain (its nonce), and one still being
answered is refused here; but the answer a settled payment bought is sent again to the same
payment for the same question (payments/answered.py), for x402 settles before it answers and
a response lost on the way must not leave the payer charged and unanswered. What a request
carries is untrusted and bounded; responses and the printed lines carry no key, no passphrase
and no node URL.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, QueryParams
from x402 import x402FacilitatorSync, x402ResourceServer
from x402.http.constants import PAYMENT_RESPONSE_HEADER, PAYMENT_SIGNATURE_HEADER
from x402.http.middleware.fastapi import PaymentMiddlewareASGI
from x402.http.types import PaymentOption, RouteConfig
from x402.http.utils import decode_payment_signature_header, encode_payment_response_header
from x402.http.x402_http_server_base import with_private_cache_control
from x402.mechanisms.evm.exact import ExactEvmFacilitatorScheme, ExactEvmServerScheme
from x402.mechanisms.evm.types import ExactEIP3009Payload
from x402.schemas import AssetAmount, SettleResponse
from x402.schemas.hooks import SettleFailureContext, SettleResultContext

from agentwallet import untrusted
from agentwallet.actions import pipeline
from agentwallet.chain.events import payment_settled
from agentwallet.chain.logs import LogReader
from agentwallet.chain.settlement import SettlementSigner, token_domain
from agentwallet.config import TokenEntry
from agentwallet.display import literal
from agentwallet.errors import WalletError
from agentwallet.payments.answered import AnswersServed, Kept
from agentwallet.payments.requirements import network_of
from agentwallet.rpc_url import scrubbed
from agentwallet.units import format_amount

if TYPE_CHECKING:
    from agentwallet.actions.wallet import Wallet

HOST = "127.0.0.1"
ASK = "/ask"
MAX_QUESTION = 1000  # characters of ?q= taken (the model reads the first 400)
MAX_BODY = 0  # a GET carries no body: any is refused before the payment is looked at
MAX_HEADERS = 16_384  # bytes of a request's head (a PAYMENT-SIGNATURE is about 1.5 kB)
ANSWER_SECONDS = 60  # the model's time for one answer; past it the request fails, unpaid
KEEP_ALIVE_SECONDS = 5
CONCURRENT = 8  # connections at once; beyond, 503
PAYMENT_SECONDS = 120  # how long a payer's authorization may take to arrive
REORG_BLOCKS = 64  # how far before an answer was kept its settlement is looked for

Answer = Callable[[str], str]
Report = Callable[[str], None]


@dataclass(frozen=True)
class Price:
    token: TokenEntry
    amount: int  # base units

    @property
    def text(self) -> str:
        return f"{format_amount(self.amount, self.token.decimals)} {literal(self.token.symbol)}"


@dataclass
class Earnings:
    """What the server has done since it started: the TUI and the printed lines read it."""

    url: str = ""
    answered: int = 0
    earned: int = 0  # base units of the price's token, settled on chain
    refused: int = 0  # paid requests not answered: the payment did not verify or settle
    last_payer: str | None = None
    changed: Callable[[Earnings], None] = lambda _earnings: None  # told after each paid answer
    _in_flight: set[tuple[str, str]] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self, payment: tuple[str, str]) -> bool:
        """Take `payment` (payer, nonce) for one answer; False while another request holds it."""
        with self._lock:
            if payment in self._in_flight:
                return False
            self._in_flight.add(payment)
            return True

    def release(self, payment: tuple[str, str]) -> None:
        with self._lock:
            self._in_flight.discard(payment)


class _Facilitator:
    """The in-process facilitator as the resource server calls it: its chain work (reads, a
    settlement waited for) on a worker thread, so the server keeps answering meanwhile. What it
    says to the payer keeps the reason's code and drops the message, which may quote the node."""

    def __init__(self, facilitator: x402FacilitatorSync):
        self._facilitator = facilitator

    def get_supported(self):
        return self._facilitator.get_supported()

    async def verify(self, payload, requirements):
        return await asyncio.to_thread(self._facilitator.verify, payload, requirements)

    async def settle(self, payload, requirements) -> SettleResponse:
        settled = await asyncio.to_thread(self._facilitator.settle, payload, requirements)
        return settled.model_copy(update={"error_message": None})


def _payment_of(payload) -> tuple[str, str]:
    authorization = ExactEIP3009Payload.from_dict(payload.payload).authorization
    return authorization.from_address.lower(), authorization.nonce.lower()


def build_app(wallet: Wallet, price: Price, answer: Answer, earnings: Earnings, report: Report) -> FastAPI:
    network = network_of(wallet)
    vault = wallet.guardrail.address
    try:
        name, version = token_domain(wallet.w3, price.token.address)
    except Exception:
        raise WalletError(f"{price.token.address} has no EIP-712 domain (ERC-5267): it cannot be paid by "
                          "EIP-3009 authorization; choose another token for --price") from None
    agent = wallet.agent_address
    wallet.account("agent")  # unlocked now, before listening: a prompt must not wait inside a request
    answers = AnswersServed(wallet.home)

    signer = SettlementSigner(wallet.w3, agent, vault, frozenset({price.token.address}),
                              lambda call, gas: pipeline.send_settlement(wallet, call, gas))
    facilitator = x402FacilitatorSync()
    facilitator.register([network], ExactEvmFacilitatorScheme(signer))
    server = x402ResourceServer(_Facilitator(facilitator))
    server.register(network, ExactEvmServerScheme())

    def settled(context: SettleResultContext) -> None:
        earnings.release(_payment_of(context.payment_payload))
        earnings.answered += 1
        earnings.earned += price.amount
        earnings.last_payer = context.result.payer
        earnings.changed(earnings)
        report(f"paid: {price.text} from {context.result.payer}, settled in {context.result.transaction}; "
               f"answered ({earnings.answered} so far, {format_amount(earnings.earned, price.token.decimals)} "
               f"{literal(price.token.symbol)} earned)")

    def not_settled(context: SettleFailureContext) -> None:
        earnings.release(_payment_of(context.payment_payload))
        earnings.refused += 1
        report(f"not paid: the settlement failed ({literal(str(context.error), 120)}); the answer was withheld")

    server.on_after_settle(settled)
    server.on_settle_failure(not_settled)

    option = PaymentOption(scheme="exact", pay_to=vault, network=network, max_timeout_seconds=PAYMENT_SECONDS,
                           price=AssetAmount(amount=str(price.amount), asset=price.token.address,
                                             extra={"name": name, "version": version}))
    routes = {f"GET {ASK}": RouteConfig(accepts=option, description="answers a question with this wallet's "
                                                                   "local model", mime_type="application/json")}
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.add_middleware(PaymentMiddlewareASGI, routes=routes, server=server)
    app.add_middleware(_Releasing, earnings=earnings)

    @app.get(ASK)
    async def ask(request: Request, q: str = "") -> JSONResponse:
        question = untrusted.line(q[:MAX_QUESTION])
        if not question:
            return JSONResponse({"error": "ask a question: /ask?q=QUESTION"}, status_code=400)
        payment = _payment_of(request.state.payment_payload)
        if not earnings.claim(payment):
            # The same payment in another request still being answered: this one is not settled.
            return JSONResponse({"error": "this payment is being used for another answer"}, status_code=409)
        request.state.claimed = payment  # given back by _Releasing once the request is over, however it ends
        started = time.monotonic()
        try:
            said = await asyncio.wait_for(asyncio.to_thread(answer, question), ANSWER_SECONDS)
        except (TimeoutError, WalletError) as exc:
            earnings.release(payment)
            reason = "the model took too long" if isinstance(exc, TimeoutError) else str(exc)
            report(f"not answered: {literal(reason)}; nothing was settled")
            return JSONResponse({"error": f"not answered: {reason}; you were not charged"}, status_code=503)
        try:  # written down before it is settled: a payer whose response is lost asks again (_Redelivering)
            await asyncio.to_thread(lambda: answers.keep(Kept(
                *payment, question, said, price.token.address, price.amount, wallet.w3.eth.block_number,
                time.time())))
        except (OSError, WalletError) as exc:
            earnings.release(payment)
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            report(f"not answered: the answer could not be kept ({literal(reason)}); nothing was settled")
            return JSONResponse({"error": "not answered: the server could not keep the answer; you were not "
                                          "charged"}, status_code=503)
        report(f"answering a paid question in {time.monotonic() - started:.1f} s; settling")
        return JSONResponse({"answer": said})

    settlements: dict[tuple[str, str], str] = {}  # found once, not looked for again

    def settlement_of(kept: Kept) -> str | None:
        if kept.payment not in settlements:
            found = payment_settled(LogReader(wallet.rpc), kept.token, kept.payer, kept.nonce, vault, kept.amount,
                                    max(0, kept.block - REORG_BLOCKS), wallet.w3.eth.block_number)
            if found is None:
                return None
            settlements[kept.payment] = found
        return settlements[kept.payment]

    def redelivered(kept: Kept, tx_hash: str) -> None:
        report(f"answered again: the payment from {kept.payer} was settled in {tx_hash}; the same answer "
               "sent, nothing settled again")

    app.add_middleware(_Redelivering, answers=answers, settlement_of=settlement_of, network=network,
                       redelivered=redelivered)
    app.add_middleware(_Bounded)
    return app


class _Redelivering:
    """Sends the kept answer (payments/answered.py) to a request that brings a payment already
    settled to this vault for the same question, before the payment middleware would refuse it
    as used; whether it was settled is the chain's word (the token's AuthorizationUsed and, next
    to it, its Transfer of the price to the vault), so a nonce spent elsewhere buys nothing. A
    node that cannot say is a 503 to ask again, never a 402 that would tell the payer to pay anew."""

    def __init__(self, app, answers: AnswersServed, settlement_of, network: str, redelivered):
        self._app = app
        self._answers, self._settlement_of, self._network = answers, settlement_of, network
        self._redelivered = redelivered

    async def __call__(self, scope, receive, send):
        kept = self._kept(scope) if scope["type"] == "http" else None
        if kept is None:
            await self._app(scope, receive, send)
            return
        try:
            tx_hash = await asyncio.to_thread(self._settlement_of, kept)
        except (WalletError, ValueError, KeyError, TypeError):  # the node unreachable, or a reply that is no log
            response = JSONResponse({"error": "the payment's settlement cannot be confirmed now; ask again with "
                                              "the same payment"}, status_code=503)
            await response(scope, receive, send)
            return
        if tx_hash is None:  # not settled (yet): the payment middleware verifies and settles it as any
            await self._app(scope, receive, send)
            return
        self._redelivered(kept, tx_hash)
        settlement = SettleResponse(success=True, payer=kept.payer, transaction=tx_hash, network=self._network)
        response = JSONResponse({"answer": kept.answer}, headers={
            PAYMENT_RESPONSE_HEADER: encode_payment_response_header(settlement),
            "Cache-Control": with_private_cache_control(None)})  # as the middleware's own paid answers
        await response(scope, receive, send)

    def _kept(self, scope) -> Kept | None:
        header = Headers(scope=scope).get(PAYMENT_SIGNATURE_HEADER)
        if header is None:
            return None
        try:
            payment = _payment_of(decode_payment_signature_header(header))
        except Exception:  # noqa: BLE001 -- any header this cannot read (a deep nesting: RecursionError)
            return None  # is the payment middleware's to refuse, as malformed
        question = untrusted.line(QueryParams(scope.get("query_string", b"")).get("q", "")[:MAX_QUESTION])
        return self._answers.kept(payment, question)


class _Releasing:
    """Gives back the payment a request claimed once the request is over, settled or not: the
    settlement hooks give it back as they run, but a settlement that raises (a node gone, a
    library's error) runs neither, and the payment would answer 409 until the server restarts.
    It is outside the payment middleware, so the answer has been settled (or withheld) by then."""

    def __init__(self, app, earnings: Earnings):
        self._app = app
        self._earnings = earnings

    async def __call__(self, scope, receive, send):
        try:
            await self._app(scope, receive, send)
        finally:
            claimed = scope.get("state", {}).get("claimed")
            if claimed is not None:
                self._earnings.release(claimed)


class _Bounded:
    """Refuses, before the payment is looked at, a request whose headers are too large, one
    with a body (a GET has none, so no upload is read) and one for a path not the skill's."""

    def __init__(self, app):
        self._app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            length = headers.get(b"content-length", b"0")
            refusal = None
            if sum(len(name) + len(value) for name, value in scope["headers"]) > MAX_HEADERS:
                refusal = (431, b'{"error": "the request\'s headers are too large"}')
            elif scope["method"] != "GET":
                refusal = (405, b'{"error": "only GET /ask?q=QUESTION"}')
            elif b"transfer-encoding" in headers or not length.isdigit() or int(length) > MAX_BODY:
                refusal = (413, b'{"error": "a request to this skill carries no body"}')
            elif scope["path"] != ASK:
                refusal = (404, b'{"error": "the skill is GET /ask?q=QUESTION"}')
            if refusal:
                await send({"type": "http.response.start", "status": refusal[0],
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(refusal[1])).encode())]})
                await send({"type": "http.response.body", "body": refusal[1]})
                return
        await self._app(scope, receive, send)


class _Scrubbed(logging.Filter):
    """A library's log line (the x402 facilitator's, uvicorn's) as `serve` may print it: one
    line, no traceback, and no secret part of the node's URL (a library's message about a
    failed request quotes it: `... url: /v2/KEY`)."""

    def __init__(self, rpc_url: str):
        super().__init__()
        self._rpc_url = rpc_url

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f" ({type(error).__name__}: {(str(error).strip().splitlines() or [''])[0]})"
        record.msg, record.args = literal(scrubbed(text, self._rpc_url), 300), ()
        record.exc_info = record.exc_text = record.stack_info = None
        return True


def log_scrubbed(rpc_url: str) -> None:
    """Every log line of this process to stderr, through _Scrubbed, warnings and worse."""
    handler = logging.StreamHandler()
    handler.addFilter(_Scrubbed(rpc_url))
    handler.setFormatter(logging.Formatter("%(name)s: %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


def _config(app: FastAPI) -> uvicorn.Config:
    # log_config None: uvicorn's loggers go to the root's handler (log_scrubbed), not its own.
    return uvicorn.Config(app, log_level="warning", log_config=None, access_log=False, lifespan="off", ws="none",
                          server_header=False, date_header=False, timeout_keep_alive=KEEP_ALIVE_SECONDS,
                          limit_concurrency=CONCURRENT, http="h11", h11_max_incomplete_event_size=MAX_HEADERS,
                          timeout_graceful_shutdown=5)


def listening_socket(port: int) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise WalletError(f"cannot listen on {HOST}:{port} ({exc.strerror}): choose another --port, "
                          "or 0 for a free one") from None
    return sock


def base_url(sock: socket.socket) -> str:
    return f"http://{HOST}:{sock.getsockname()[1]}"


def serve_forever(app: FastAPI, sock: socket.socket) -> None:
    """Answer until interrupted (Ctrl-C: the requests being answered finish first)."""
    uvicorn.Server(_config(app)).run(sockets=[sock])


@contextmanager
def running(app: FastAPI, sock: socket.socket) -> Iterator[str]:
    """The server on a thread of this process while the `with` lasts; yields its base URL."""
    server = uvicorn.Server(_config(app))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise WalletError("the server did not start")
        time.sleep(0.02)
    try:
        yield base_url(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
