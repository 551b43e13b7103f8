"""Checks on translations, reported linter-style: ``file:line: error: CODE message``.

The markup checks protect the published pages: a msgstr may not lose or
invent footnote references or link targets, drop numbers, unbalance
emphasis, or bring raw HTML the source does not have (a catalogue must never
inject markup or script into the site). French variants must follow French
spacing. Each check is a pure function of (msgid, msgstr, language); findings
are also written into the catalogues as automatic comments by the build, so
translators see them in their editor.

Every catalogue also goes through ``msgfmt -c``, GNU gettext's own check
(header, format strings, plural forms, newlines): Weblate and the site's
build tools compile with it, so anything it rejects is reported here too, in
the same ``file:line: error: CODE message`` form editors and CI annotations
parse.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from lisible import catalogs, consistency, safety, stamps, typography
from lisible.config import Config, Language
from lisible.document import catalogued, unit_kind
from lisible.provenance import Finding

_NOTE_REF = re.compile(r"\[\^[^\]\s]+\](?!:)")
_LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^>]*>")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_DEFINITION = re.compile(r"^[ \t]{0,3}\[(?!\^)([^\]\n]+)\]:", re.M)

Check = Callable[[str, str, Language], list[Finding]]


def _links(text: str) -> list[str]:
    return sorted(a or b for a, b in _LINK.findall(text))


def _without_markup(text: str) -> str:
    """Text with URLs and footnote references removed, so their digits are not numbers."""
    return _NOTE_REF.sub(" ", _LINK.sub(" ", text))


def check_notes(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """Footnote references: the same ones (easy-read text has none: notes become sentences)."""
    source, target = sorted(_NOTE_REF.findall(msgid)), sorted(_NOTE_REF.findall(msgstr))
    if lang.easy_read:
        return [Finding("NOTE-REF", f"easy-read text has no footnotes: remove {', '.join(target)}")
                ] if target else []
    if source != target:
        return [Finding("NOTE-REF", f"footnote references {source} in the source, {target} here")]
    return []


def check_links(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """Link targets identical (easy-read may leave some out, never add)."""
    source, target = _links(msgid), _links(msgstr)
    extra = sorted((Counter(target) - Counter(source)).elements())
    missing = sorted((Counter(source) - Counter(target)).elements())
    findings = [Finding("LINK", f"link target not in the source: {url}") for url in extra]
    findings += [Finding("LINK", f"reference definition [{label}]: is shown as text; "
                         "write the link inline, [text](address)")
                 for label in _DEFINITION.findall(msgstr) if not _DEFINITION.search(msgid)]
    if not lang.easy_read:
        findings += [Finding("LINK", f"link target missing: {url}") for url in missing]
    return findings


def check_numbers(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """Every number and year of the source is in the translation."""
    if lang.easy_read:
        return []  # easy-read rewrites numbers (digits for words): checked as facts
    source = Counter(n.replace(",", ".") for n in _NUMBER.findall(_without_markup(msgid)))
    target = Counter(n.replace(",", ".") for n in _NUMBER.findall(_without_markup(msgstr)))
    missing = sorted((source - target).elements())
    return [Finding("NUMBER", f"number {n} of the source is missing") for n in missing]


def check_html(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """No raw HTML unless the source has the same tags."""
    allowed = {name.lower() for _, name in _TAG.findall(msgid)}
    found = sorted({name.lower() for _, name in _TAG.findall(msgstr)} - allowed)
    return [Finding("HTML", f"raw HTML <{name}> is not allowed in a translation") for name in found]


def check_controls(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """No control characters (a NUL byte ...): publication drops them (lisible.safety)."""
    found = sorted({f"U+{ord(c):04X}" for c in safety.CONTROL.findall(msgstr)})
    return [Finding("CONTROL", f"control character {code} is not published") for code in found]


def check_emphasis(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """Emphasis markers come in pairs."""
    stars = len(re.findall(r"(?<!\\)\*", _LINK.sub(" ", msgstr)))
    if stars % 2:
        return [Finding("EMPHASIS", "unbalanced * emphasis marker")]
    return []


def check_identical(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """A translation into another language that is the source unchanged is suspect."""
    if lang.base != "fr" and msgstr.strip() == msgid.strip() and re.search(
            r"[A-Za-zÀ-ÿ]{4}", _without_markup(msgid)):
        return [Finding("IDENTICAL", "the translation is identical to the source", "warning")]
    return []


def check_newlines(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """Like ``msgfmt -c``: a msgstr begins and ends with a newline exactly when its msgid does."""
    findings = []
    for where, test in (("begin", str.startswith), ("end", str.endswith)):
        if test(msgid, "\n") != test(msgstr, "\n"):
            findings.append(Finding("NEWLINE", f"the source and the translation do not both "
                                               f"{where} with a newline"))
    return findings


def check_spacing(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """French variants: U+202F before ; : ! ? and inside « »."""
    if lang.base != "fr":
        return []
    return [Finding("SPACING", problem) for problem in
            typography.spacing_problems(_LINK.sub(" ", msgstr))]


_HEADING_LINE = re.compile(r"^[ \t]*(#{1,6})[ \t]", re.M)


def check_headings(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """Heading lines are easy-read markup (``## Question ?``), at level 2 only; elsewhere a
    translation keeps the source's structure."""
    levels = [len(m) for m in _HEADING_LINE.findall(msgstr)]
    if lang.easy_read:
        return [Finding("HEADING", f"a level-{n} heading: easy-read question headings are "
                        "level 2 (## …)") for n in sorted(set(levels) - {2})]
    if levels and not _HEADING_LINE.search(msgid):
        return [Finding("HEADING", "a heading line (# …) that the source does not have")]
    return []


_ATTRS = re.compile(r"\]\{([^}]*)\}")
_LANG_MARK = re.compile(r"lang=[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def check_lang_marks(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """``[texte]{lang=fr}`` marks a passage in another language; no other attribute."""
    return [Finding("LANG-MARK", f"only a language mark such as {{lang=fr}} is allowed "
                                 f"after [...], not {{{attrs}}}")
            for attrs in _ATTRS.findall(msgstr) if not _LANG_MARK.fullmatch(attrs.strip())]


CHECKS: tuple[Check, ...] = (check_notes, check_links, check_numbers, check_html,
                             check_controls, check_emphasis, check_identical, check_newlines,
                             check_spacing, check_headings, check_lang_marks)


def check_message(msgid: str, msgstr: str, lang: Language) -> list[Finding]:
    """Every markup check on one translation."""
    return [finding for check in CHECKS for finding in check(msgid, msgstr, lang)]


@dataclass(frozen=True)
class Problem:
    """A finding at a place."""

    path: Path
    line: int | None
    finding: Finding

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.finding.severity}: {self.finding.code} {self.finding.message}"


@dataclass(frozen=True)
class Report:
    """Every problem found, in file and line order."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(p.finding.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.finding.severity == "warning" for p in self.problems)

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    def summary(self) -> str:
        return f"{self.errors} error(s), {self.warnings} warning(s)"


NO_TERMS = consistency.Termbase()


def message_findings(message: Message, lang: Language,
                     termbase: consistency.Termbase = NO_TERMS) -> list[Finding]:
    """All findings for one entry: markup, terms and facts, and what its drafter reported."""
    if not message.id or not message.string:
        return []
    msgid, msgstr = str(message.id), str(message.string)
    findings = check_message(msgid, msgstr, lang)
    findings += consistency.findings(termbase, msgid, msgstr, lang,
                                     footnote=unit_kind(message) == "footnote")
    if catalogs.state_of(message) is catalogs.State.DRAFT:
        stored = (Finding.parse(c) for c in message.auto_comments)
        findings += [f for f in stored if f is not None and f.code.startswith("MT-")]
    return findings


def catalog_findings(
    catalog: Catalog | Iterable[Message], lang: Language,
    termbase: consistency.Termbase = NO_TERMS
) -> dict[catalogs.Key, list[Finding]]:
    """Findings of every entry of one catalogue, keyed by (msgid, msgctxt)."""
    return {catalogs.key_of(m): message_findings(m, lang, termbase) for m in catalog if m.id}


Findings = dict[catalogs.Key, list[Finding]]


def _problems(
    relative: Path, catalog: Catalog, findings: dict[catalogs.Key, list[Finding]]
) -> list[Problem]:
    """The findings placed at each entry's msgid line in ``catalog``."""
    return [Problem(relative, message.lineno, finding)
            for message in catalog if message.id
            for finding in findings.get(catalogs.key_of(message), ())]


_NEWLINE_MESSAGE = re.compile(r"do not both (begin|end) with '\\n'")
_MSGFMT_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?:\d+:)? (?P<message>.*)$")


def msgfmt_problems(path: Path, relative: Path) -> list[Problem]:
    """What ``msgfmt -c`` rejects in ``path``, as errors (code ``MSGFMT``).

    Its warnings are left out: they are about header fields a new catalogue
    still has at gettext's defaults, not about a translation.
    """
    try:
        result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)],
                                capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})
    except FileNotFoundError:
        return [Problem(relative, None, Finding(
            "MSGFMT", "msgfmt not found: install GNU gettext for its checks", "warning"))]
    problems = []
    for line in result.stderr.splitlines():
        match = _MSGFMT_LINE.match(line)
        if match is None or match["file"] != str(path):
            continue
        message = match["message"]
        if message.startswith("warning: ") or _NEWLINE_MESSAGE.search(message):
            continue  # header defaults of a new catalogue; newlines: check_newlines says it
        problems.append(Problem(relative, int(match["line"]), Finding("MSGFMT", message)))
    return problems


