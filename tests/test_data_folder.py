"""Which data folder kb uses when KB_HOME is not set, and what it says when none exists."""

from __future__ import annotations

from click.testing import CliRunner

from kb import config
from kb.cli import main


def _clear(monkeypatch) -> None:
    for name in ("KB_HOME", "KB_DATABASE_URL", "KB_INDEX_DIR"):
        monkeypatch.delenv(name, raising=False)


def test_kb_home_comes_first(monkeypatch, tmp_path):
    _clear(monkeypatch)
    monkeypatch.setenv("KB_HOME", str(tmp_path / "ailleurs"))
    assert config.home_dir() == (tmp_path / "ailleurs").resolve()


def test_an_instance_folder_of_the_current_directory_comes_next(monkeypatch, tmp_path):
    _clear(monkeypatch)
    (tmp_path / "instance").mkdir()
    monkeypatch.chdir(tmp_path)
    assert config.home_dir() == (tmp_path / "instance").resolve()


def test_from_another_folder_the_checkouts_instance_is_found(monkeypatch, tmp_path):
    _clear(monkeypatch)
    checkout = tmp_path / "checkout"
    (checkout / "instance").mkdir(parents=True)
    monkeypatch.setattr(config, "ROOT", checkout)
    monkeypatch.setattr(config, "IN_CHECKOUT", True)
    monkeypatch.chdir(tmp_path)
    assert config.home_candidates() == [(tmp_path / "instance").resolve(),
                                        (checkout / "instance").resolve()]
    assert config.home_dir() == (checkout / "instance").resolve()


def test_with_no_data_folder_kb_says_where_it_looked(monkeypatch, tmp_path):
    _clear(monkeypatch)
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    monkeypatch.setattr(config, "ROOT", checkout)
    monkeypatch.setattr(config, "IN_CHECKOUT", True)
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(main, ["reindex"])
    assert result.exit_code == 1
    assert "lancez d'abord « kb init »" in result.output
    assert f"dossiers de données cherchés : {elsewhere / 'instance'} puis {checkout / 'instance'}" \
        in result.output
    assert "KB_HOME" in result.output
