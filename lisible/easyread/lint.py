"""The easy-read linter: every rule of the FALC grid that a machine can check.

Rules, their thresholds and sources are those of the reference note
(Inclusion Europe's *Information for all* [IE], the French government's
testable grid *Référentiel … langage simplifié* [RLS], info.gouv.fr [GOUV]):

========== ======================================================= ==============
rule id    what breaks it                                          source
========== ======================================================= ==============
length     a sentence of more than 12 words (warning), 15 (error)  GOUV
one-idea   one finite verb per sentence: more, or none (warning)   RLS 4.1
line       more than one sentence on a line                        RLS 1.7
punct      ``; ( ) [ ] …``, dashes, footnote references            RLS 4.2, 4.4
digits     numbers in words (``deux``), Roman numerals             RLS 5.1
big-numbers percentages, numbers above 1 000 (years excepted)      RLS 5.2
dates      ``dd/mm/yyyy`` dates                                    RLS 5.3
symbols    ``& < > # § + = / @`` … outside links                   RLS 5.4
abbrev     abbreviations; acronyms neither explained nor in the    RLS 6.4; IE 12
           glossary
foreign    a word far more frequent in English than in French      RLS 5.5; IE 11
rare-words a word with Zipf < 4 (wordfreq ``fr``) not in the       RLS 6.7–6.10
           glossary (warning)
verbs      past, imperfect, subjunctive, conditional, present      RLS 7.1
           participle (warning)
negation   ``ne … pas/plus/jamais/rien…`` (warning)                RLS 7.2
passive    passive voice (warning)                                 RLS 7.3
caps       a word in capitals that is not an acronym               RLS 1.2
italics    ``*italics*``                                           RLS 1.6
headings   a heading deeper than level 2, or numbered              RLS 6.6.5
========== ======================================================= ==============

Metaphors, idioms, irony, abstractions, pronoun clarity, consistency of terms
and whether the meaning is kept stay with human reviewers: no rule pretends
to check them. The linter reads inline Markdown (links count as their text)
and whole Markdown files (front matter and code are skipped); ``line`` in a
finding is 1-based within the text given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lisible.easyread import text as T
from lisible.easyread.glossary import Glossary
from lisible.numberwords import FRENCH_IN_WORDS
from lisible.provenance import Finding

if TYPE_CHECKING:
    from lisible.stamps import Memo

SOURCES = {
    "length": "GOUV",
    "one-idea": "RLS 4.1",
    "line": "RLS 1.7",
    "punct": "RLS 4.2, 4.4",
    "digits": "RLS 5.1",
    "big-numbers": "RLS 5.2",
    "dates": "RLS 5.3",
    "symbols": "RLS 5.4",
    "abbrev": "RLS 6.4; IE 12",
    "foreign": "RLS 5.5; IE 11",
    "rare-words": "RLS 6.7–6.10; IE 7–8",
    "verbs": "RLS 7.1",
    "negation": "RLS 7.2",
    "passive": "RLS 7.3",
    "caps": "RLS 1.2",
    "italics": "RLS 1.6",
    "headings": "RLS 6.6.5",
}
RULES = tuple(SOURCES)


@dataclass(frozen=True)
class LintConfig:
    """Every threshold of the linter, in one place; the defaults are the reference note's."""

    warn_words: int = 12  # a sentence longer than this is a warning (GOUV)
    max_words: int = 15  # a sentence longer than this is an error (GOUV)
    max_finite_verbs: int = 1  # one idea per sentence: one finite verb (RLS 4.1)
    rare_zipf: float = 4.0  # words below this wordfreq Zipf need a glossary entry
    foreign_zipf: float = 4.0  # a French Zipf below this and ...
    foreign_margin: float = 0.75  # ... an English Zipf this much higher: a foreign word
    max_number: int = 1000  # numbers above this need a comparison instead (RLS 5.2)
    years: tuple[int, int] = (1000, 2100)  # four-digit numbers in this range read as years
    max_heading_level: int = 2  # at most two levels of headings (RLS 6.6.5)
    disabled: frozenset[str] = field(default_factory=frozenset)  # rule ids to skip


DEFAULT_CONFIG = LintConfig()


