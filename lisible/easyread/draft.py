"""The easy-read drafter: rules only, a first draft for a person to rewrite.

It takes one translation unit's msgid (canonical inline Markdown) and returns
one sentence per line. Each rule is named; a draft records the rules that
changed something, and its provenance lists them.

``footnotes``     footnote references are removed (easy-read has no footnotes);
                  a footnote's own text becomes a "Pour en savoir plus" sentence
``italics``       ``*italics*`` become plain text
``abbreviations`` abbreviations are written out (``content/easyread-abbreviations.csv``)
``connectors``    simpler connectors (``content/easyread-connectors.csv``)
``words``         simpler words, only from ``content/easyread-words.csv``
``numbers``       numbers in words become digits (``deux`` → ``2``,
                  ``un Belge sur deux`` → ``1 Belge sur 2``)
``brackets``      a parenthesis becomes a sentence after its own: an acronym's
                  expansion ``EPN : espaces publics numériques.``, a list
                  ``Par exemple : …``, a gloss ``Cela veut dire : …``
``semicolons``    a semicolon ends the sentence
``sources``       ``Selon X, Y.`` → ``Y.`` and ``C’est ce que dit X.``
``concessive``    ``Bien qu’elle soit X, Y.`` → ``Elle est X.`` and ``Mais Y.``
                  (also ``même si``, ``s’il est vrai que`` → ``C’est vrai : …``)
``colons``        ``A : B`` becomes two sentences when B is a clause; in a long
                  sentence a list after a noun becomes ``Ces canaux sont : …``
``participles``   a participle clause at the end becomes a sentence:
                  ``…, entraînant X`` → ``Cela entraîne X.``; ``un projet …,
                  porté par Y`` → ``Ce projet est porté par Y.``
``relatives``     ``NP, qui V X, …`` → ``NP … .`` and ``NP V X.``; in a long
                  sentence ``une voie qui met …`` → ``… une voie.`` and ``Cette
                  voie met …`` (indefinite nouns only: after ``les personnes
                  qui`` the relative restricts the noun and stays);
                  ``des personnes pour qui X`` → ``Pour ces personnes, X``;
                  ``…, dont A`` without a verb → ``Par exemple : A``
``coordination``  two clauses joined by a comma, ``et``, ``mais``, ``car``,
                  ``donc``, ``alors que`` become two sentences (each needs a
                  subject and a finite verb, the first must not be a
                  subordinate clause); a second verb without a subject gets the
                  first one's (``Cette obligation incombe … et n’est pas …``);
                  ``A, mais aussi B`` → ``Il y a aussi B.``
``subordinates``  in a long sentence a cause or a purpose at the end gets its
                  own sentence: ``C’est parce que …``, ``C’est pour …``
``cut``           last resort for a sentence still over 15 words: a cut at the
                  comma nearest its middle (never right after a verb, inside
                  an incise or a list); the linter flags a piece without a verb
``acronyms``      the first time an acronym or name of the curated list appears
                  it is explained in a sentence of its own
``ellipsis``      ``…`` and dashes are removed
``lines``         one sentence per line, each starting with a capital and ending
                  with a full stop

The sentence splitters (``sources`` to ``cut``, except ``semicolons``) live in
:mod:`lisible.easyread.split`.

What rules cannot do stays with people, and the linter's findings on the draft
say where: negations (kept, and flagged), metaphors, abstractions, pronouns,
the order of ideas. The drafter never changes names or figures: it only adds
digits for numbers written in words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lisible import __version__
from lisible.easyread import text as T
from lisible.easyread.glossary import Abbreviation, Glossary, Swap, normalise
from lisible.easyread.lint import DEFAULT_CONFIG, LintConfig, LintFinding, lint
from lisible.easyread.split import SPLITTERS, has_clause
from lisible.numberwords import FRENCH
from lisible.placeholders import mask, unmask
from lisible.typography import french

ENGINE = f"lisible-easyread {__version__}"
SPLIT_KINDS = frozenset({"paragraph", "item", "quote", "description"})
KINDS = SPLIT_KINDS | {"title", "kicker", "heading", "cell", "footnote"}


@dataclass(frozen=True)
class Resources:
    """The curated lists the drafter may use: nothing else is substituted."""

    glossary: Glossary = field(default_factory=Glossary)
    abbreviations: tuple[Abbreviation, ...] = ()
    connectors: tuple[Swap, ...] = ()
    words: tuple[Swap, ...] = ()

    @property
    def short_forms(self) -> tuple[str, ...]:
        """Abbreviations to write out in place, for the linter."""
        return tuple(a.short for a in self.abbreviations if not a.explain)

    def explanation(self, acronym: str) -> str:
        """The curated expansion of an acronym or name, or ""."""
        return next(
            (a.expansion for a in self.abbreviations if a.explain and a.short == acronym), ""
        )


@dataclass(frozen=True)
class DraftResult:
    """A draft and how it was made."""

    text: str  # one sentence per line
    rules_applied: tuple[str, ...]  # rule names, in the order of the module docstring
    findings: tuple[LintFinding, ...]  # the linter on the draft
    explained: tuple[str, ...] = ()  # acronyms explained in this draft

    @property
    def rules(self) -> str:
        """The rules for the provenance comment: ``lines,connectors``, or ``none``."""
        return ",".join(self.rules_applied) or "none"


RULE_ORDER = (
    "footnotes",
    "italics",
    "abbreviations",
    "connectors",
    "words",
    "numbers",
    "brackets",
    "semicolons",
    "concessive",
    "colons",
    "participles",
    "relatives",
    "coordination",
    "subordinates",
    "sources",
    "cut",
    "acronyms",
    "ellipsis",
    "lines",
)


def draft(
    text: str,
    kind: str = "paragraph",
    resources: Resources | None = None,
    explained: Iterable[str] = (),
    definitions: dict[str, str] | None = None,
    lint_config: LintConfig = DEFAULT_CONFIG,
) -> DraftResult:
    """An easy-read draft of one unit.

    ``kind`` is the unit's kind (paragraph, item, quote, description, title,
    kicker, heading, cell, footnote): only prose is split into sentences.
    ``explained`` lists acronyms already explained earlier in the document;
    ``definitions`` are the document's own acronym expansions (see
    :func:`document_definitions`).
    """
    resources = resources or Resources()
    state = _State(resources, set(explained), dict(definitions or {}), limits=lint_config)
    masked, links = mask(text, _LINK)  # links stand aside: their brackets and URLs are not prose
    clean = state.step("footnotes", _strip_footnote_refs, masked)
    clean = state.step(
        "italics", lambda s: T.ITALICS.sub(lambda m: m.group(1) or m.group(2), s), clean
    )
    clean = re.sub(r"[ \u202f\u00a0]+", " ", clean).strip()
    if kind == "footnote":
        state.applied.add("footnotes")
        sentences = _footnote(unmask(clean, links))
    elif kind in SPLIT_KINDS:
        sentences = _sentences(state, clean)
    else:
        sentences = [_substitute(state, clean)]
    finished = [_finish(state, s, prose=kind in SPLIT_KINDS | {"footnote"}) for s in sentences]
    finished = [s for s in finished if s]
    if len(finished) > 1:
        state.applied.add("lines")
    result = unmask("\n".join(finished), links)
    findings = lint(result, resources.glossary, lint_config, resources.short_forms)
    rules = tuple(r for r in RULE_ORDER if r in state.applied)
    new = tuple(sorted(state.explained - set(explained)))
    return DraftResult(result, rules, tuple(findings), new)


@dataclass
class _State:
    """What one draft has done so far: rules applied, acronyms explained."""

    resources: Resources
    explained: set[str]
    definitions: dict[str, str]
    applied: set[str] = field(default_factory=set)
    limits: LintConfig = DEFAULT_CONFIG  # the sentence lengths the splitters aim for

    def step(self, rule: str, func: Callable[[str], str], text: str) -> str:
        out = func(text)
        if out != text:
            self.applied.add(rule)
        return out


_LINK = re.compile(r"\[[^\]^][^\]]*\]\((?:[^()\s]|\([^()\s]*\))*\)|<https?://[^>\s]+>")
def _strip_footnote_refs(text: str) -> str:
    return re.sub(r"\s*" + T.FOOTNOTE_REF.pattern, "", text)


# --- substitutions ------------------------------------------------------------------------


def _substitute(state: _State, text: str) -> str:
    resources = state.resources
    replace = [Swap(a.short, a.expansion) for a in resources.abbreviations if not a.explain]
    text = state.step("abbreviations", lambda s: swap(s, replace), text)
    text = state.step("connectors", lambda s: swap(s, resources.connectors), text)
    text = state.step("words", lambda s: swap(s, resources.words), text)
    return state.step("numbers", numbers_to_digits, text)


def swap(text: str, swaps: Iterable[Swap]) -> str:
    """Apply curated replacements on whole words, keeping a leading capital."""
    before = text
    for item in swaps:
        text = _swap_pattern(item.old).sub(lambda m, new=item.new: _recase(m, new), text)
    return before if text == before else _elide(_tidy(text))


_ELISION = re.compile(
    r"(?<![\w'’])([dDjJlLmMnNsStT]|[qQ]u)e\s+(?=[aeiouyàâéèêëîïôœûüAEIOUYÀÂÉÈÊÎÔ])"
)


def _elide(text: str) -> str:
    """``de augmenter`` → ``d’augmenter``: a swap may put a vowel after ``de``, ``que`` …"""
    return _ELISION.sub(lambda m: m.group(1) + "’", text)


@functools.cache
def _swap_pattern(old: str) -> re.Pattern[str]:
    body = re.escape(normalise(old)).replace("'", "['’]").replace(r"\ ", r"\s+")
    left = r"(?<![\w'’-])" if old[:1].isalnum() else ""
    right = r"(?![\w-])" if old[-1:].isalnum() else ""
    return re.compile(left + body + right, re.IGNORECASE)


def _recase(match: re.Match[str], new: str) -> str:
    found = match.group(0)
    if new and found[-1] in "'’" and new[-1] not in "'’":
        new += " "  # « lorsqu’il » → « quand il »
    if found[:1].isupper() and not found.isupper():
        return new[:1].upper() + new[1:]
    return new


def _tidy(text: str) -> str:
    """Spaces and commas left behind by a deletion or a split."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r"\s:\s*,", " :", text)
    text = re.sub(r"^[,;:]\s*", "", text)
    text = re.sub(r"^(Mais|Et|Donc|Puis|Car|Aussi),\s", r"\1 ", text)
    return text[:1].upper() + text[1:] if text else text


