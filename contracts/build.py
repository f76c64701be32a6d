"""Compile the contracts the app deploys into agentwallet/chain/artifacts/<Name>.json.

Run from anywhere: .venv/bin/python contracts/build.py
Each artifact holds the ABI, the deployment bytecode, the compiler version and the SHA-256 of
the source, so a test can rebuild them and prove the committed JSON matches the source.
Imports (snekmate) resolve on Python's path, as titanoboa resolves them; the bytecode's
metadata hashes every imported source, so the rebuild check covers them too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import vyper
from vyper.cli.vyper_compile import get_search_paths
from vyper.compiler.input_bundle import FilesystemInputBundle

CONTRACTS_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = CONTRACTS_DIR.parent / "agentwallet" / "chain" / "artifacts"
DEPLOYED = ("Guardrail", "DemoToken", "IdentityRegistry", "ReputationRegistry")


def input_bundle() -> FilesystemInputBundle:
    """Where the compiler finds what a contract imports: Python's path, so snekmate's installed
    package, as titanoboa finds it."""
    return FilesystemInputBundle(get_search_paths())


def compile_artifact(name: str) -> dict:
    source = (CONTRACTS_DIR / f"{name}.vy").read_bytes()
    output = vyper.compile_code(
        source.decode(),
        contract_path=f"{name}.vy",
        input_bundle=input_bundle(),
        output_formats=["abi", "bytecode"],
    )
    return {
        "abi": output["abi"],
        "bytecode": output["bytecode"],
        "vyper_version": vyper.__version__,
        "source_sha256": hashlib.sha256(source).hexdigest(),
    }


def render(artifact: dict) -> str:
    return json.dumps(artifact, indent=2) + "\n"


def artifact_path(name: str) -> Path:
    return ARTIFACTS_DIR / f"{name}.json"


def main() -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    for name in DEPLOYED:
        artifact_path(name).write_text(render(compile_artifact(name)))
        print(f"{name}: {artifact_path(name)}")


if __name__ == "__main__":
    main()