@dataclass(frozen=True)
class LintFinding:
    """One broken rule on one line of the text."""

    rule: str  # a rule id of :data:`RULES`
    severity: str  # "error" or "warning"
    message: str
    line: int  # 1-based, within the text given to :func:`lint`

    @property
    def source(self) -> str:
        """Where the rule comes from: ``RLS 4.2``, ``GOUV`` ..."""
        return SOURCES[self.rule]

    @property
    def code(self) -> str:
        """The check code used in catalogue comments: ``FALC-length``."""
        return f"FALC-{self.rule}"

    def to_finding(self) -> Finding:
        """The catalogue's :class:`~lisible.provenance.Finding` for this result."""
        return Finding(self.code, f"line {self.line}: {self.message} ({self.source})",
                       self.severity)

    def describe(self, path: str = "") -> str:
        """``path:line: FALC-rule message (source)``."""
        where = f"{path}:{self.line}: " if path else f"{self.line}: "
        return f"{where}{self.code} {self.message} ({self.source})"


@dataclass(frozen=True)
class _Line:
    number: int
    text: str  # plain text, markers removed
    raw: str  # as written
    heading: int = 0  # heading level, 0 for prose


# --- reading the text ---------------------------------------------------------------------

_BLOCK_MARK = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _lines(text: str) -> Iterator[_Line]:
    """The prose lines of ``text``: front matter, fences and blank lines skipped."""
    lines = text.split("\n")
    skip_until = _front_matter_end(lines)
    fenced = False
    for number, raw in enumerate(lines, start=1):
        if number <= skip_until:
            continue
        if raw.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or not raw.strip():
            continue
        heading = _HEADING.match(raw)
        if heading:
            yield _Line(number, T.plain(heading.group(2)), raw, len(heading.group(1)))
        else:
            yield _Line(number, T.plain(_BLOCK_MARK.sub("", raw, count=1)), raw)


def _front_matter_end(lines: list[str]) -> int:
    if not lines or lines[0].strip() != "---":
        return 0
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            return number
    return 0


# --- rules on the characters of a line ----------------------------------------------------

_PUNCT = re.compile(r"[;()\[\]…]|\.\.\.|\s[–—-]\s|[–—]")
_DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u202f\u00a0.]\d{3})+(?![\d])|(?<![\w.,])\d+")
_PERCENT = re.compile(r"%|\bpour[ -]?cents?\b|\bpourcentage", re.IGNORECASE)
_HUGE = re.compile(r"\b(?:millions?|milliards?)\b", re.IGNORECASE)
_SYMBOLS = re.compile(r"[&<>#§+=/\\@~^|{}$*_]")
_NUMBERING = re.compile(r"^\d+(?:\.\d+)*[a-z]?[.)]?\s")
_DOTTED_ABBREV = re.compile(r"(?<!\w)[a-zA-Zéà]{1,3}\.(?:[ -]?[a-zA-Zéà]{1,3}[.-])+")
_NUMBER_WORDS = FRENCH_IN_WORDS  # lisible.numberwords
_ROMAN = re.compile(
    r"^(?=[MDCLXVI]{2,})M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
    r"(?:e|er|re|ème)?$"
)


def _line_findings(
    line: _Line, sentences: list[str], config: LintConfig, abbreviations: Iterable[str]
) -> Iterator[tuple[str, str, str]]:
    """(rule, severity, message) for the rules that need no parse."""
    raw_no_urls = T.URL.sub(" ", line.raw)
    if len(sentences) > 1:
        yield "line", "error", f"{len(sentences)} sentences on one line: put each on its own line"
    if T.FOOTNOTE_REF.search(raw_no_urls) or raw_no_urls.lstrip().startswith("[^"):
        yield "punct", "error", "footnote: write what it says in a sentence instead"
    if T.ITALICS.search(raw_no_urls):
        yield "italics", "error", "italics: use plain text, or bold for emphasis"
    text = T.URL.sub(" ", T.FOOTNOTE_REF.sub("", line.text))
    marks = sorted({m.group(0).strip() for m in _PUNCT.finditer(text)})
    if marks:
        yield "punct", "error", f"punctuation to avoid: {' '.join(marks)}"
    yield from _number_findings(text, config)
    text = _DATE.sub(" ", text)
    symbols = sorted({m.group(0) for m in _SYMBOLS.finditer(text)})
    if symbols:
        yield "symbols", "error", f"symbols to write in words: {' '.join(symbols)}"
    for short in abbreviations:
        if re.search(rf"(?<!\w){re.escape(short)}(?!\w)", T.normalise(text)):
            yield "abbrev", "error", f"abbreviation {short!r}: write it out"
    for match in _DOTTED_ABBREV.finditer(text):
        if match.group(0) not in abbreviations:
            yield "abbrev", "error", f"abbreviation {match.group(0)!r}: write it out"
    if line.heading > config.max_heading_level:
        yield (
            "headings",
            "error",
            (f"heading level {line.heading}: use at most {config.max_heading_level} levels"),
        )
    if line.heading and _NUMBERING.match(line.text):
        yield "headings", "error", "numbered heading: remove the number"


