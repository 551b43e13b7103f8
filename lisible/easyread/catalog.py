"""The easy-read stage on catalogues: drafts into ``fr@falc``, checks, readability.

The easy-read catalogue is a French variant of the source catalogue, and
drafts go into it exactly like machine-translation drafts: only for units
without a msgstr, fuzzy, with a ``lisible-draft`` comment naming the drafter
and the rules it applied, and the linter's findings as ``lisible-error`` /
``lisible-warning`` comments the reviewer sees in Poedit. Catalogue reading,
merging and writing belong to :mod:`lisible.catalogs`; this module only
computes drafts and findings from messages.

A unit's kind comes from the automatic comment ``lisible-unit: <kind>``
written by the catalogue stage; an entry without one is a paragraph.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lisible.document import Draft, catalogued, unit_kind
from lisible.easyread.draft import ENGINE, DraftResult, Resources, document_definitions, draft
from lisible.easyread.glossary import (
    Glossary,
    abbreviation_glossary,
    abbreviations_from_rows,
    bold_words,
    glossary_from_rows,
    read_rows,
    swaps_from_rows,
)
from lisible.easyread.lint import DEFAULT_CONFIG, LintConfig, LintFinding, lint
from lisible.easyread.pictograms import Pictograms, load_pictograms
from lisible.easyread.pictograms import problems as pictogram_problems
from lisible.easyread.readability import Readability, readability
from lisible.errors import LisibleError

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

    from lisible.config import Config, Language
    from lisible.provenance import Finding
    from lisible.stamps import Memo

PROSE_KINDS = ("paragraph", "item", "quote")
ABBREVIATIONS = "easyread-abbreviations.csv"
CONNECTORS = "easyread-connectors.csv"
WORDS = "easyread-words.csv"


# --- curated lists --------------------------------------------------------------------------


def load_resources(content_dir: Path, slug: str) -> Resources:
    """The curated lists for one document: its glossary, abbreviations, swaps."""
    abbreviations = abbreviations_from_rows(
        read_rows(content_dir / ABBREVIATIONS, ("abbreviation", "expansion", "kind"))
    )
    own = glossary_from_rows(
        read_rows(content_dir / f"{slug}.glossary.csv", ("word", "explanation"))
    )
    return Resources(
        glossary=own.merged(abbreviation_glossary(abbreviations)),
        abbreviations=abbreviations,
        connectors=swaps_from_rows(read_rows(content_dir / CONNECTORS, ("from", "to"), 1)),
        words=swaps_from_rows(read_rows(content_dir / WORDS, ("from", "to"), 1)),
    )


def load_glossary(config: Config, slug: str) -> Glossary:
    """``content/<slug>.glossary.csv``, plus the curated acronyms it does not explain."""
    return load_resources(config.content_dir, slug).glossary


# --- messages ------------------------------------------------------------------------------


def _is_text(message: Message) -> bool:
    return bool(message.id) and isinstance(message.id, str)


def draft_messages(
    messages: Iterable[Message],
    pending: Iterable[Message],
    resources: Resources,
    config: LintConfig = DEFAULT_CONFIG,
) -> dict[tuple[str, str | None], DraftResult]:
    """Drafts for the ``pending`` messages, keyed by ``(msgid, msgctxt)``.

    ``messages`` is the whole catalogue in document order: the document's own
    acronym expansions are taken from every msgid, and an acronym is explained
    only the first time it appears, whether in a draft or in a kept msgstr.
    """
    messages = [m for m in messages if _is_text(m)]
    wanted = {(m.id, m.context) for m in pending if _is_text(m)}
    definitions = document_definitions(m.id for m in messages)
    explained: set[str] = set()
    drafts: dict[tuple[str, str | None], DraftResult] = {}
    for message in messages:
        key = (message.id, message.context)
        if key in wanted and key not in drafts:
            result = draft(
                message.id, unit_kind(message), resources, explained, definitions, config
            )
            drafts[key] = result
            explained.update(result.explained)
        elif isinstance(message.string, str) and message.string:
            explained.update(re.findall(r"^([A-Z][A-Za-z0-9]+)\s:", message.string, re.MULTILINE))
    return drafts


def easy_read_languages(config: Config) -> tuple[Language, ...]:
    """The targets written by the easy-read rules: ``Language.easy_read``, never a code."""
    return tuple(lang for lang in config.targets if lang.easy_read)


def easy_read_language(config: Config) -> Language:
    """The (first) easy-read language, for the commands that report on one."""
    languages = easy_read_languages(config)
    if not languages:
        raise LisibleError("no easy-read language in the configuration "
                           "(a target with easy_read = true)")
    return languages[0]


@dataclass(frozen=True)
class DraftReport:
    """What the easy-read drafter wrote."""

    drafts: int  # entries drafted, in every easy-read catalogue

    def describe(self) -> str:
        return f"{self.drafts} easy-read drafts written"


def draft_all(config: Config, redo_drafts: bool = False) -> DraftReport:
    """Fill the pending entries of every easy-read catalogue with drafts."""
    from lisible import catalogs, stamps
    from lisible.provenance import Provenance

    total = 0
    for lang, slug in ((lang, slug) for lang in easy_read_languages(config)
                       for slug in catalogued(config)):
        path = config.catalog_path(lang, slug)
        if not path.exists():
            continue
        stamp = stamps.Stamp(config.build_dir, "draft", f"{lang.code}/{slug}")
        key = functools.partial(_draft_key, config, path)
        if not redo_drafts and stamp.fresh(key()):
            stamp.done(key)
            continue  # as the last build left it: nothing pending, no spaCy to load
        catalog, read = catalogs.read_catalog_and_digest(path)  # a save meanwhile is kept
        pending = catalogs.pending_messages(catalog, redo_drafts=redo_drafts)
        if not pending:
            stamp.done(key)
            continue
        resources = load_resources(config.content_dir, slug)
        results = draft_messages(list(catalog), pending, resources)
        drafts = {
            key: Draft(
                text=result.text,
                provenance=Provenance(engine=ENGINE, rules=result.rules),
                findings=tuple(f.to_finding() for f in result.findings),
            )
            for key, result in results.items()
        }
        catalogs.write_catalog(path, catalogs.apply_drafts(catalog, drafts), read_digest=read)
        stamp.done(key)
        total += len(drafts)
    return DraftReport(total)


def _draft_key(config: Config, path: Path) -> str:
    """What drafting one easy-read catalogue reads: itself and the editors' lists."""
    from lisible import stamps

    return stamps.key_of([path, *sorted(config.content_dir.glob("easyread-*.csv")),
                          config.content_dir / f"{path.stem}.glossary.csv"],
                         stamps.tools("easyread"))


