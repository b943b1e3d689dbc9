"""Every command a user can type and every flow is documented in the README, with help text."""

from __future__ import annotations

import pytest
import typer

from danhgia.cli import app
from danhgia.settings import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, object]]:
    commands = [(c.name or c.callback.__name__, c) for c in app.registered_commands]
    commands += [(g.name, g) for g in app.registered_groups]
    return commands


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda x: str(x))
def test_every_command_is_documented_and_has_help(name: str, command: object) -> None:
    assert f"danhgia {name}" in README, name
    if isinstance(command, typer.models.CommandInfo):
        assert (command.callback.__doc__ or command.help or "").strip(), name


@pytest.mark.parametrize(
    "flow_module",
    sorted(p.stem for p in (PROJECT_ROOT / "flows").glob("*.py") if p.stem != "__init__"),
)
def test_every_flow_is_documented(flow_module: str) -> None:
    assert f"flows/{flow_module}.py" in README or f"flows.{flow_module}" in README, flow_module
