"""Sellers for the payment tests, on 127.0.0.1 only: a real x402 v2 resource server (FastAPI with
the x402 package's own middleware, its facilitator run in this process and settling on the
tests' anvil), and a scripted server for the hostile and broken answers a wallet must survive."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn
from eth_account import Account
from fastapi import FastAPI
from x402 import x402Facilitator, x402ResourceServer
from x402.http.types import PaymentOption, RouteConfig
from x402.http.utils import encode_payment_required_header
from x402.mechanisms.evm.exact import ExactEvmFacilitatorScheme, ExactEvmServerScheme
from x402.mechanisms.evm.signers import FacilitatorWeb3Signer
from x402.schemas import AssetAmount, PaymentRequired, PaymentRequirements, ResourceInfo

from agentwallet.actions.wallet import Wallet
from tests.http_kit import Answer, local_server

# anvil's tenth dev account: the seller's facilitator, which pays the settlement's gas
FACILITATOR_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"
SELLER = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"  # DAVE: not a contact of the wallet
PRICE = 10_000  # 0.01 USDC
ANSWER = {"answer": "bonjour"}


def usdc(wallet: Wallet):
    return wallet.config.tokens[0]


def requirement(wallet: Wallet, **changes) -> PaymentRequirements:
    """What the seller asks: 0.01 of the wallet's demo USDC to SELLER on the wallet's chain."""
    fields = {"scheme": "exact", "network": f"eip155:{wallet.config.chain_id}", "asset": usdc(wallet).address,
              "amount": str(PRICE), "pay_to": SELLER, "max_timeout_seconds": 120,
              "extra": {"name": "Demo USDC", "version": "1"}}
    return PaymentRequirements(**{**fields, **changes})


def payment_required_header(*accepts: PaymentRequirements, url: str = "http://127.0.0.1/ask") -> str:
    return encode_payment_required_header(PaymentRequired(x402_version=2, accepts=list(accepts),
                                                          resource=ResourceInfo(url=url)))


def _listening_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def x402_seller(wallet: Wallet, price: int = PRICE, pay_to: str = SELLER) -> Iterator[str]:
    """A paid GET /ask behind the x402 package's FastAPI middleware; yields its URL."""
    facilitator = x402Facilitator()
    network = f"eip155:{wallet.config.chain_id}"
    wallet.rpc("anvil_setBalance", [Account.from_key(FACILITATOR_KEY).address, hex(10**18)])
    facilitator.register([network], ExactEvmFacilitatorScheme(FacilitatorWeb3Signer(FACILITATOR_KEY, wallet.rpc_url)))
    server = x402ResourceServer(facilitator)
    server.register(network, ExactEvmServerScheme())
    app = FastAPI()
    from x402.http.middleware.fastapi import PaymentMiddlewareASGI

    token = usdc(wallet)
    routes = {"GET /ask": RouteConfig(accepts=PaymentOption(
        scheme="exact", pay_to=pay_to, network=network, max_timeout_seconds=120,
        price=AssetAmount(amount=str(price), asset=token.address, extra={"name": "Demo USDC", "version": "1"})),
        description="answers a question")}
    app.add_middleware(PaymentMiddlewareASGI, routes=routes, server=server)

    @app.get("/ask")
    def ask() -> dict:
        return ANSWER

    sock = _listening_socket()
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none")
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not runner.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the x402 seller did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/ask"
    finally:
        runner.should_exit = True
        thread.join(timeout=10)
        sock.close()




@contextmanager
def scripted_server(answer: Callable[[dict[str, str]], Answer]) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A server whose every GET is answered by `answer(request headers)`; yields its URL and the
    headers of the requests it got, in order."""
    seen: list[dict[str, str]] = []

    def recorded(_path: str, headers: dict[str, str]) -> Answer:
        seen.append(headers)
        return answer(headers)

    with local_server(recorded) as url:
        yield f"{url}/ask", seen
