"""Worked examples the model learns the call language from: requests and the calls they call for.

Generic requests written for teaching, in a made-up wallet (contacts dave, erin, frank; tokens
DAI, USDT), each under the call it calls for; messages no tool fits, under the topic that
answers them (REPLIES). They are not the benchmark's requests and must
not become them: benchmarks/ measures on requests the model has never seen here.
Arguments are written as the model writes them, units copied as the request spells them.
PARTS are requests cut into the parts that each ask for one thing (clauses.py), or left whole.
QUESTIONS are questions about a read's facts, under the part of the facts that answers them
(answering.py's scopes).
"""

from __future__ import annotations

EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "send": (
        ("please send 0.35 eth to erin", "erin, 0.35 eth"),
        ("give dave 12 dai", "dave, 12 dai"),
        ("wire 0.01 ether to 0x2a3b…9f10", "0x2a3b…9f10, 0.01 ether"),
        ("transfer 250 DAI to 0x77c0…e5d2", "0x77c0…e5d2, 250 DAI"),
        ("frank gets 7.5 usdt", "frank, 7.5 usdt"),
        ("erin should get 0.08 ETH from me", "erin, 0.08 ETH"),
        ("can you send frank 4 ether", "frank, 4 ether"),
        ("pay 0x91c4…07ab 0.25 eth", "0x91c4…07ab, 0.25 eth"),
        ("i owe dave 0.6 eth, pay him", "dave, 0.6 eth"),
        ("send frank 18.25 dai for dinner", "frank, 18.25 dai"),
        ("send 40 USDT to erin", "erin, 40 USDT"),
        ("dave 3 usdt", "dave, 3 usdt"),
        ("send 0.2 eth each to dave and erin", "dave, erin, 0.2 eth each"),
        ("split 9 dai between dave, erin and frank", "dave, erin, frank, 9 dai shared"),
        ("give erin and frank 3 usdt each", "erin, frank, 3 usdt each"),
    ),
    "set_limits": (
        ("limit spending to 2 eth a day", "daily=2 eth"),
        ("no single payment above 0.1 eth please", "per_tx=0.1 eth"),
        ("change the daily allowance to 4 eth", "daily=4 eth"),
        ("max 0.02 eth per payment", "per_tx=0.02 eth"),
        ("let the agent spend 10 eth each day", "daily=10 eth"),
        ("set a per transaction cap of 0.5 eth", "per_tx=0.5 eth"),
        ("daily limit 1.5 eth, per payment 0.3 eth", "daily=1.5 eth, per_tx=0.3 eth"),
        ("make the limit period 6 hours", "period=6 hours"),
        ("lower the daily max to 0.7 eth", "daily=0.7 eth"),
    ),
    "pause": (
        ("stop everything right now", ""),
        ("emergency stop", ""),
        ("suspend the agent", ""),
        ("don't send anything else until I say so", ""),
        ("block all transfers", ""),
        ("pause", ""),
        ("shut the agent down", ""),
        ("freeze all spending right away", ""),
        ("lock down my funds", ""),
        ("quick, no more payments", ""),
    ),
    "get_balances": (
        ("tokens?", ""),
        ("what's in my account", ""),
        ("how many tokens do I have", ""),
        ("show my funds", ""),
        ("how much dai do I own", ""),
        ("total holdings please", ""),
        ("what is my eth balance", ""),
        ("show my token balances", ""),
        ("does the vault hold any dai", ""),
        ("what assets do I have", ""),
        ("how much cash is there", ""),
    ),
    "get_limits": (
        ("caps?", ""),
        ("how much can you still spend this week", ""),
        ("what limits are set", ""),
        ("what's the per-transaction cap", ""),
        ("how much allowance is left", ""),
        ("show my spending caps", ""),
        ("what's the spending limit", ""),
        ("are there any limits on you", ""),
    ),
    "get_history": (
        ("activity?", ""),
        ("show me the past payments", ""),
        ("my last 5 actions", "limit=5"),
        ("what transactions happened", ""),
        ("list the 20 latest transfers", "limit=20"),
        ("log of recent activity", ""),
        ("did you send anything today", ""),
        ("the 8 most recent payments please", "limit=8"),
        ("which payments went out", ""),
        ("list my transactions", ""),
    ),
    "ask": (
        ("ask agent #4 to summarize this article about bees", "#4, summarize this article about bees"),
        ("have agent 7 translate 'good night' into Spanish", "#7, translate 'good night' into Spanish"),
        ("ask #12: what is the weather in Oslo", "#12, what is the weather in Oslo"),
        ("get https://example.org/ask?q=news", "https://example.org/ask?q=news"),
        ("fetch http://10.0.0.5:8402/ask?q=hi", "http://10.0.0.5:8402/ask?q=hi"),
        ("ask agent #3 for a haiku about autumn", "#3, a haiku about autumn"),
        ("pay agent 5 to write a limerick", "#5, write a limerick"),
        ("agent #9, is it going to rain tomorrow", "#9, is it going to rain tomorrow"),
    ),
    "find_agents": (
        ("which other agents are out there", ""),
        ("find me an agent that can translate", ""),
        ("list the agents in the registry", ""),
        ("which agents offer image generation", ""),
        ("is there an agent for summaries", ""),
        ("find another agent I could hire", ""),
    ),
}


