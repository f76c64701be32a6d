"""The agent: a local model that turns a request into proposed tool calls.

The only package that imports llama_cpp (in runtime.py). Everything it returns is a
proposal for the approval pipeline; it signs and sends nothing.
"""

from agentwallet.agent.bundled import bundled_model_path
from agentwallet.agent.call import RequestPlan, ToolCall
from agentwallet.agent.configured import load_configured_agent
from agentwallet.agent.context import Contact, KnownToken, WalletContext, wallet_context
from agentwallet.agent.planner import Agent

__all__ = [
    "Agent", "Contact", "KnownToken", "RequestPlan", "ToolCall", "WalletContext", "bundled_model_path",
    "load_configured_agent", "wallet_context",
]
