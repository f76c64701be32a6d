"""x402 v2 on the wire, through the reference package's own types (`x402` on PyPI): the
PAYMENT-REQUIRED a 402 carries, the PAYMENT-SIGNATURE the paid retry sends, the
PAYMENT-RESPONSE that says how the payment was settled. Everything read here is untrusted."""

from __future__ import annotations

import base64
import binascii
import json

from pydantic import ValidationError
from x402.http.constants import PAYMENT_REQUIRED_HEADER, PAYMENT_RESPONSE_HEADER, PAYMENT_SIGNATURE_HEADER
from x402.http.utils import decode_payment_response_header, encode_payment_signature_header
from x402.mechanisms.evm.types import ExactEIP3009Authorization, ExactEIP3009Payload
from x402.schemas import PaymentPayload, PaymentRequired, PaymentRequirements, SettleResponse

from agentwallet.chain.eip3009 import Authorization
from agentwallet.errors import WalletError
from agentwallet.payments.http import MAX_HEADER, Response

VERSION = 2
# The vault's signature: empty, for the guardrail approved the authorization on chain and the
# vault's ERC-1271 answer is that approval (docs/guardrail.md, "x402 payments").
VAULT_SIGNATURE = "0x"


def payment_required(response: Response) -> PaymentRequired:
    """The 402's payment request, from its PAYMENT-REQUIRED header (v2) or, as some servers
    also send it, its JSON body. A malformed one is a WalletError."""
    header = response.header(PAYMENT_REQUIRED_HEADER)
    try:
        if header is not None:
            if len(header) > MAX_HEADER:
                raise WalletError(f"the resource's {PAYMENT_REQUIRED_HEADER} header is too long")
            data = json.loads(base64.b64decode(header.encode("ascii"), validate=True))
        else:
            data = json.loads(response.body.decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise _malformed(exc) from None
    if not isinstance(data, dict):
        raise _malformed("not a JSON object")
    if data.get("x402Version") == 1:
        raise WalletError("the resource asks for x402 version 1; this wallet pays x402 version 2")
    if data.get("x402Version") != VERSION:
        raise WalletError("the resource answered 402 without an x402 version 2 payment request")
    try:
        return PaymentRequired.model_validate(data)
    except ValidationError as exc:
        raise _malformed(exc) from None


def _malformed(why: object) -> WalletError:
    first = (str(why).strip().splitlines() or [""])[0][:200]
    return WalletError(f"the resource's payment request is malformed ({first})")


def payment_header(asked: PaymentRequired, accepted: PaymentRequirements,
                   authorization: Authorization) -> dict[str, str]:
    """The retry's header: the authorization the vault approved, with the vault's empty signature."""
    inner = ExactEIP3009Payload(
        authorization=ExactEIP3009Authorization(
            from_address=authorization.payer, to=authorization.payee, value=str(authorization.value),
            valid_after=str(authorization.valid_after), valid_before=str(authorization.valid_before),
            nonce="0x" + authorization.nonce.hex()),
        signature=VAULT_SIGNATURE)
    payload = PaymentPayload(x402_version=VERSION, payload=inner.to_dict(), accepted=accepted,
                             resource=asked.resource, extensions=asked.extensions)
    return {PAYMENT_SIGNATURE_HEADER: encode_payment_signature_header(payload)}


def settlement(response: Response) -> SettleResponse | None:
    """How the server says it settled the payment, when it says so readably."""
    header = response.header(PAYMENT_RESPONSE_HEADER)
    if header is None or len(header) > MAX_HEADER:
        return None
    try:
        return decode_payment_response_header(header)
    except (ValidationError, ValueError, binascii.Error, UnicodeDecodeError):
        return None
