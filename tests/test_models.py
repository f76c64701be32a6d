"""`agentwallet model`: the bundled model, a GGUF the user brings, and clear errors."""

from __future__ import annotations

from agentwallet.cli import main
from agentwallet.config import Config, load_config
from agentwallet.models import BUNDLED_MODEL, check_bundled


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_bundled_model_is_installed_and_matches_its_checksum():
    assert check_bundled() == BUNDLED_MODEL


def test_model_list_marks_the_bundled_model_in_use(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AGENTWALLET_HOME", str(tmp_path))
    code, out, _ = run(capsys, "model", "list")
    assert code == 0 and f"* {BUNDLED_MODEL}" in out and "Apache-2.0" in out


def test_model_use_accepts_a_gguf_file_and_records_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AGENTWALLET_HOME", str(tmp_path))
    mine = tmp_path / "mine.gguf"
    mine.write_bytes(b"GGUF" + bytes(64))
    code, out, err = run(capsys, "model", "use", str(mine))
    assert code == 0, err
    assert load_config(tmp_path).model == str(mine)
    assert out == f"using {mine} on the CPU\n"


def test_model_use_records_gpu_layers_and_refuses_a_bad_count(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AGENTWALLET_HOME", str(tmp_path))
    code, out, err = run(capsys, "model", "use", str(BUNDLED_MODEL), "--gpu-layers", "-1")
    assert code == 0, err
    assert out == f"using {BUNDLED_MODEL} with all layers on the GPU\n"
    assert (load_config(tmp_path).model, load_config(tmp_path).gpu_layers) == (None, -1)
    assert run(capsys, "model", "use", str(BUNDLED_MODEL))[0] == 0  # no --gpu-layers: as it was
    assert load_config(tmp_path).gpu_layers == -1
    code, _, err = run(capsys, "model", "use", str(BUNDLED_MODEL), "--gpu-layers", "-5")
    assert code != 0 and "GPU layers must be" in err
    assert load_config(tmp_path).gpu_layers == -1  # unchanged


def test_the_configured_agent_loads_with_gpu_layers_asked_for_on_a_machine_without_a_gpu(tmp_path):
    from agentwallet.agent import Contact, WalletContext, load_configured_agent

    agent = load_configured_agent(tmp_path, Config(gpu_layers=-1))  # llama.cpp runs on the CPU when there is no GPU
    alice = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
    plan = agent.plan("send 0.01 eth to alice", WalletContext(contacts=(Contact("alice", alice),), tokens=()))
    assert (plan.tool, plan.args) == ("send_native", {"to": alice, "amount_wei": str(10**16)})


def test_model_use_refuses_a_file_that_is_not_gguf(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AGENTWALLET_HOME", str(tmp_path))
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("hello")
    code, _, err = run(capsys, "model", "use", str(bogus))
    assert code != 0 and "not a GGUF model file" in err
    assert load_config(tmp_path).model is None


def test_model_pull_reports_an_unreachable_source_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AGENTWALLET_HOME", str(tmp_path))
    code, _, err = run(capsys, "model", "pull", "http://127.0.0.1:9/model.gguf")
    assert code != 0 and "could not download" in err
    models_dir = tmp_path / "models"
    assert not models_dir.exists() or list(models_dir.iterdir()) == []  # no partial download left
