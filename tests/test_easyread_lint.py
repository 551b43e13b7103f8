"""The easy-read linter: each rule with a sentence that breaks it and one that passes."""

from __future__ import annotations

import pytest

from lisible.easyread import RULES, SOURCES, Glossary, LintConfig, lint
from lisible.easyread.glossary import Entry
from lisible.provenance import Finding

# rule id -> (breaking text, passing text): the same idea, written both ways.
CASES = {
    "length": (
        "Les personnes qui ont des difficultés avec internet vont perdre des droits "
        "importants dans les années qui viennent.",
        "Les personnes vont perdre des droits.",
    ),
    "one-idea": (
        "La commune aide les gens et les gens remercient la commune.",
        "La commune aide les gens.\nLes gens remercient la commune.",
    ),
    "line": ("Le guichet ferme. Les gens attendent.", "Le guichet ferme.\nLes gens attendent."),
    "punct": ("Le guichet ferme (le lundi).", "Le guichet ferme le lundi."),
    "digits": ("Deux personnes attendent.", "2 personnes attendent."),
    "big-numbers": ("La commune aide 15 000 personnes.", "La commune aide 1 personne sur 2."),
    "dates": ("La loi change le 12/03/2024.", "La loi change le 12 mars 2024."),
    "symbols": ("Le papier & le téléphone restent.", "Le papier et le téléphone restent."),
    "abbrev": ("Vous allez au CPAS.", "Vous allez au centre public d’action sociale."),
    "foreign": ("Le shopping prend du temps.", "Les courses prennent du temps."),
    "rare-words": ("La dématérialisation avance.", "Les gens lisent le journal."),
    "verbs": ("Les gens attendaient longtemps.", "Les gens attendent longtemps."),
    "negation": ("Le guichet ne ferme pas.", "Le guichet reste ouvert."),
    "passive": ("Les usagers sont invités par la commune.", "La commune invite les usagers."),
    "caps": ("Le guichet est FERMÉ.", "Le guichet est fermé."),
    "italics": ("Le guichet est *fermé*.", "Le guichet est **fermé**."),
    "headings": ("### 2.4 Le guichet", "## Le guichet"),
}


@pytest.fixture(scope="module", autouse=True)
def model_loaded():
    """Load spaCy once for the module, so each test measures only the linter."""
    lint("Le modèle se charge.")


def rules_of(text: str, **kwargs) -> set[str]:
    return {finding.rule for finding in lint(text, **kwargs)}


def test_every_rule_has_a_case_and_a_source():
    assert set(CASES) == set(RULES)
    assert all(SOURCES[rule] for rule in RULES)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_breaks(rule):
    breaking, _ = CASES[rule]
    assert rule in rules_of(breaking)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_passes(rule):
    _, passing = CASES[rule]
    assert rule not in rules_of(passing)


def test_length_is_a_warning_above_12_and_an_error_above_15():
    thirteen = "Les gens de la commune vont au guichet de la gare tous les jours."
    sixteen = "Les gens de la commune vont au guichet de la gare tous les jours avec leurs papiers."
    (warning,) = [f for f in lint(thirteen) if f.rule == "length"]
    (error,) = [f for f in lint(sixteen) if f.rule == "length"]
    assert (warning.severity, error.severity) == ("warning", "error")


def test_a_sentence_without_a_verb_is_one_idea_missing():
    assert "one-idea" in rules_of("Et en particulier aux exigences d’égalité.")
    assert "one-idea" not in rules_of("Par exemple : le papier, les guichets.")


def test_thresholds_come_from_the_config():
    text = "Les gens de la commune vont au guichet."
    assert "length" not in rules_of(text)
    assert "length" in rules_of(text, config=LintConfig(warn_words=5, max_words=6))


def test_a_rule_can_be_disabled():
    assert "negation" not in rules_of("Le guichet ne ferme pas.",
                                      config=LintConfig(disabled=frozenset({"negation"})))


def test_a_rare_word_in_the_glossary_passes():
    glossary = Glossary((Entry("dématérialisation", "Remplacer le papier par internet."),))
    assert "rare-words" not in rules_of("La dématérialisation avance.", glossary=glossary)


def test_an_acronym_explained_in_the_text_passes():
    text = "Vous allez au CPAS.\nCPAS : centre public d’action sociale."
    assert "abbrev" not in rules_of(text)


def test_written_abbreviations_are_errors():
    assert "abbrev" in rules_of("Il faut des papiers, c.-à-d. une carte.")
    assert "abbrev" in rules_of("Il faut des papiers, etc.", abbreviations=("etc.",))


def test_years_and_small_numbers_pass():
    assert "big-numbers" not in rules_of("En 2022, 2 Bruxellois sur 5 ont besoin d’aide.")


def test_percentages_and_roman_numerals_are_errors():
    assert "big-numbers" in rules_of("La moitié, soit 50 %, attend.")
    assert "digits" in rules_of("Au XXe siècle, les gens écrivent.")


def test_links_and_front_matter_are_not_prose():
    text = '---\ntitle: "Titre (avec parenthèses)"\n---\n\nLe site est <https://example.org/a&b>.\n'
    assert rules_of(text) == set()


def test_finding_lines_count_from_one_in_the_text():
    findings = lint("Le guichet ferme.\n\nLe guichet ne ferme pas.")
    assert {f.line for f in findings if f.rule == "negation"} == {3}


def test_a_finding_becomes_a_catalogue_finding():
    (finding,) = [f for f in lint("Le guichet ne ferme pas.") if f.rule == "negation"]
    converted = finding.to_finding()
    assert isinstance(converted, Finding)
    assert converted.code == "FALC-negation" and converted.severity == "warning"
    assert converted.message.endswith(f"({SOURCES['negation']})")
    assert finding.describe("x.md").startswith("x.md:1: FALC-negation ")