def _number_findings(text: str, config: LintConfig) -> Iterator[tuple[str, str, str]]:
    if _DATE.search(text):
        yield "dates", "error", "date in figures: write the month in letters (3 mars 2022)"
        text = _DATE.sub(" ", text)
    if _PERCENT.search(text):
        yield "big-numbers", "error", "percentage: use a comparison (1 personne sur 2)"
    if _HUGE.search(text):
        yield "big-numbers", "error", "millions or billions: use a comparison"
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        value = int(digits)
        is_year = (
            len(digits) == 4
            and match.group(0).isdigit()
            and (config.years[0] < value <= config.years[1])
        )
        if value > config.max_number and not is_year:
            limit = f"{config.max_number:,}".replace(",", " ")
            yield "big-numbers", "error", (f"{match.group(0)} is above {limit}: use a comparison")


# --- rules on the parse -------------------------------------------------------------------

_NEGATION_PARTS = frozenset(
    [
        "pas",
        "plus",
        "jamais",
        "rien",
        "personne",
        "aucun",
        "aucune",
        "guère",
        "point",
        "ni",
        "nullement",
    ]
)
_SUBJECT_DEPS = ("nsubj", "expl:subj")


def _token_findings(
    doc, glossary: Glossary, config: LintConfig, explained: frozenset[str]
) -> Iterator[tuple[str, str, str]]:
    """(rule, severity, message) for the rules that need spaCy."""
    yield from _verb_findings(doc, config)
    yield from _negation_findings(doc)
    yield from _word_findings(doc, glossary, config, explained)


def _excerpt(text: str, words: int = 6) -> str:
    """The first words of a sentence, so a reviewer can find it."""
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _verb_findings(doc, config: LintConfig) -> Iterator[tuple[str, str, str]]:
    finite = [
        t
        for t in doc
        if t.pos_ in ("VERB", "AUX")
        and "Fin" in t.morph.get("VerbForm")
        and not t.dep_.startswith("aux")
        and t.dep_ != "cop"
    ]
    if len(finite) > config.max_finite_verbs:
        listed = ", ".join(t.text for t in finite)
        yield "one-idea", "warning", f"{len(finite)} verbs ({listed}): one idea per sentence"
    if _fragment(doc):
        yield "one-idea", "warning", (f"no verb in “{_excerpt(doc.text)}”: write a whole sentence "
                                      "(subject, verb, complement)")
    passive = [t for t in doc if t.dep_ == "aux:pass"]
    for aux in passive:
        yield "passive", "warning", f"passive voice ({aux.text} {aux.head.text}): say who does it"
    for token in doc:
        problem = _tense_problem(token)
        if problem:
            yield "verbs", "warning", f"{problem} ({token.text}): use the present tense"


# The simple past shares its singular forms with the present for verbs in -ir
# (« il aboutit »): only unambiguous endings count.
_SIMPLE_PAST_ENDINGS = ("èrent", "irent", "urent", "âmes", "îmes", "ûmes", "âtes", "îtes", "ûtes")


_FRAGMENT_OPENERS = frozenset(
    [
        "et",
        "ou",
        "mais",
        "ni",
        "à",
        "au",
        "aux",
        "de",
        "du",
        "des",
        "d'",
        "même",
        "pour",
        "avec",
        "sans",
        "en",
        "dans",
        "sur",
        "par",
        "vers",
        "chez",
    ]
)


def _fragment(doc) -> bool:
    """A piece of a sentence: it opens on a conjunction or a preposition and has no verb.

    The small model misses many verbs (« Les gens lisent » as an adverb), so
    a sentence without a verb is only flagged when its first word also says
    it was cut from another one.
    """
    words = [t for t in doc if not t.is_punct]
    if len(words) < 3 or ":" in doc.text or any(t.pos_ in ("VERB", "AUX") for t in doc):
        return False
    return words[0].text.lower().replace("’", "'") in _FRAGMENT_OPENERS


