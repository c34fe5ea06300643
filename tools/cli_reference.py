"""Regenerate docs/cli.md from the commands' own --help (tests/test_docs.py checks it is current).

    python tools/cli_reference.py          # rewrite docs/cli.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from storyline.cli import app

OUT = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def render() -> str:
    runner = CliRunner()
    parts = ["# Command reference\n", "Generated from `storyline --help` by `tools/cli_reference.py`; do not edit.\n"]

    def helptext(args: list[str]) -> str:
        res = runner.invoke(app, args + ["--help"], prog_name="storyline", env={"COLUMNS": "100", "TERM": "dumb"}, terminal_width=100)
        return res.output.rstrip()

    parts.append("```\n" + helptext([]) + "\n```\n")
    for name in sorted(get_command(app).commands):
        parts.append(f"## storyline {name}\n\n```\n" + helptext([name]) + "\n```\n")
    return "\n".join(parts)


def main() -> int:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
