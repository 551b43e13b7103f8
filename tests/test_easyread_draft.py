"""The easy-read drafter: golden cases per transformation, and what it must never change.

Golden cases live in ``tests/golden/easyread/``: ``<case>.fr.txt`` (a unit's
msgid, canonical Markdown) beside ``<case>.expect.txt`` (the draft). A case
named ``<rule>`` or ``<rule>-<variant>`` must apply that rule; ``kept-*`` cases
show what the drafter must leave alone. Refresh with ``make golden`` and
review the diff.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lisible.easyread import Resources, draft, lint
from lisible.easyread.draft import RULE_ORDER, document_definitions
from lisible.easyread.glossary import (
    abbreviation_glossary,
    abbreviations_from_rows,
    parse_rows,
    swaps_from_rows,
)
from lisible.segment import extract

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "golden" / "easyread"
KINDS = {"footnotes-body": "footnote", "title": "title"}

# Fixed curated lists, so that an editor's change in content/ does not move the golden files.
ABBREVIATIONS = """abbreviation,expansion,kind
par ex.,par exemple,replace
CPAS,le centre public d’action sociale,explain
"""
CONNECTORS = """from,to
cependant,mais
lorsque,quand
en effet,
"""
WORDS = """from,to
digital,numérique
"""


@pytest.fixture(scope="module")
def resources() -> Resources:
    abbreviations = abbreviations_from_rows(
        parse_rows(ABBREVIATIONS, ("abbreviation", "expansion", "kind")))
    return Resources(
        glossary=abbreviation_glossary(abbreviations),
        abbreviations=abbreviations,
        connectors=swaps_from_rows(parse_rows(CONNECTORS, ("from", "to"), required=1)),
        words=swaps_from_rows(parse_rows(WORDS, ("from", "to"))),
    )


def case_names() -> list[str]:
    return sorted(p.name.removesuffix(".fr.txt") for p in CASES.glob("*.fr.txt"))


@pytest.mark.parametrize("case", case_names())
def test_golden(case, resources, golden):
    source = (CASES / f"{case}.fr.txt").read_text("utf-8").strip()
    result = draft(source, KINDS.get(case, "paragraph"), resources,
                   definitions=document_definitions([source]))
    golden(CASES / f"{case}.expect.txt", result.text + "\n")
    rule = case.split("-")[0]
    if rule in RULE_ORDER:
        assert rule in result.rules_applied


def test_every_rule_has_a_golden_case():
    covered = {name.split("-")[0] for name in case_names()}
    assert set(RULE_ORDER) <= covered


def test_a_draft_has_one_sentence_per_line_and_no_forbidden_punctuation(resources):
    source = ("Cette ordonnance, qui a la même force qu’une loi, impose des services en ligne "
              "(telles que les communes) ; le guichet ferme.")
    result = draft(source, "paragraph", resources)
    assert "\n" in result.text
    assert not {f.rule for f in result.findings} & {"line", "punct"}
    assert not re.search(r"[;()\[\]]", result.text)


def test_title_is_kept_on_one_line(resources):
    result = draft("Les guichets ferment ; les gens attendent", "title", resources)
    assert "\n" not in result.text


def test_an_acronym_is_explained_once_per_document(resources):
    first = draft("Vous allez au CPAS.", "paragraph", resources)
    second = draft("Le CPAS vous aide.", "paragraph", resources, explained=first.explained)
    assert first.explained == ("CPAS",) and "CPAS :" in first.text.replace("\u202f", " ")
    assert "CPAS :" not in second.text.replace("\u202f", " ")


# --- what the drafter must never change ----------------------------------------------------


def carte_blanche_units():
    """The units of the carte blanche's canonical Markdown (the reviewed golden file)."""
    markdown = ROOT / "tests" / "golden" / "convert" / "carte-blanche-bruxelles-numerique.expect.md"
    return [(u.text, u.kind) for u in extract(markdown.read_text("utf-8"))]


def figures(text: str) -> Counter:
    """Digit groups outside links and footnote references."""
    text = re.sub(r"<https?://[^>]+>|\[\^[^\]]+\]", " ", text)
    return Counter(re.findall(r"\d+", text))


