"""Proposals, their simulation and approval, the journal, and the history built from them."""
