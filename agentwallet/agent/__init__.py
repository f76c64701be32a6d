"""The agent: a local model that turns a request into one proposed tool call.

The only package that imports llama_cpp (in runtime.py). Everything it returns is a
proposal for the approval pipeline; it signs and sends nothing.
"""

from agentwallet.agent.bundled import bundled_model_path
from agentwallet.agent.configured import load_configured_agent
from agentwallet.agent.context import Contact, KnownToken, WalletContext
from agentwallet.agent.planner import Agent
from agentwallet.agent.tools import Plan

__all__ = ["Agent", "Contact", "KnownToken", "Plan", "WalletContext", "bundled_model_path", "load_configured_agent"]