def _tense_problem(token) -> str:
    if token.pos_ not in ("VERB", "AUX"):
        return ""
    morph = token.morph
    form, tense, mood = morph.get("VerbForm"), morph.get("Tense"), morph.get("Mood")
    if "Sub" in mood:
        return "subjunctive"
    if "Cnd" in mood:
        return "conditional"
    if "Fin" in form and "Imp" in tense:
        return "imperfect"
    if "Fin" in form and "Past" in tense and token.text.lower().endswith(_SIMPLE_PAST_ENDINGS):
        return "simple past"
    if "Part" in form and "Pres" in tense:
        return "present participle"
    if (
        "Part" in form
        and "Past" in tense
        and any(c.dep_ in ("aux", "aux:tense") for c in token.children)
    ):
        return "past tense"
    return ""


def _negation_findings(doc) -> Iterator[tuple[str, str, str]]:
    lowered = [t.text.lower() for t in doc]
    for i, word in enumerate(lowered):
        if word in ("ne", "n'"):
            rest = next((w for w in lowered[i + 1 :] if w in _NEGATION_PARTS), "")
            if rest:
                yield "negation", "warning", f"negation (ne … {rest}): say it affirmatively"
                return
    for word in ("pas", "jamais", "non"):
        if word in lowered:
            yield "negation", "warning", f"negation ({word}): say it affirmatively"
            return


def _word_findings(
    doc, glossary: Glossary, config: LintConfig, explained: frozenset[str]
) -> Iterator[tuple[str, str, str]]:

    seen: set[str] = set()
    for token in doc:
        word = token.text
        if not word.isalpha() or word in seen:
            continue
        seen.add(word)
        if _ROMAN.match(word) and (word[-1].islower() or _next_word(doc, token) == "siècle"):
            yield "digits", "error", f"Roman numeral ({word}): write it in digits"
            continue
        if word.isupper() and len(word) >= 2:
            yield from _capitals(word, glossary, explained)
            continue
        low = word.lower()
        if low in _NUMBER_WORDS:
            yield "digits", "error", f"number in words ({word}): write it in digits"
            continue
        if (word[0].isupper() and token.i > 0) or len(word) < 3:
            continue  # a name, or a short word
        yield from _frequency(token, glossary, config)


def _next_word(doc, token) -> str:
    return doc[token.i + 1].text.lower() if token.i + 1 < len(doc) else ""


def _frequency(token, glossary: Glossary, config: LintConfig) -> Iterator[tuple[str, str, str]]:
    """Foreign and rare words. A verb is judged by its lemma: inflected forms are rarer."""
    from wordfreq import zipf_frequency

    word, low, lemma = token.text, token.text.lower(), token.lemma_.lower()
    candidates = [lemma] if token.pos_ in ("VERB", "AUX") else [low, lemma]
    fr = max(zipf_frequency(c, "fr") for c in candidates)
    en = zipf_frequency(low, "en")
    if fr < config.foreign_zipf and en >= fr + config.foreign_margin and en >= config.rare_zipf:
        yield "foreign", "warning", f"foreign word ({word}): use a French word everyone knows"
    elif fr < config.rare_zipf and not (glossary.explains(word) or glossary.explains(lemma)):
        yield (
            "rare-words",
            "warning",
            (f"rare word ({word}, Zipf {fr:.1f}): explain it in the glossary or use a common word"),
        )


def _capitals(
    word: str, glossary: Glossary, explained: frozenset[str]
) -> Iterator[tuple[str, str, str]]:
    from wordfreq import zipf_frequency

    if glossary.explains(word) or word in explained:
        return
    elif len(word) >= 3 and zipf_frequency(word.lower(), "fr") >= 3.0:
        yield "caps", "error", f"word in capitals ({word}): write it in small letters"
    else:
        yield (
            "abbrev",
            "error",
            f"acronym {word} is not explained: explain it or add it to the glossary",
        )


# --- the linter -----------------------------------------------------------------------------

_EXPLANATION = re.compile(r"(?<!\w)([A-Z][A-Z0-9]+)(?:\s*:\s|\s+veut dire\b|\s+\()")


