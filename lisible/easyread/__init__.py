"""Easy-read French (FALC): a linter, a rule-based drafter and a readability report.

No program writes easy-read text alone. This stage drafts the mechanical
part (short sentences, one per line, no brackets, digits, simpler connectors,
explained acronyms), checks every rule a machine can check, and measures
readability, so the people who write and test easy-read versions spend their
time on meaning. Modules:

- :mod:`~lisible.easyread.lint` the rules, their sources and :class:`LintConfig`
- :mod:`~lisible.easyread.draft` the drafter (substitutions, acronyms, notes)
- :mod:`~lisible.easyread.split` the drafter's sentence splitters
- :mod:`~lisible.easyread.text` one definition of a word and a sentence; spaCy, loaded once
- :mod:`~lisible.easyread.readability` Kandel–Moles, LIX, sentence length, rare words
- :mod:`~lisible.easyread.glossary` the curated CSV lists kept in ``content/``; hard words
  explained beside their first bold use
- :mod:`~lisible.easyread.pictograms` the editors' pictogram list and the reviewers' markers
- :mod:`~lisible.easyread.catalog` drafts into and checks of the ``fr@falc`` catalogue

Commands (``python build.py easyread …``)::

    python build.py easyread draft                  # draft pending fr@falc entries
    python build.py easyread lint build/markdown/fr@falc/carte-blanche-bruxelles-numerique.md
    python build.py easyread readability --json     # source vs easy-read, per document

spaCy and wordfreq are imported on first use, never at import time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from lisible.easyread.catalog import (
    catalog_findings,
    catalog_readability,
    check_catalog,
    draft_all,
    draft_messages,
    easy_read_language,
    easy_read_languages,
    load_glossary,
    load_resources,
    readability_report,
    unit_kind,
)
from lisible.easyread.draft import ENGINE, DraftResult, Resources, draft
from lisible.easyread.glossary import (
    GLOSSARY_HEADING,
    Glossary,
    bold_words,
    explain_first_uses,
    glossary_section,
)
from lisible.easyread.lint import RULES, SOURCES, LintConfig, LintFinding, lint
from lisible.easyread.readability import Readability, comparison, readability, side_by_side
from lisible.errors import LisibleError

if TYPE_CHECKING:
    from lisible.config import Config

__all__ = [
    "ENGINE",
    "GLOSSARY_HEADING",
    "RULES",
    "SOURCES",
    "DraftResult",
    "Glossary",
    "LintConfig",
    "LintFinding",
    "Readability",
    "Resources",
    "add_commands",
    "bold_words",
    "catalog_findings",
    "catalog_readability",
    "check_catalog",
    "comparison",
    "draft",
    "draft_all",
    "draft_messages",
    "easy_read_language",
    "easy_read_languages",
    "explain_first_uses",
    "glossary_section",
    "lint",
    "load_glossary",
    "load_resources",
    "readability",
    "readability_report",
    "side_by_side",
    "unit_kind",
]


def cmd_lint(config: Config, args: argparse.Namespace) -> int:
    """Lint text, Markdown or .po files against the easy-read rules.

    Prints ``file:line: RULE message (source)``; in a .po file the line is the
    entry's ``msgid`` line, and each msgstr is linted.
    """
    errors = warnings = 0
    for name in args.files:
        path = Path(name)
        resources = load_resources(config.content_dir, _slug(path))
        for line, finding in _lint_file(path, resources):
            print(f"{path}:{line}: {finding.code} {finding.message} ({finding.source})")
            errors += finding.severity == "error"
            warnings += finding.severity == "warning"
    print(f"{errors} errors, {warnings} warnings", file=sys.stderr)
    return 1 if errors or (getattr(args, "strict", False) and warnings) else 0


def _lint_file(path: Path, resources: Resources) -> list[tuple[int, LintFinding]]:
    try:
        if path.suffix == ".po":
            from lisible.catalogs import read_catalog  # strict: a malformed file says where

            catalog = read_catalog(path)
            found = check_catalog(catalog, resources.glossary, abbreviations=resources.short_forms)
            return [(message.lineno or 0, finding) for message, finding in found]
        text = path.read_text("utf-8")
    except OSError as error:
        raise LisibleError(f"cannot read: {error.strerror}", path) from None
    found = lint(text, resources.glossary, abbreviations=resources.short_forms)
    return [(finding.line, finding) for finding in found]


def _slug(path: Path) -> str:
    """``carte-blanche.md`` and ``carte-blanche.po`` are about document ``carte-blanche``."""
    return path.name.split(".")[0]


def cmd_draft(config: Config, args: argparse.Namespace) -> int:
    """Draft every pending entry of the easy-read catalogues (fuzzy, with provenance)."""
    count = draft_all(config, redo_drafts=args.redo)
    print(f"{count} easy-read drafts written")
    return 0


def cmd_readability(config: Config, args: argparse.Namespace) -> int:
    """Source vs easy-read readability, per document, from the easy-read catalogues."""
    lang = easy_read_language(config)
    report = {}
    for template in sorted(config.locales_dir.glob("*.pot")):
        slug = template.stem
        if config.catalog_path(lang, slug).exists():
            report[slug] = readability_report(config, slug)
    if args.json:
        print(
            json.dumps(
                {slug: comparison(*pair) for slug, pair in report.items()},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for slug, pair in report.items():
            print(f"{slug}\n{side_by_side(*pair)}\n")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``easyread lint|draft|readability`` on the ``build.py`` command line."""
    parser = sub.add_parser("easyread", help="easy-read French: lint, draft, readability")
    commands = parser.add_subparsers(dest="easyread_command", metavar="ACTION", required=True)
    lint_cmd = commands.add_parser(
        "lint",
        help=cmd_lint.__doc__,
        description=cmd_lint.__doc__ + " Example: python build.py "
        "easyread lint build/markdown/fr@falc/<slug>.md",
    )
    lint_cmd.add_argument("files", nargs="+", help="Markdown or text files")
    lint_cmd.set_defaults(func=cmd_lint)
    draft_cmd = commands.add_parser(
        "draft",
        help=cmd_draft.__doc__,
        description=cmd_draft.__doc__ + " Example: python build.py easyread draft",
    )
    draft_cmd.add_argument(
        "--redo", action="store_true", help="also redraft entries that still hold a drafter's draft"
    )
    draft_cmd.set_defaults(func=cmd_draft)
    read_cmd = commands.add_parser(
        "readability",
        help=cmd_readability.__doc__,
        description=cmd_readability.__doc__ + " Example: python "
        "build.py easyread readability --json",
    )
    read_cmd.add_argument("--json", action="store_true", help="machine-readable output")
    read_cmd.set_defaults(func=cmd_readability)