# Single words only: "dix-sept" is read from its parts, like "quatre-vingt-dix".
_UNITS = {word: value for word, value in FRENCH.items() if "-" not in word}
_NUMBER_WORD = re.compile(
    r"(?<![\w'’-])((?:"
    + "|".join(sorted(_UNITS, key=len, reverse=True))
    + r")(?:-(?:et-)?(?:"
    + "|".join(_UNITS)
    + r"))*)(?![\w'’-])",
    re.IGNORECASE,
)
_ONE_IN = re.compile(r"\b(?:(d)['’]|)(un|une)\s+(\w+)\s+sur\s+(\d+)\b", re.IGNORECASE)


def _number_value(words: str) -> int | None:
    """The value of ``vingt-deux``, ``quatre-vingt-dix``, ``deux`` …; None for ``un``."""
    parts = [p for p in words.lower().split("-") if p != "et"]
    if parts in (["un"], ["une"]):
        return None
    total, current = 0, 0
    for value in (_UNITS[p] for p in parts):
        if value == 1000:
            total, current = total + max(current, 1) * 1000, 0
        elif value == 100 or (value == 20 and 1 < current < 10):
            current = max(current, 1) * value
        else:
            current += value
    return total + current


def numbers_to_digits(text: str) -> str:
    """Numbers written in words as digits; ``un X sur 2`` as ``1 X sur 2``."""

    def digits(match: re.Match[str]) -> str:
        value = _number_value(match.group(1))
        return match.group(0) if value is None else str(value)

    text = _NUMBER_WORD.sub(digits, text)
    return _ONE_IN.sub(
        lambda m: f"{'de ' if m.group(1) else ''}1 {m.group(3)} sur {m.group(4)}", text
    )


