"""The local devnet: an anvil process the app starts, finds again, and stops.

State is kept with `--state` in the data dir, so the chain survives restarts. The process
runs detached, so a command-line invocation can start it and a later one reuse it; its pid
and port live in devnet.json beside the state file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from agentwallet.errors import WalletError
from agentwallet.private_files import create_private, private_dir, write_atomically

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STATE_DUMP_SECONDS = 1


def find_anvil() -> str:
    """The project-local npm install first (its native binary, not the node wrapper, so that
    signals reach anvil itself and it writes its state on stop), then PATH."""
    for local in sorted((PROJECT_ROOT / "node_modules" / "@foundry-rs").glob("anvil-*/bin/anvil")):
        return str(local)
    found = shutil.which("anvil")
    if found:
        return found
    raise WalletError("anvil not found: run scripts/setup (it installs @foundry-rs/anvil with npm)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rpc_alive(url: str, timeout: float = 1.0) -> bool:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return "result" in json.loads(response.read())
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class DevnetProcess:
    pid: int
    port: int

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Devnet:
    def __init__(self, home: Path):
        self.dir = home / "devnet"
        self.state_file = self.dir / "state.json"
        self.info_file = self.dir / "devnet.json"
        self.log_file = self.dir / "anvil.log"

    def running(self) -> DevnetProcess | None:
        """The devnet this home started, if it is still up and answering."""
        try:
            info = json.loads(self.info_file.read_text())
            process = DevnetProcess(pid=int(info["pid"]), port=int(info["port"]))
        except (OSError, ValueError, KeyError):
            return None
        if _pid_alive(process.pid) and rpc_alive(process.rpc_url):
            return process
        return None

    def start(self, timeout: float = 30.0) -> DevnetProcess:
        if (process := self.running()) is not None:
            return process
        private_dir(self.dir)
        port = free_port()
        command = [
            find_anvil(), "--host", "127.0.0.1", "--port", str(port), "--chain-id", "31337",
            "--state", str(self.state_file), "--state-interval", str(STATE_DUMP_SECONDS),
            "--accounts", "0",
        ]
        with open(create_private(self.log_file), "ab") as log:
            child = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, umask=0o077,  # its state file holds the chain: 0600 too
            )
        process = DevnetProcess(pid=child.pid, port=port)
        deadline = time.monotonic() + timeout
        while not rpc_alive(process.rpc_url, timeout=0.5):
            if child.poll() is not None:
                raise WalletError(f"anvil exited at start (code {child.returncode}); see {self.log_file}")
            if time.monotonic() > deadline:
                child.kill()
                raise WalletError(f"anvil did not answer within {timeout:.0f} s; see {self.log_file}")
            time.sleep(0.1)
        write_atomically(self.info_file, json.dumps({"pid": process.pid, "port": process.port}).encode())
        return process

    def stop(self, timeout: float = 15.0) -> bool:
        """Stop the devnet (anvil writes its state on the way out). False if none was running."""
        process = self.running()
        self.info_file.unlink(missing_ok=True)
        if process is None:
            return False
        os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _pid_alive(process.pid):
            if time.monotonic() > deadline:
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(0.05)
        return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child (started by this very process) still answers kill(0); reap it if so.
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True
