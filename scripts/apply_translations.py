#!/usr/bin/env python3
"""Copy the translators' worksheet into the gettext catalogues, as reviewed human translations.

The worksheet ``locales/translations/<slug>.yml`` is a list of entries
``{fr: <msgid>, nl: …, en: …, falc: …}`` in document order, with optional
``<key>_note`` fields (``falc_note``, ``nl_note`` …) that become translator
comments (``# `` lines) on the entry: the justification of an easy-read
warning left in place, or why a passage departs from the letter of the source.

Why a script and not a draft engine: these texts were written and reviewed
by people, so they go in as *reviewed* entries (not fuzzy, no
``lisible-draft`` provenance comment), and the catalogue headers name the
translators. A machine draft already in the catalogue (fuzzy, with a
``lisible-draft`` comment) or an untranslated entry is replaced; a reviewed
entry whose text differs from the worksheet is left alone and reported,
unless ``--overwrite-reviewed`` is given: a translator's work in a catalogue
is never lost silently.

Usage::

    .venv/bin/python scripts/apply_translations.py            # every worksheet, every language
    .venv/bin/python scripts/apply_translations.py --check    # report only, write nothing

Exit status: 0 when every catalogue holds the worksheet's text, 1 otherwise
(a reviewed entry differs, a worksheet msgid is not in the catalogue, or the
catalogue has a unit the worksheet lacks).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from babel.messages.catalog import Catalog, Message  # noqa: E402

from lisible import catalogs, pofile  # noqa: E402
from lisible.config import Config, Language, load_config  # noqa: E402
from lisible.errors import LisibleError  # noqa: E402
from lisible.fsio import source_date_epoch, write_text  # noqa: E402
from lisible.provenance import is_lisible_comment  # noqa: E402

TEAM = "lisible translation team"
WORKSHEET_KEYS = {"nl": "nl", "en": "en", "fr@falc": "falc"}  # catalogue code -> worksheet key


@dataclass(frozen=True)
class Outcome:
    """What happened to one entry of one catalogue."""

    msgid: str
    action: str  # "filled", "replaced-draft", "same", "kept-reviewed", "overwrote-reviewed"
    detail: str = ""


def load_worksheet(path: Path) -> list[dict[str, str]]:
    """The worksheet's entries; each must have ``fr`` and string values."""
    try:
        entries = yaml.safe_load(path.read_text("utf-8")) or []
    except yaml.YAMLError as error:
        raise LisibleError(f"not valid YAML: {error}", path) from None
    if not isinstance(entries, list):
        raise LisibleError("expected a list of entries", path)
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("fr"), str):
            raise LisibleError(f"entry {number} has no `fr` string", path)
    return entries


def short(msgid: str, width: int = 60) -> str:
    """The start of a msgid, quoted, for one-line messages."""
    return f"“{msgid[:width]}{'…' if len(msgid) > width else ''}”"


def notes(entry: Mapping[str, str], key: str) -> list[str]:
    """Translator comments for ``key``: the ``<key>_note`` field, one comment per line."""
    note = entry.get(f"{key}_note") or ""
    return [line.strip() for line in str(note).splitlines() if line.strip()]


def apply_entry(message: Message, text: str, comments: list[str],
                overwrite_reviewed: bool) -> Outcome:
    """Put ``text`` on ``message`` as a reviewed translation, unless that would lose a review."""
    state = catalogs.state_of(message)
    msgid = str(message.id)
    if state is catalogs.State.REVIEWED and message.string == text:
        action = "same"
    elif state is catalogs.State.REVIEWED and not overwrite_reviewed:
        return Outcome(msgid, "kept-reviewed", "the catalogue's reviewed text differs "
                       "from the worksheet; rerun with --overwrite-reviewed to replace it")
    elif state is catalogs.State.REVIEWED:
        action = "overwrote-reviewed"
    else:
        action = "filled" if state is catalogs.State.UNTRANSLATED else f"replaced-{state.value}"
    message.string = text
    message.flags = set(message.flags) - {"fuzzy"}
    message.previous_id = []
    message.auto_comments = [c for c in message.auto_comments if not is_lisible_comment(c)]
    message.user_comments = comments
    return Outcome(msgid, action)


