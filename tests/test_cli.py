"""The command line lives in one place (lisible.cli) and explains itself.

Every registered command, down to ``models install``, answers ``--help`` with
a description and an example, run the way a person runs it: ``python
build.py <command> --help``. The stage modules register nothing and print
nothing of their own; loading the parser loads no heavy library.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from lisible import cli

ROOT = Path(__file__).resolve().parent.parent


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every command path and its parser, groups (``models``) and their actions alike."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from _commands(sub, (*path, name))


COMMANDS = {" ".join(path): sub for path, sub in _commands(cli._parser())}


def test_every_stage_has_its_command() -> None:
    assert {"build", "convert", "catalogs", "status", "check", "translate", "models",
            "models list", "models install", "memory", "memory export", "easyread",
            "easyread lint", "easyread draft", "easyread readability", "pdf",
            "site"} <= set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_has_a_description_and_an_example(command: str) -> None:
    done = subprocess.run([sys.executable, "build.py", *command.split(), "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    description = COMMANDS[command].description or ""
    assert description.split("\n")[0].strip() in done.stdout
    assert len(description.split("\n")[0]) > 20
    assert f"Example:\n  python build.py {command}" in done.stdout, done.stdout


def test_no_stage_module_defines_commands() -> None:
    """Before: ``cmd_*`` and ``add_commands`` in site, pdf, translate, memory and easyread."""
    for path in (ROOT / "lisible").rglob("*.py"):
        if path.name == "cli.py":
            continue
        text = path.read_text("utf-8")
        assert "def cmd_" not in text and "def add_commands" not in text, path


def test_the_parser_loads_no_heavy_library() -> None:
    code = ("import sys; from lisible import cli; cli._parser(); "
            "print(sorted(m for m in ('torch', 'spacy', 'argostranslate', 'ctranslate2', "
            "'typst', 'babel', 'mkdocs') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_easyread_lint_reads_a_catalogue_strictly(tmp_path: Path, capsys) -> None:
    """Before: Babel's lenient reader kept one of two duplicate entries and said nothing."""
    po = tmp_path / "doc.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: fr@falc\\n"\n\nmsgid "Bonjour."\n'
                  'msgstr "Bonjour."\n\nmsgid "Bonjour."\nmsgstr "Salut."\n', "utf-8")
    assert cli.main(["--root", str(tmp_path), "easyread", "lint", str(po)]) == 1
    assert (capsys.readouterr().err.strip()
            == f"{po}:8: error: duplicate message definition 'Bonjour.'")