# --- sentences ------------------------------------------------------------------------------


def _sentences(state: _State, text: str) -> list[str]:
    out: list[str] = []
    for sentence in _balance_quotes(T.split_sentences(text)):
        sentence = _substitute(state, sentence)
        for piece in _balance_quotes(_split_brackets(state, sentence)):
            out += _split_clauses(state, piece)
    return _with_acronyms(state, out)


_BRACKET = re.compile(r"\s*[(\[]([^()\[\]]+)[)\]]")
_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,})(?![\w-])")
_EXAMPLE = re.compile(
    r"^(?:tel(?:le)?s?\s+qu(?:e\s+|['’]\s*)|comme\s+|notamment\s+|par exemple\s*,?\s*)",
    re.IGNORECASE,
)
_GLOSS = re.compile(r"^(?:c['’]est-à-dire|cela veut dire)\s*:?\s*", re.IGNORECASE)


def _split_brackets(state: _State, sentence: str) -> list[str]:
    """The sentence without its parentheses, then one sentence per parenthesis."""
    extras: list[str] = []

    def remove(match: re.Match[str]) -> str:
        extras.append(_bracket_sentence(state, sentence[: match.start()], match.group(1).strip()))
        return ""

    main = _BRACKET.sub(remove, sentence)
    if extras:
        state.applied.add("brackets")
    return [_tidy(main), *extras]