def names(text: str) -> set[str]:
    """Capitalised words that do not open a sentence: names, places, acronyms."""
    text = re.sub(r"<https?://[^>]+>", " ", text)
    found = set()
    for sentence in re.split(r"(?<=[.!?:»])\s+", text):
        words = re.findall(r"[\w’'-]+", sentence)
        found |= {w for w in words[1:] if w[:1].isupper()}
    return found


def test_numbers_and_names_are_kept_on_the_carte_blanche(resources):
    units = carte_blanche_units()
    assert len(units) >= 9
    for source, kind in units:
        result = draft(source, kind, resources)
        before, after = figures(source), figures(result.text)
        assert not before - after, f"figures lost in {source!r}: {before - after}"
        lost = {n for n in names(source) if n not in result.text}
        assert not lost, f"names lost in {source!r}: {lost}"


def test_numbers_in_words_become_digits_without_touching_other_figures(resources):
    result = draft("Les articles 10 et 11 protègent deux Bruxellois sur cinq depuis 2022.",
                   "paragraph", resources)
    assert figures(result.text) == Counter(["10", "11", "2", "5", "2022"])


@pytest.mark.parametrize("sentence", [
    "Le guichet ne ferme pas le lundi.",
    "Ces associations ne sont pas mandatées pour ce travail.",
    "Elle ne doit jamais être une privation de droits.",
])
def test_negations_are_kept_and_flagged(sentence, resources):
    result = draft(sentence, "paragraph", resources)
    kept = re.findall(r"\b(?:ne|n’|pas|jamais)\b", result.text)
    assert kept == re.findall(r"\b(?:ne|n’|pas|jamais)\b", sentence)
    assert "negation" in {f.rule for f in result.findings}


def test_findings_are_the_linter_on_the_draft(resources):
    result = draft("Le guichet ne ferme pas. Les gens attendent dehors.", "paragraph", resources)
    assert result.findings == tuple(lint(result.text, resources.glossary,
                                         abbreviations=resources.short_forms))


# --- the same promise on generated sentences ---------------------------------------------

SUBJECTS = ["Les usagers", "Cette ordonnance", "Le ministre Clerfayt", "Actiris", "Les communes",
            "Le CPAS de Molenbeek", "Une association"]
VERBS = ["aide", "demande", "ferme", "impose", "propose", "refuse", "attend"]
COMPLEMENTS = ["{n} personnes", "les guichets de {n} communes", "une aide en {n}",
               "le formulaire numéro {n}", "deux Bruxellois sur cinq", "l’article {n}"]
JOINS = [" et ", ", mais ", " ; ", ", qui aide {n} familles, ", " (depuis {n}) ", " : "]


@st.composite
def sentences(draw):
    def part(template):
        return template.format(n=draw(st.integers(min_value=0, max_value=5000)))

    clauses = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        clauses.append(f"{draw(st.sampled_from(SUBJECTS))} {draw(st.sampled_from(VERBS))} "
                       f"{part(draw(st.sampled_from(COMPLEMENTS)))}")
    text = clauses[0]
    for clause in clauses[1:]:
        text += part(draw(st.sampled_from(JOINS))) + clause[0].lower() + clause[1:]
    return text + "."


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sentence=sentences())
def test_generated_sentences_keep_their_figures_and_names(sentence, resources):
    result = draft(sentence, "paragraph", resources)
    assert not figures(sentence) - figures(result.text), result.text
    lost = {n for n in names(sentence) | {"Clerfayt", "Actiris", "Molenbeek", "CPAS"}
            if n in sentence and n not in result.text}
    assert not lost, result.text


def test_the_limits_passed_to_draft_are_the_ones_the_splitters_use():
    """Before: the splitters built ``LintConfig()`` themselves, so these limits were ignored."""
    from lisible.easyread.lint import LintConfig

    text = ("Le gouvernement veut que les administrations bruxelloises communiquent uniquement "
            "par internet avec les habitants parce que cela coûte moins cher à la Région.")
    assert "subordinates" in draft(text).rules
    generous = draft(text, lint_config=LintConfig(warn_words=60, max_words=80))
    assert generous.text == text and "subordinates" not in generous.rules