def check_all(config: Config) -> Report:
    """Check every catalogue; a catalogue that does not parse raises ``CatalogError``.

    Only reads: a catalogue unchanged since the build checked it gives the
    problems that build recorded (:func:`annotate_all`), without linting again.
    """
    problems: list[Problem] = []
    termbase = None
    for path, lang in _catalog_paths(config):
        cached = _check_stamp(config, path).fresh(check_key(config, path, lang))
        if cached is not None:
            problems += [_problem_from(item) for item in cached["problems"]]
            continue
        if termbase is None:
            termbase = consistency.load_termbase(consistency.termbase_path(config))
        catalog = catalogs.read_catalog(path)
        findings = _catalog_findings(config, path, catalog, lang, termbase,
                                     stamps.Memo.load(_memo_path(config, path)),
                                     rules_key(config, lang, path.stem))
        relative = path.relative_to(config.root)
        problems += _problems(relative, catalog, findings) + msgfmt_problems(path, relative)
    return Report(tuple(problems))


def annotate_all(config: Config) -> Report:
    """Write each entry's findings as automatic comments, then report them.

    Translators see the findings in their editor. Linting takes seconds, so a
    file is written only if it is still the one read: a translator's save made
    meanwhile is kept (``CatalogError``). The file is read back only for its
    line numbers, which the new comments shift; nothing is checked twice.

    A catalogue whose bytes, lists and rules are those of its last check is
    not read again: its problems (and, for easy-read, its readability, which
    ``status`` shows) come from its stamp (:mod:`lisible.stamps`), so a
    rebuild loads no spaCy model for catalogues nobody touched. In a catalogue
    that changed, only the entries (and readability lines) that changed are
    linted: the others' findings come from its memo (:func:`_catalog_findings`).
    """
    problems: list[Problem] = []
    termbase = None
    for path, lang in _catalog_paths(config):
        stamp, key = _check_stamp(config, path), functools.partial(check_key, config, path, lang)
        cached = stamp.fresh(key())
        if cached is not None:
            problems += [_problem_from(item) for item in cached["problems"]]
            stamp.done(key, cached)
            continue
        if termbase is None:
            termbase = consistency.load_termbase(consistency.termbase_path(config))
        catalog, read = catalogs.read_catalog_and_digest(path)
        memo, rules = stamps.Memo.load(_memo_path(config, path)), rules_key(config, lang, path.stem)
        findings = _catalog_findings(config, path, catalog, lang, termbase, memo, rules)
        catalogs.write_catalog(path, catalogs.with_findings(catalog, findings), read_digest=read)
        written = catalogs.read_catalog(path)
        relative = path.relative_to(config.root)
        found = _problems(relative, written, findings) + msgfmt_problems(path, relative)
        problems += found
        payload = {"problems": [_problem_to(p) for p in found],
                   "readability": _readability(config, path, written, lang, memo, rules)}
        memo.save(_memo_path(config, path))
        stamp.done(key, payload)
    return Report(tuple(problems))