def _bracket_sentence(state: _State, before: str, content: str) -> str:
    acronym = _ACRONYM.search(before.split()[-1]) if before.split() else None
    if acronym and acronym.group(0) == before.split()[-1].strip(",.;:"):
        state.explained.add(acronym.group(1))
        return f"{acronym.group(1)} : {content}"
    content = content.rstrip("… ").removesuffix("etc.").rstrip(", ")
    if _GLOSS.match(content):
        return "Cela veut dire : " + _GLOSS.sub("", content)
    if _EXAMPLE.match(content) or "," in content:
        return "Par exemple : " + _EXAMPLE.sub("", content)
    if has_clause(content):
        return content
    return "Cela veut dire : " + content


def _balance_quotes(sentences: list[str]) -> list[str]:
    """Close a « left open by a split and reopen it on the next sentence."""
    out, carry = [], False
    for sentence in sentences:
        if carry and not sentence.startswith("«"):
            sentence = "« " + sentence
        opened = sentence.count("«") - sentence.count("»")
        carry = opened > 0
        if carry:
            sentence += " »"
        out.append(sentence)
    return out


def _split_clauses(state: _State, sentence: str) -> list[str]:
    """Semicolons, then colons, relatives and coordinations, until nothing changes."""
    if re.match(r"^[A-Z][A-Z0-9]+ : ", sentence):
        return [sentence]  # an acronym's explanation
    parts = [p.strip() for p in sentence.split(";")]
    if len(parts) > 1:
        state.applied.add("semicolons")
    out: list[str] = []
    for part in filter(None, parts):
        out += _split_further(state, _tidy(part))
    return out


def _split_further(state: _State, sentence: str, depth: int = 0) -> list[str]:
    for rule, splitter in SPLITTERS:
        pieces = splitter(sentence, state.limits)
        if pieces and depth < 8:
            state.applied.add(rule)
            return [
                out
                for piece in _balance_quotes([_tidy(p) for p in pieces if p.strip()])
                for out in _split_further(state, piece, depth + 1)
            ]
    return [sentence]


# --- acronyms, footnotes, finishing ---------------------------------------------------------


def document_definitions(texts: Iterable[str]) -> dict[str, str]:
    """Acronyms the document expands itself: ``EPN (espaces publics numériques)``."""
    found: dict[str, str] = {}
    for text in texts:
        for match in re.finditer(r"(?<![\w-])([A-Z][A-Z0-9]+)\s*\(([^()]+)\)", text):
            found.setdefault(match.group(1), match.group(2).strip())
        for match in re.finditer(r"([\w’' -]{6,}?)\s*\(([A-Z][A-Z0-9]+)\)", text):
            found.setdefault(match.group(2), match.group(1).strip())
    return found


def _with_acronyms(state: _State, sentences: list[str]) -> list[str]:
    """After the sentence where an acronym first appears, a sentence that explains it."""
    out: list[str] = []
    for sentence in sentences:
        out.append(sentence)
        if re.match(r"^[A-Z][A-Z0-9]+ : ", sentence):
            continue
        for name in _names(sentence):
            meaning = state.definitions.get(name) or state.resources.explanation(name)
            if meaning and name not in state.explained:
                state.explained.add(name)
                state.applied.add("acronyms")
                out.append(f"{name} : {meaning}")
    return out


def _names(sentence: str) -> list[str]:
    names = _ACRONYM.findall(sentence)
    names += re.findall(r"(?<![\w-])([A-Z][a-zé]+)(?![\w-])", sentence)
    return list(dict.fromkeys(names))


def _footnote(text: str) -> list[str]:
    """A footnote becomes "Pour en savoir plus : …" and its links, one per line."""
    links = re.findall(r"<https?://[^>\s]+>", text)
    body = T.URL.sub("", text)
    body = re.sub(r"\s+:\s+", ", ", body)
    body = re.sub(r"[\s,;.]+$", "", re.sub(r"\s+,", ",", body)).strip()
    lines = [f"Pour en savoir plus : {body}"] if body else []
    return lines + links


def _finish(state: _State, sentence: str, prose: bool) -> str:
    """Remove ellipses and dashes; capital first, full stop last; French spacing."""
    out = state.step(
        "ellipsis", lambda s: re.sub(r"\s*(?:…|\.\.\.)|\s+[–—]\s+|[–—]", " ", s), sentence
    )
    out = _tidy(out)
    if prose and out and not out.startswith("<"):
        if re.search(r"[.!?]\s*»$", out) or out[-1] in ".!?":
            pass
        else:
            out = out.rstrip(",:") + "."
    return french(out)
