"""`agentwallet model`: the bundled model, a GGUF the user brings, and clear errors."""

from __future__ import annotations

from agentwallet.cli import main
from agentwallet.config import load_config
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
    assert out == f"using {mine}\n"


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
