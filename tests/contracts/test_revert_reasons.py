"""Every revert reason of the deployed contracts names the contract first, as snekmate's
modules do ("ownable: caller is not the owner"), so a person reading one in a review flag or
the CLI knows which contract refused."""

import pytest
import vyper.ast as vy_ast
from guardrail_kit import CONTRACTS

# A registry built on snekmate's ERC-721 keeps that module's own prefix for its checks.
PREFIX = {"Guardrail": ("guardrail: ",), "DemoToken": ("demo token: ",),
          "IdentityRegistry": ("identity registry: ", "erc721: "), "ReputationRegistry": ("reputation registry: ",)}


def reasons(name: str) -> list[str | None]:
    module = vy_ast.parse_to_ast((CONTRACTS / f"{name}.vy").read_text())
    checks = module.get_descendants(vy_ast.Assert) + module.get_descendants(vy_ast.Raise)
    messages = [check.exc if isinstance(check, vy_ast.Raise) else check.msg for check in checks]
    return [message.value if message is not None else None for message in messages]


@pytest.mark.parametrize("name", PREFIX)
def test_every_assert_gives_a_reason_that_names_the_contract(name):
    found = reasons(name)
    assert found and all(reason and reason.startswith(PREFIX[name]) for reason in found), found


@pytest.mark.parametrize("name", PREFIX)
def test_each_reason_is_short_enough_to_read_in_one_line(name):
    assert max(len(reason) for reason in reasons(name)) <= 80
