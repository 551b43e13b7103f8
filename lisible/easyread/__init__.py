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

Commands (``python build.py easyread …``, in :mod:`lisible.cli`)::

    python build.py easyread draft                  # draft pending fr@falc entries
    python build.py easyread lint build/markdown/fr@falc/carte-blanche-bruxelles-numerique.md
    python build.py easyread readability --json     # source vs easy-read, per document

spaCy and wordfreq are imported on first use, never at import time.
"""

from __future__ import annotations

from lisible.easyread.catalog import (
    DraftReport,
    catalog_findings,
    catalog_readability,
    check_catalog,
    draft_all,
    draft_messages,
    easy_read_language,
    easy_read_languages,
    lint_path,
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

__all__ = [
    "ENGINE",
    "GLOSSARY_HEADING",
    "RULES",
    "SOURCES",
    "DraftReport",
    "DraftResult",
    "Glossary",
    "LintConfig",
    "LintFinding",
    "Readability",
    "Resources",
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
    "lint_path",
    "load_glossary",
    "load_resources",
    "readability",
    "readability_report",
    "side_by_side",
    "unit_kind",
]