def apply_worksheet(catalog: Catalog, entries: list[dict[str, str]], key: str,
                    overwrite_reviewed: bool) -> tuple[Catalog, list[Outcome], list[str]]:
    """A copy of ``catalog`` holding the worksheet's ``key`` texts, with outcomes and problems."""
    result = copy.deepcopy(catalog)
    outcomes: list[Outcome] = []
    problems: list[str] = []
    by_id = {str(m.id): m for m in result if m.id}
    wanted = {entry["fr"] for entry in entries}
    for entry in entries:
        message = by_id.get(entry["fr"])
        text = entry.get(key)
        if message is None:
            problems.append(f"not in the catalogue: {short(entry['fr'])}")
        elif not text:
            problems.append(f"no `{key}` text in the worksheet for {short(entry['fr'])}")
        else:
            outcomes.append(apply_entry(message, text, notes(entry, key), overwrite_reviewed))
    problems += [f"not in the worksheet: {short(msgid)}" for msgid in by_id if msgid not in wanted]
    return result, outcomes, problems


def header_fields(path: Path, lang: Language, date: str) -> list[tuple[str, str]]:
    """The file's header with the translators' fields set; lisible keeps its own fields."""
    with open(path, "rb") as handle:
        existing = dict(pofile.parse_catalog(handle)[1])
    existing["PO-Revision-Date"] = date
    existing["Last-Translator"] = TEAM
    existing["Language-Team"] = f"{TEAM}, {lang.name} <{lang.code}>"
    return list(existing.items())


def write(path: Path, catalog: Catalog, lang: Language, changed: bool) -> bool:
    """Write the catalogue in lisible's layout; the revision date moves only when text changed."""
    with open(path, "rb") as handle:
        fields = dict(pofile.parse_catalog(handle)[1])
    date = fields.get("PO-Revision-Date", "")
    if changed or not date or date.startswith("YEAR"):
        stamp = source_date_epoch(int(time.time()))
        date = dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%d %H:%M+0000")
    catalog.last_translator = TEAM
    catalog.language_team = f"{TEAM}, {lang.name} <{lang.code}>"
    header = header_fields(path, lang, date)
    text = catalogs.render_catalog(catalog, header, dict(header)["POT-Creation-Date"], False)
    return write_text(path, text)


def run(config: Config, check_only: bool, overwrite_reviewed: bool) -> Iterator[tuple[str, bool]]:
    """Apply every worksheet to every catalogue; yield (report line, is a problem)."""
    sheets = sorted((config.locales_dir / "translations").glob("*.yml"))
    if not sheets:
        yield "no worksheet in locales/translations/", True
    for sheet in sheets:
        entries = load_worksheet(sheet)
        for lang in config.targets:
            key = WORKSHEET_KEYS.get(lang.code)
            path = config.catalog_path(lang, sheet.stem)
            if key is None or not path.exists():
                yield f"{path}: no catalogue (run `python build.py catalogs`)", True
                continue
            catalog, outcomes, problems = apply_worksheet(
                catalogs.read_catalog(path), entries, key, overwrite_reviewed)
            changed = any(o.action not in ("same", "kept-reviewed") for o in outcomes)
            written = False if check_only else write(path, catalog, lang, changed)
            tally: dict[str, int] = {}
            for outcome in outcomes:
                tally[outcome.action] = tally.get(outcome.action, 0) + 1
            summary = ", ".join(f"{n} {action}" for action, n in sorted(tally.items()))
            yield f"{path}: {summary}{' (written)' if written else ''}", False
            for outcome in outcomes:
                if outcome.action in ("kept-reviewed", "overwrote-reviewed"):
                    yield f"{path}: {outcome.action}: {short(outcome.msgid)} {outcome.detail}", \
                        outcome.action == "kept-reviewed"
            for problem in problems:
                yield f"{path}: {problem}", True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder")
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    parser.add_argument("--overwrite-reviewed", action="store_true",
                        help="replace reviewed entries that differ from the worksheet")
    args = parser.parse_args(argv)
    failed = False
    try:
        for line, problem in run(load_config(args.root), args.check, args.overwrite_reviewed):
            print(line, file=sys.stderr if problem else sys.stdout)
            failed = failed or problem
    except LisibleError as error:
        print(error, file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