def _catalog_paths(config: Config) -> Iterator[tuple[Path, Language]]:
    """Every catalogue of every document, with its language, in file order."""
    for slug in catalogued(config):
        for lang in config.targets:
            path = config.catalog_path(lang, slug)
            if path.exists():
                yield path, lang


def _check_stamp(config: Config, path: Path) -> stamps.Stamp:
    return stamps.Stamp(config.build_dir, "check", path.relative_to(config.locales_dir).as_posix())


def _memo_path(config: Config, path: Path) -> Path:
    """``build/.stamps/check-entries/<lang>__<slug>.po.json``: one catalogue's entries' findings."""
    return stamps.Stamp(config.build_dir, "check-entries",
                        path.relative_to(config.locales_dir).as_posix()).path


def rules_key(config: Config, lang: Language, slug: str) -> str:
    """What every entry's findings read besides the entry: the termbase, the editors'
    lists and the document's glossary (easy-read), the language, lisible's code and
    the linter's tools (spaCy, its model, wordfreq's frequencies)."""
    lists = sorted(config.content_dir.glob("easyread-*.csv")) if lang.easy_read else []
    glossary = [config.content_dir / f"{slug}.glossary.csv"] if lang.easy_read else []
    return stamps.key_of([consistency.termbase_path(config), *lists, *glossary], repr(lang),
                         stamps.tools("easyread") if lang.easy_read else "")


