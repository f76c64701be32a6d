"""What `serve` logs (the x402 facilitator's and uvicorn's warnings) is one line each, without a
traceback, and without the secret parts of the node's URL that a failed request's error quotes."""

from __future__ import annotations

import logging
import urllib.request

import pytest

from agentwallet.payments.serve import log_scrubbed

NODE = "http://127.0.0.1:1/v2/SECRETKEY0123456789?apikey=ANOTHERSECRET42"


@pytest.fixture
def root_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_a_failed_request_to_the_node_is_logged_without_its_secrets(root_logging, capsys):
    log_scrubbed(NODE)
    try:
        urllib.request.urlopen(NODE, timeout=5)  # nothing listens on port 1: a real connection error
    except OSError as error:
        logging.getLogger("x402.mechanisms").exception("settle failed at %s: %s", NODE, error)
    said = capsys.readouterr().err
    assert said.startswith("x402.mechanisms: ERROR settle failed at http://127.0.0.1:1/…: ")
    assert "SECRETKEY0123456789" not in said and "ANOTHERSECRET42" not in said
    assert "Traceback" not in said and said.count("\n") == 1


def test_below_a_warning_nothing_is_logged(root_logging, capsys):
    log_scrubbed(NODE)
    logging.getLogger("x402").info("verify_typed_data: %s", NODE)
    assert capsys.readouterr().err == ""