def lint(
    text: str,
    glossary: Glossary | None = None,
    config: LintConfig = LintConfig(),
    abbreviations: Iterable[str] = (),
) -> list[LintFinding]:
    """Check ``text`` (inline Markdown, one sentence per line) against the easy-read rules.

    ``abbreviations`` are short forms to write out (``c.-à-d.``); acronyms
    count as explained when the glossary has them or the text explains them
    itself (``CPAS : centre public d’action sociale.``).
    """
    explained = frozenset(_EXPLANATION.findall(T.normalise(text)))
    return _lint_lines(list(_lines(text)), glossary or Glossary(), config, tuple(abbreviations),
                       explained)


def _lint_lines(lines: list[_Line], glossary: Glossary, config: LintConfig,
                shorts: tuple[str, ...], explained: frozenset[str]) -> list[LintFinding]:
    """The findings of some prose lines of one text (``explained``: its own acronyms).

    A line's findings depend on that line and ``explained`` only, never on the
    other lines: :func:`lint_counts` relies on it to lint only new lines.
    """
    sentences = [T.split_sentences(line.text) for line in lines]
    flat = [s for group in sentences for s in group]
    docs = iter(T.parse(flat) if flat else ())
    findings: list[LintFinding] = []
    for line, group in zip(lines, sentences, strict=True):
        results = list(_line_findings(line, group, config, shorts))
        for sentence in group:
            results += _length(sentence, config)
            if not line.heading:
                results += _token_findings(next(docs), glossary, config, explained)
            else:
                next(docs)
        findings += _dedupe(line.number, results, config)
    return findings


def lint_counts(text: str, glossary: Glossary | None = None, memo: Memo | None = None,
                salt: str = "") -> dict[str, int]:
    """``counts(lint(text, glossary))``, linting only the lines ``memo`` does not know.

    The readability of a document lints all of it, source and easy-read; after
    a translator's save only the lines that changed need spaCy. A line's key
    hashes ``salt`` (whatever else the findings read: the glossary's and
    lisible's versions), the acronyms the whole text explains, and the line;
    its value is ``[errors, warnings]``.
    """
    import hashlib

    from lisible.stamps import Memo

    memo = memo if memo is not None else Memo()
    lines = list(_lines(text))
    explained = frozenset(_EXPLANATION.findall(T.normalise(text)))
    context = "\0".join(["lint-line", salt, *sorted(explained)])
    keys = [hashlib.sha256(f"{context}\1{line.raw}".encode()).hexdigest() for line in lines]
    todo = {key: line for line, key in zip(lines, keys, strict=True)
            if not _is_tally(memo.get(key))}
    by_line: dict[int, list[LintFinding]] = {}
    for finding in _lint_lines(list(todo.values()), glossary or Glossary(), DEFAULT_CONFIG,
                               (), explained):
        by_line.setdefault(finding.line, []).append(finding)
    for key, line in todo.items():
        tally = counts(by_line.get(line.number, ()))
        memo.put(key, [tally["error"], tally["warning"]])
    return {"error": sum(memo.get(key)[0] for key in keys),
            "warning": sum(memo.get(key)[1] for key in keys)}


def _is_tally(value: object) -> bool:
    """``[errors, warnings]`` as :func:`lint_counts` keeps it (a damaged memo is ignored)."""
    return (isinstance(value, list) and len(value) == 2
            and all(type(n) is int and n >= 0 for n in value))


def _length(sentence: str, config: LintConfig) -> list[tuple[str, str, str]]:
    count = len(T.words(T.FOOTNOTE_REF.sub("", sentence)))
    if count > config.max_words:
        return [
            ("length", "error", f"{count} words: split the sentence (at most {config.max_words})")
        ]
    if count > config.warn_words:
        return [
            (
                "length",
                "warning",
                f"{count} words: shorten if you can (at most {config.warn_words})",
            )
        ]
    return []


def _dedupe(
    line: int, results: Iterable[tuple[str, str, str]], config: LintConfig
) -> list[LintFinding]:
    out: dict[tuple[str, str, str], LintFinding] = {}
    for rule, severity, message in results:
        if rule not in config.disabled:
            out.setdefault((rule, severity, message), LintFinding(rule, severity, message, line))
    return list(out.values())


def counts(findings: Iterable[LintFinding]) -> dict[str, int]:
    """``{"error": n, "warning": m}``."""
    tally = {"error": 0, "warning": 0}
    for finding in findings:
        tally[finding.severity] += 1
    return tally