def check_catalog(
    catalog: Catalog | Iterable[Message],
    glossary: Glossary | None = None,
    config: LintConfig = DEFAULT_CONFIG,
    abbreviations: Iterable[str] = (),
) -> list[tuple[Message, LintFinding]]:
    """Lint every msgstr of an easy-read catalogue; ``line`` is within the msgstr."""
    shorts = tuple(abbreviations)
    found: list[tuple[Message, LintFinding]] = []
    for message in _translated(catalog):
        found += [(message, f) for f in lint(message.string, glossary, config, shorts)]
    return found


def catalog_findings(
    config: Config, slug: str, catalog: Catalog | Iterable[Message]
) -> dict[tuple[str, str | None], list[Finding]]:
    """The easy-read findings of every msgstr, as catalogue findings keyed by (msgid, msgctxt).

    For ``check.annotate_all`` / ``check_all``: the curated lists of ``slug``
    are loaded here, so the caller needs nothing else. Each entry's findings
    depend on that entry and the lists only, so the check may pass only the
    entries it has not linted before.
    """
    resources = load_resources(config.content_dir, slug)
    found: dict[tuple[str, str | None], list[Finding]] = {}
    for message, finding in check_catalog(
        catalog, resources.glossary, abbreviations=resources.short_forms
    ):
        found.setdefault((str(message.id), message.context), []).append(finding.to_finding())
    pictures = load_pictograms(config.content_dir)
    for message in _translated(catalog):
        extra = markup_findings(message.string, resources.glossary, pictures)
        if extra:
            found.setdefault((str(message.id), message.context), []).extend(extra)
    return found


def markup_findings(text: str, glossary: Glossary, pictures: Pictograms) -> list[Finding]:
    """The reviewers' easy-read markup in one msgstr: pictogram markers the editors' list
    has (error otherwise: the picture would be missing), bold words the glossary explains
    (warning otherwise: bold marks an explained word, and nothing would explain it)."""
    from lisible.provenance import Finding

    found = [Finding("FALC-picto", problem) for problem in pictogram_problems(text, pictures)]
    found += [Finding("FALC-explain", f"**{word}** is in bold but the glossary does not "
                      "explain it: add it to the glossary or remove the bold", "warning")
              for word in bold_words(text) if glossary.entry_for(word) is None]
    return found


def _translated(catalog: Catalog | Iterable[Message]) -> Iterator[Message]:
    for message in catalog:
        if _is_text(message) and isinstance(message.string, str) and message.string.strip():
            yield message


# --- readability ------------------------------------------------------------------------------


def catalog_readability(
    catalog: Catalog, glossary: Glossary | None = None, memo: Memo | None = None,
    salt: str = ""
) -> tuple[Readability, Readability | None]:
    """Readability of the prose units' msgids and of their msgstrs (drafts included).

    ``memo`` and ``salt`` (see :func:`~lisible.easyread.lint.lint_counts`): the
    check stage's lines linted before, so only changed lines need spaCy."""
    prose = [m for m in catalog if _is_text(m) and unit_kind(m) in PROSE_KINDS]
    source = readability("\n".join(m.id for m in prose), lint_it=True, glossary=glossary,
                         memo=memo, salt=salt)
    written = [m.string for m in prose if isinstance(m.string, str) and m.string.strip()]
    easy = readability("\n".join(written), lint_it=True, glossary=glossary, memo=memo,
                       salt=salt) if written else None
    return source, easy


def readability_report(config: Config, slug: str) -> tuple[Readability, Readability | None]:
    """Source and easy-read readability of one document, from its easy-read catalogue."""
    from lisible.catalogs import read_catalog  # strict, like status and check: no silent skips

    catalog = read_catalog(config.catalog_path(easy_read_language(config), slug))
    return catalog_readability(catalog, load_glossary(config, slug))


def lint_path(config: Config, path: Path) -> list[tuple[int, LintFinding]]:
    """The findings of one text, Markdown or .po file, each with its line in the file.

    The curated lists are those of the document the file is about
    (``carte-blanche.md`` and ``carte-blanche.po`` are about ``carte-blanche``);
    in a .po file the line is the entry's ``msgid`` line, and each msgstr is linted.
    """
    resources = load_resources(config.content_dir, path.name.split(".")[0])
    try:
        if path.suffix == ".po":
            from lisible.catalogs import read_catalog  # strict: a malformed file says where

            found = check_catalog(read_catalog(path), resources.glossary,
                                  abbreviations=resources.short_forms)
            return [(message.lineno or 0, finding) for message, finding in found]
        text = path.read_text("utf-8")
    except OSError as error:
        raise LisibleError(f"cannot read: {error.strerror}", path) from None
    found_text = lint(text, resources.glossary, abbreviations=resources.short_forms)
    return [(finding.line, finding) for finding in found_text]