# Messages no wallet tool fits, under the topic of the wallet's sentences (agentwallet/about.py)
# that answer them: one block of examples per topic, so that the model tells a question about
# approval from small talk the way it tells one call from another.
REPLIES: dict[str, tuple[str, ...]] = {
    "capabilities": ("what things can you do for me", "tell me your abilities", "what are you capable of",
                     "what sort of tasks do you handle", "what else can you do", "list everything you can do",
                     "which functions does this wallet offer"),
    "help": ("help me", "how does this app work", "what should I type", "I'm lost", "how do I get started",
             "instructions please"),
    "approval": ("do you ask me before paying", "can you spend money on your own", "who decides on payments",
                 "is everything you do logged", "can I refuse a payment you suggest",
                 "would you ever pay someone without my ok", "do you send money without checking with me",
                 "must I confirm each payment"),
    "limits": ("how do the spending caps work", "why is there a limit on payments", "what is an allowance",
               "when does my allowance start over", "who sets your limits"),
    "guardrail": ("what is the vault contract", "who keeps the funds safe", "what protects my funds",
                  "is my wallet secure", "what does the guardrail do"),
    "pausing": ("what happens if I pause you", "what does it mean to be paused", "can you pay while paused"),
    "identity": ("who are you", "are you a robot", "are you a person", "which model are you"),
    "greeting": ("good morning", "hello", "hey", "good afternoon"),
    "feeling": ("are you ok", "you doing alright?", "hope you are well"),
    "thanks": ("thanks a lot", "thank you so much", "great, thanks"),
    "goodbye": ("bye", "good night", "talk to you later"),
    "elsewhere": ("tell me something funny", "write me a poem", "can you trade stocks", "what time is it",
                  "can you exchange my dollars for euros", "who won the game", "can you trade my dai for usdt",
                  "swap my usdt into dai"),
    "words": ("what is a blockchain?", "how do wallets work", "what is a smart contract", "explain what a token is",
              "what does gas mean", "what is DAI", "what's ether", "what exactly is usdt", "what does erc-721 mean",
              "how is usdt different from ether", "explain dai and ether to me"),
}

PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("send 0.2 eth to dave and 3 dai to erin", ("send 0.2 eth to dave", "3 dai to erin")),
    ("i owe dave 0.6 eth, pay him", ("i owe dave 0.6 eth, pay him",)),
    ("pay erin 5 usdt, then pause", ("pay erin 5 usdt", "pause")),
    ("send 0.1 eth each to dave and erin", ("send 0.1 eth each to dave and erin",)),
    ("give frank 0.5 eth, dave 0.1 eth and erin 2 dai", ("give frank 0.5 eth", "dave 0.1 eth", "erin 2 dai")),
    ("daily limit 1.5 eth, per payment 0.3 eth", ("daily limit 1.5 eth, per payment 0.3 eth",)),
    ("set the daily limit to 1 eth and send dave 0.3 eth", ("set the daily limit to 1 eth", "send dave 0.3 eth")),
    ("split 9 dai between dave, erin and frank", ("split 9 dai between dave, erin and frank",)),
    ("transfer 12 dai to frank then stop the agent", ("transfer 12 dai to frank", "stop the agent")),
    ("send 2 dai to frank, thanks", ("send 2 dai to frank, thanks",)),
    ("pay dave 7 usdt. send erin 0.04 eth.", ("pay dave 7 usdt", "send erin 0.04 eth.")),
    ("give erin and frank 4 usdt each", ("give erin and frank 4 usdt each",)),
    ("set the per payment cap to 0.2 eth and the daily limit to 2 eth",
     ("set the per payment cap to 0.2 eth and the daily limit to 2 eth",)),
    ("give 4 usdt to erin and 0.3 eth to frank", ("give 4 usdt to erin", "0.3 eth to frank")),
    ("lower the daily limit to 0.5 eth and suspend the agent",
     ("lower the daily limit to 0.5 eth", "suspend the agent")),
    ("pay dave 1 dai and erin 2 dai and frank 3 dai", ("pay dave 1 dai", "erin 2 dai", "frank 3 dai")),
)

QUESTIONS: dict[str, tuple[str, ...]] = {
    "fit": ("how much dai is there", "did erin get her money", "was the payment to frank denied",
            "what's the per-transaction cap", "is the agent frozen", "which payments failed", "what did dave receive",
            "when was the last limit change", "how much usdt can you send now", "what's my daily allowance",
            "how much ether do I have", "when did you pause", "can you still send usdt right now",
            "is the agent frozen at the moment"),
    "every": ("show all my tokens", "what's in the vault", "list every payment", "give me the full history",
              "what are the agent's caps", "all balances please", "what does the wallet hold",
              "everything that happened", "what happened lately", "my holdings", "what rules does the agent follow",
              "tell me all the limits"),
    "day": ("anything sent today?", "yesterday's activity", "payments made on Mar 3", "today's transfers",
            "what went on yesterday", "what did the agent do on Feb 12", "did you pay anyone today"),
}