def check_key(config: Config, path: Path, lang: Language) -> str:
    """What the check of one catalogue reads: itself, the rules of its entries
    (:func:`rules_key`), and ``msgfmt``."""
    return stamps.key_of([path], rules_key(config, lang, path.stem), stamps.tools("check"))


def cached_readability(config: Config, lang: Language, slug: str) -> dict | None:
    """The easy-read readability the last check recorded, if the catalogue is unchanged since."""
    path = config.catalog_path(lang, slug)
    cached = _check_stamp(config, path).fresh(check_key(config, path, lang))
    return cached.get("readability") if isinstance(cached, dict) else None


def _readability(config: Config, path: Path, catalog: Catalog, lang: Language,
                 memo: stamps.Memo | None = None, rules: str = "") -> dict | None:
    if not lang.easy_read:
        return None
    from lisible import easyread

    glossary = easyread.load_glossary(config, path.stem)
    return easyread.comparison(*easyread.catalog_readability(catalog, glossary, memo, rules))


def _problem_to(problem: Problem) -> list:
    finding = problem.finding
    return [problem.path.as_posix(), problem.line, finding.code, finding.message,
            finding.severity]


def _problem_from(item: list) -> Problem:
    path, line, code, message, severity = item
    return Problem(Path(path), line, Finding(code, message, severity))


def _catalog_findings(config: Config, path: Path, catalog: Catalog, lang: Language,
                      termbase: consistency.Termbase, memo: stamps.Memo | None = None,
                      rules: str = "") -> Findings:
    """The findings of each entry of one catalogue, easy-read rules included.

    Every finding of an entry reads that entry and the rules (``rules``: see
    :func:`rules_key`) only, never another entry, so an entry whose key (the
    rules, its msgctxt, msgid, msgstr, kind and stored drafter findings) is
    in ``memo`` is not linted again: after a translator's save, the easy-read
    linter parses the entries that changed, not the whole catalogue.
    """
    memo = memo if memo is not None else stamps.Memo()
    messages = [m for m in catalog if m.id]
    keys = {catalogs.key_of(m): _entry_key(rules, m) for m in messages}
    found = {key: _entry_from(memo.get(keys[key])) for key in keys}
    todo = [m for m in messages if found[catalogs.key_of(m)] is None]
    own = catalog_findings(todo, lang, termbase)
    easy: Findings = {}
    if lang.easy_read and todo:
        from lisible import easyread

        easy = easyread.catalog_findings(config, path.stem, todo)
    for message in todo:
        key = catalogs.key_of(message)
        found[key] = (own[key], easy.get(key, []))
        memo.put(keys[key], [[_finding_to(f) for f in part] for part in found[key]])
    return {key: [*mine, *extra] for key, (mine, extra) in found.items()}


def _entry_key(rules: str, message: Message) -> str:
    """Everything an entry's findings read: the rules and the entry (its drafter's
    ``MT-`` findings are read back from its comments, so they are part of it)."""
    drafted = [] if catalogs.state_of(message) is not catalogs.State.DRAFT else [
        c for c in message.auto_comments if (f := Finding.parse(c)) and f.code.startswith("MT-")]
    entry = repr((message.context, message.id, message.string, unit_kind(message), drafted))
    return hashlib.sha256(f"check-entry\0{rules}\0{entry}".encode()).hexdigest()


def _finding_to(finding: Finding) -> list[str]:
    return [finding.code, finding.message, finding.severity]


def _entry_from(value: object) -> tuple[list[Finding], list[Finding]] | None:
    """An entry's findings as the memo keeps them; None if absent or damaged."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    parts = []
    for part in value:
        if not isinstance(part, list) or not all(
                isinstance(item, list) and len(item) == 3 and all(isinstance(x, str) for x in item)
                and item[2] in ("error", "warning") for item in part):
            return None
        parts.append([Finding(*item) for item in part])
    return parts[0], parts[1]
