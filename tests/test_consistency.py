"""Termbase (TERM) and fact (FACT) checks between a source unit and its translation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from lisible.config import Language, config_from_dict
from lisible.consistency import (
    Termbase,
    detected_names,
    fact_findings,
    findings,
    load_termbase,
    numbers,
    parse_termbase,
    term_findings,
)
from lisible.errors import LisibleError

ROOT = Path(__file__).resolve().parent.parent
TERMS = ROOT / "locales" / "terms.csv"
WORKSHEET = ROOT / "locales" / "translations" / "carte-blanche-bruxelles-numerique.yml"

LANG = {lang.code: lang for lang in config_from_dict(ROOT, {}).languages}
LANG["de"] = Language(code="de", tag="de-DE", name="Deutsch", path="de")

SMALL = parse_termbase(
    "fr,nl,en,fr@falc,note\n"
    "guichet,loket,counter,guichet,\n"
    "démarche,procedure,procedure,démarche,\n"
    "accompagnement,begeleiding,support,aide,\n"
    "Baromètre de l’inclusion numérique,Barometer Digitale Inclusie,"
    "Digital Inclusion Barometer,Baromètre de l’inclusion numérique,name: a report\n"
    "Fondation Roi Baudouin,Koning Boudewijnstichting,King Baudouin Foundation,"
    "Fondation Roi Baudouin,name: a foundation\n"
    "non-recours aux droits,non-take-up van rechten,non-take-up of rights,,\n"
)


def codes(results):
    return [f.code for f in results]


# --- termbase file ---------------------------------------------------------------------------

def test_the_project_termbase_loads_with_every_language():
    termbase = load_termbase(TERMS)
    assert len(termbase.terms) >= 15
    cpas = next(t for t in termbase.terms if t.source == ("CPAS",))
    assert cpas.target("nl") == ("OCMW",)
    assert cpas.is_name


def test_a_missing_termbase_is_empty(tmp_path):
    assert load_termbase(tmp_path / "terms.csv") == Termbase(path=str(tmp_path / "terms.csv"))


def test_a_termbase_without_header_is_refused():
    with pytest.raises(LisibleError, match="header"):
        parse_termbase("guichet,loket,counter,guichet,\n")


def test_a_row_with_too_many_cells_names_its_line():
    with pytest.raises(LisibleError) as error:
        parse_termbase("fr,nl,en,fr@falc,note\nguichet,loket,counter,guichet,,extra\n", "t.csv")
    assert error.value.line == 2


def test_alternatives_are_split_on_bars():
    termbase = parse_termbase("fr,nl,en,fr@falc,note\ncommune,gemeente,municipality|borough,,\n")
    assert termbase.terms[0].target("en") == ("municipality", "borough")
    assert termbase.terms[0].target("fr@falc") == ()


# --- TERM ------------------------------------------------------------------------------------

def test_a_source_term_needs_its_agreed_translation():
    result = term_findings(SMALL, "Le guichet ferme.", "The desk closes.", LANG["en"])
    assert codes(result) == ["TERM"]
    assert result[0].severity == "error"
    assert "counter" in result[0].message


def test_the_agreed_translation_satisfies_the_check():
    assert term_findings(SMALL, "Le guichet ferme.", "The counter closes.", LANG["en"]) == []


def test_french_plurals_of_the_source_term_match():
    found = term_findings(SMALL, "Les guichets ferment.", "Desks close.", LANG["en"])
    assert codes(found) == ["TERM"]


def test_target_inflections_are_accepted():
    assert term_findings(SMALL, "Les guichets ferment.", "De loketten sluiten.", LANG["nl"]) == []


def test_source_terms_match_whole_words_only():
    assert term_findings(SMALL, "Le guichetier sourit.", "The clerk smiles.", LANG["en"]) == []


def test_matching_ignores_case_and_apostrophe_style():
    msgid = "Le NON-RECOURS aux droits augmente."
    assert codes(term_findings(SMALL, msgid, "Rights go unclaimed.", LANG["en"])) == ["TERM"]
    assert term_findings(SMALL, msgid, "Non-take-up of rights rises.", LANG["en"]) == []


def test_dutch_compounds_contain_the_term():
    msgid = "une stratégie d’accompagnement pour les démarches en ligne"
    msgstr = "een begeleidingsstrategie voor onlineprocedures"
    assert term_findings(SMALL, msgid, msgstr, LANG["nl"]) == []


def test_english_does_not_accept_a_term_buried_in_a_word():
    result = term_findings(SMALL, "un accompagnement", "an unsupportive answer", LANG["en"])
    assert codes(result) == ["TERM"]


def test_untranslated_entries_and_unknown_languages_are_not_checked():
    assert term_findings(SMALL, "Le guichet ferme.", "", LANG["en"]) == []
    assert term_findings(SMALL, "Le guichet ferme.", "Der Schalter schließt.", LANG["de"]) == []


def test_an_empty_target_cell_means_no_agreed_term():
    msgid = "le non-recours aux droits"
    falc = "des personnes ne demandent pas d’aide"
    assert term_findings(SMALL, msgid, falc, LANG["fr@falc"]) == []


def test_names_are_left_to_the_fact_check():
    msgid = "selon la Fondation Roi Baudouin"
    assert term_findings(SMALL, msgid, "according to the foundation", LANG["en"]) == []
    assert codes(fact_findings(msgid, "according to the foundation", LANG["en"], SMALL)) == ["FACT"]


# --- FACT: numbers ---------------------------------------------------------------------------

def test_a_lost_number_is_a_fact_error():
    result = fact_findings("les articles 10 et 11 de la Constitution",
                           "Article 10 of the Constitution", LANG["en"])
    assert codes(result) == ["FACT"]
    assert "11" in result[0].message


def test_number_words_count_as_their_digits_across_languages():
    msgid = "deux personnes sur cinq"
    assert fact_findings(msgid, "twee personen op vijf", LANG["nl"]) == []
    assert fact_findings(msgid, "two people in five", LANG["en"]) == []
    assert fact_findings(msgid, "2 personnes sur 5", LANG["fr@falc"]) == []
    assert codes(fact_findings(msgid, "2 personnes sur 3", LANG["fr@falc"])) == ["FACT"]


def test_the_article_un_is_not_a_number():
    assert numbers("près d’un Belge sur deux", "fr") == {2: 1}


def test_footnote_references_and_urls_hold_no_numbers():
    assert numbers("en 2022[^1], voir <https://example.org/page-7>", "fr") == {2022: 1}


def test_a_translation_keeps_every_occurrence_of_a_number():
    msgid = "une personne sur deux et deux personnes sur cinq"
    assert codes(fact_findings(msgid, "one in two and one in five", LANG["en"])) == ["FACT"]
    assert fact_findings(msgid, "1 personne sur 2, et 2 sur 5", LANG["fr@falc"]) == []


def test_a_name_inside_a_url_does_not_count():
    msgid = "le texte de Bernard Clerfayt, <https://clerfayt.brussels/fr/x>"
    result = fact_findings(msgid, "le texte, <https://clerfayt.brussels/fr/x>", LANG["fr@falc"])
    assert [f.message for f in result] == ["the name “Bernard” is missing",
                                           "the name “Clerfayt” is missing"]


# --- FACT: URLs ------------------------------------------------------------------------------

FOOTNOTE = "Baromètre, Bruxelles : Fondation Roi Baudouin, 2022, <https://kbs-frb.be/fr/b-2022>"


def test_a_lost_url_is_a_fact_error():
    msgstr = "Digital Inclusion Barometer, Bruxelles: King Baudouin Foundation, 2022"
    result = fact_findings(FOOTNOTE, msgstr, LANG["en"], SMALL)
    assert ["https://kbs-frb.be/fr/b-2022" in f.message for f in result] == [True]


def test_an_easy_read_footnote_may_drop_its_url_but_nothing_else():
    falc = "Pour en savoir plus, lisez le Baromètre de la Fondation Roi Baudouin de 2022."
    assert fact_findings(FOOTNOTE, falc + " Il est à Bruxelles.", LANG["fr@falc"], SMALL) == []
    assert codes(fact_findings(FOOTNOTE, falc, LANG["fr@falc"], SMALL)) == ["FACT"]  # Bruxelles


def test_easy_read_leniency_comes_from_the_language_not_from_its_code():
    """Before: ``"@falc" in lang_code``, so an easy-read language coded otherwise got none."""
    easy = Language(code="fr_EASY", tag="fr-BE", name="Facile", path="easy", easy_read=True)
    falc = "Pour en savoir plus, lisez le Baromètre de la Fondation Roi Baudouin de 2022."
    assert fact_findings(FOOTNOTE, falc + " Il est à Bruxelles.", easy, SMALL) == []
    plain = Language(code="fr@falc", tag="fr-BE", name="Français", path="x", easy_read=False)
    assert codes(fact_findings(FOOTNOTE, falc + " Il est à Bruxelles.", plain, SMALL)) == ["FACT"]


def test_an_easy_read_paragraph_keeps_its_urls():
    msgid = "Voir le site <https://example.org/> pour la suite du texte."
    result = fact_findings(msgid, "Le site explique la suite.", LANG["fr@falc"], footnote=False)
    assert codes(result) == ["FACT"]


# --- FACT: names -----------------------------------------------------------------------------

def test_detected_names_are_capitalised_words_inside_sentences():
    text = "Selon Bernard Clerfayt, le CPAS aide. « Pas question » dit-il."
    assert detected_names(text) == ["Bernard", "Clerfayt", "CPAS"]


def test_a_lost_name_is_a_fact_error():
    result = fact_findings("un texte de Bernard Clerfayt", "a text by the minister", LANG["en"])
    assert [f.message for f in result] == ["the name “Bernard” is missing",
                                           "the name “Clerfayt” is missing"]


def test_termbase_names_must_take_their_official_form():
    msgid = "Selon la Fondation Roi Baudouin, deux personnes sur cinq"
    ok = "Volgens de Koning Boudewijnstichting twee personen op vijf"
    assert fact_findings(msgid, ok, LANG["nl"], SMALL) == []
    wrong = "Volgens de Stichting Koning Boudewijn twee personen op vijf"
    assert codes(fact_findings(msgid, wrong, LANG["nl"], SMALL)) == ["FACT"]


@given(st.text(alphabet=st.sampled_from(list("abcAB CXé12 ,.«»[^]<>:/-’\n")), max_size=80))
def test_a_unit_left_as_it_is_keeps_every_fact(text):
    assert fact_findings(text, text, LANG["fr@falc"]) == [] or not text.strip()


# --- the carte blanche's reviewed translations ------------------------------------------------

@pytest.mark.skipif(not WORKSHEET.exists(), reason="no translators' worksheet")
def test_the_worksheet_agrees_with_the_termbase_and_keeps_every_fact():
    termbase = load_termbase(TERMS)
    entries = yaml.safe_load(WORKSHEET.read_text("utf-8"))
    problems = [
        (entry["fr"][:40], code, finding.message)
        for entry in entries
        for key, code in (("nl", "nl"), ("en", "en"), ("falc", "fr@falc"))
        for finding in findings(termbase, entry["fr"], entry[key], LANG[code])
    ]
    assert problems == []


@pytest.mark.skipif(not WORKSHEET.exists(), reason="no translators' worksheet")
@pytest.mark.parametrize(("key", "code", "old", "new", "expected"), [
    ("nl", "nl", "OCMW", "CPAS", "FACT"),
    ("en", "en", "Articles 10 and 11", "Article 10", "TERM"),
    ("nl", "nl", "2022", "2021", "FACT"),
    ("en", "en", "two in five", "one in five", "FACT"),
    ("falc", "fr@falc", "Clerfayt", "de la Région", "FACT"),
    ("nl", "nl", "Koning Boudewijnstichting", "KBS", "FACT"),
])
def test_a_damaged_reviewed_translation_is_caught(key, code, old, new, expected):
    termbase = load_termbase(TERMS)
    entries = yaml.safe_load(WORKSHEET.read_text("utf-8"))
    damaged = [(e["fr"], e[key].replace(old, new)) for e in entries if old in e[key]]
    assert damaged, f"{old!r} is not in any {key} translation"
    for msgid, msgstr in damaged:
        assert expected in codes(findings(termbase, msgid, msgstr, LANG[code]))
