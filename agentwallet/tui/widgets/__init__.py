"""Widgets the screens share: gauges, the spending chart, chat cards, the connection bar."""
