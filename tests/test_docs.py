"""Docs are tested: every command and setting is documented, the README keeps its two commands."""

import re
from dataclasses import fields
from pathlib import Path

from typer.testing import CliRunner

from storyline.cli import app
from storyline.config import SETTINGS_HELP, Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands():
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)


def test_readme_starts_with_make_demo_and_make_test():
    block = re.search(r"```\n(.*?)```", README, re.S).group(1)
    lines = [ln.split("#")[0].strip() for ln in block.strip().splitlines()]
    assert lines == ["make demo", "make test"]


def test_every_command_is_in_readme_and_has_help():
    runner = CliRunner()
    for name in _commands():
        assert f"storyline {name}" in README, f"README does not document `storyline {name}`"
        res = runner.invoke(app, [name, "--help"])
        assert res.exit_code == 0, res.output
        assert "--db" in res.output


def test_every_setting_has_help():
    assert {f.name for f in fields(Settings)} == set(SETTINGS_HELP)


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_exit_codes_documented_in_help_and_readme():
    res = CliRunner().invoke(app, ["--help"])
    assert "Exit codes" in res.output
    for code in "01234":
        assert f"| {code} |" in README


def test_cli_reference_is_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "tools" / "cli_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == mod.render(), (
        "docs/cli.md is stale: run `python tools/cli_reference.py`"
    )
