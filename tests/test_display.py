"""Untrusted text is shown as typed: no escape sequence reaches the terminal."""

from agentwallet.display import literal


def test_escape_sequences_are_shown_not_interpreted():
    assert literal("\x1b[31mX\x1b[0m") == "\\x1b[31mX\\x1b[0m"


def test_markup_and_ordinary_text_pass_through_unchanged():
    assert literal("[b red]0 ETH[/]") == "[b red]0 ETH[/]"
    assert literal("Ünïcode ok") == "Ünïcode ok"


def test_newlines_and_bidi_overrides_are_made_visible():
    assert literal("a\nb") == "a\\x0ab"
    assert literal("\u202eevil") == "\\u202eevil"


def test_very_long_text_is_cut():
    assert literal("x" * 5000, limit=10) == "x" * 10 + "…"
