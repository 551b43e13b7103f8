"""The reviewed translations of the carte blanche, as a proofreader reads them (issue 17).

These tests read the committed catalogues and curated lists, not a build: they
hold the content fixes in place (one figure per group of people, one word for
the people of the text, hard words explained, structure kept in the easy-read
catalogue) and the Dutch and English wording fixes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lisible import catalogs, document, reassemble
from lisible.easyread import bold_words, lint, load_resources
from lisible.easyread.glossary import first_sentence, read_rows
from lisible.easyread.pictograms import concepts, load_pictograms, openmoji_svg
from lisible.easyread.text import split_sentences, words

ROOT = Path(__file__).resolve().parent.parent
SLUG = "carte-blanche-bruxelles-numerique"
QUESTION = re.compile(r"^## (.+)$", re.M)


def catalogue(code: str) -> dict[str, str]:
    """msgid -> msgstr of one committed catalogue, in document order."""
    path = ROOT / "locales" / code / f"{SLUG}.po"
    return {str(m.id): str(m.string) for m in catalogs.read_catalog(path) if m.id}


def kinds() -> dict[str, str]:
    path = ROOT / "locales" / "fr@falc" / f"{SLUG}.po"
    return {str(m.id): document.unit_kind(m) for m in catalogs.read_catalog(path) if m.id}


@pytest.fixture(scope="module")
def falc() -> list[tuple[str, str]]:
    return list(catalogue("fr@falc").items())


def sentences(text: str) -> list[str]:
    return [s for line in text.split("\n") if not line.startswith("#")
            for s in split_sentences(line)]


def by_kind(falc, kind: str) -> list[str]:
    unit_kinds = kinds()
    return [msgstr for msgid, msgstr in falc if unit_kinds[msgid] == kind]


# --- structure ------------------------------------------------------------------------------


def test_the_summary_opens_with_its_question_and_says_who_wrote_it(falc):
    (summary,) = by_kind(falc, "description")
    lines = summary.split("\n")
    assert lines[0] == "## De quoi parle ce texte\u202f?"
    assert "associations" in lines[1] and "Bruxelles" in lines[1]


def test_the_text_is_grouped_under_question_headings_with_the_demands_early(falc):
    body = [msgstr for msgid, msgstr in falc if kinds()[msgid] in ("description", "paragraph")]
    headings = [h for text in body for h in QUESTION.findall(text)]
    assert len(headings) >= 6
    assert all(h.endswith("\u202f?") for h in headings)
    demands = headings.index("Qu’est-ce que les associations demandent\u202f?")
    law = headings.index("Qu’est-ce que la loi «\u202fBruxelles numérique\u202f»\u202f?")
    assert demands == 1 and demands < law  # right after the summary


def test_every_section_has_a_picture_from_the_editors_list(falc):
    pictures = load_pictograms(ROOT / "content")
    text = "\n".join(msgstr for _, msgstr in falc if not msgstr.startswith("«"))
    sections = re.split(r"^## .*$", text, flags=re.M)[1:]
    assert sections and all(concepts(section) for section in sections)
    for concept in concepts(text):
        assert pictures.get(concept) is not None, concept
        assert openmoji_svg(pictures.get(concept).code).is_file()


# --- content ---------------------------------------------------------------------------------


def test_the_title_has_no_full_stop_and_says_whose_opinion_it_is(falc):
    title = falc[0][1]
    assert not title.endswith(".")
    assert "associations" in title


def test_figures_never_give_two_shares_for_the_same_people(falc):
    """1 in 2 counts people in Belgium, 2 in 5 people in Brussels; never 1 in 2 for Brussels."""
    for _, msgstr in falc:
        for sentence in sentences(msgstr):
            if "1 personne sur 2" in sentence:
                assert "Belgique" in sentence, sentence
            if "Bruxelles" in sentence and re.search(r"\d+ personnes? sur \d+", sentence):
                assert "2 personnes sur 5" in sentence, sentence


def test_one_word_for_the_people_of_the_text(falc):
    for _, msgstr in falc:
        assert not re.search(r"\b(habitants?|gens|citoyens?|population)\b", msgstr.split(
            "Son texte s’appelle")[0]), msgstr


def test_the_law_is_said_to_be_a_draft(falc):
    assert any("encore un projet" in msgstr for _, msgstr in falc)


def test_no_sentence_that_reads_as_a_contradiction_or_has_no_anchor(falc):
    text = "\n".join(msgstr for _, msgstr in falc)
    assert "peuvent recevoir une aide" not in text  # … then "restent sans": a contradiction
    assert "Depuis, " not in text  # "Depuis" must say since when
    assert "Cette différence est injuste" not in text
    assert "Pour les autorités, les services publics doivent" not in text  # a requirement


def test_hard_words_are_bold_where_they_first_appear_and_the_glossary_explains_them(falc):
    glossary = load_resources(ROOT / "content", SLUG).glossary
    bold = [word for _, msgstr in falc for word in bold_words(msgstr)]
    for word in ("autorités", "digital par défaut", "Région", "survie", "débat public"):
        assert word in bold, word
    assert all(glossary.entry_for(word) is not None for word in bold)


def test_glossary_explanations_follow_the_text_rules():
    """Mean 10 words a sentence or fewer, no relative clause, no linter finding."""
    glossary = load_resources(ROOT / "content", SLUG).glossary
    rows = read_rows(ROOT / "content" / f"{SLUG}.glossary.csv", ("word", "explanation"))
    explained = [explanation for _, explanation in rows]
    sentences_ = [s for text in explained for s in split_sentences(text)]
    assert sum(len(words(s)) for s in sentences_) / len(sentences_) <= 10
    for text in explained:
        assert not re.search(r"\b(qui|où|dont|ce que|ce qu’)\b", text), text
        assert first_sentence(text)
    findings = lint("\n".join(sentences_), glossary)
    assert [f.describe() for f in findings] == []  # no error, and no warning either


# --- Dutch and English wording ---------------------------------------------------------------


def test_dutch_wording():
    text = "\n".join(catalogue("nl").values())
    assert "het digitale" not in text  # a gallicism: digitaal kwetsbaar, digitalisering
    assert "digitaal kwetsbaar" in text
    assert "beweren" not in text and "stellen weliswaar" in text
    assert "echter" not in text
    assert "overlevingsvragen" not in text
    notes = [msgstr for msgid, msgstr in catalogue("nl").items() if kinds()[msgid] == "footnote"]
    assert all("(Franstalig)" in note for note in notes)


def test_english_wording():
    text = "\n".join(catalogue("en").values())
    assert "most basic" not in text and "most essential" in text
    assert "occasion for depriving" not in text
    assert "to the Brussels Parliament" in text
    assert "to Parliament" not in text
    notes = [msgstr for msgid, msgstr in catalogue("en").items() if kinds()[msgid] == "footnote"]
    assert all("(in French)" in note for note in notes)


# --- the page as published --------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    """The reassembled easy-read Markdown of the committed catalogues, in a copy of the project."""
    import shutil

    from lisible import convert
    from lisible.config import config_from_dict

    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "locales", root / "locales")
    config = config_from_dict(root, {})
    convert.convert_all(config)
    reassemble.reassemble_all(config)
    path = config.markdown_path(config.language("fr@falc"), SLUG)
    assert (path.parent / "pictograms").is_dir()
    return path.read_text("utf-8")


def test_the_page_opens_with_the_summary_and_has_a_picture_in_every_section(page):
    body = page.split("\n---\n", 1)[1].lstrip("\n")
    assert body.startswith("## De quoi parle ce texte\u202f?\n\n![](pictograms/")
    sections = re.split(r"^## .*$", body, flags=re.M)[1:]
    assert len(sections) >= 10
    assert all("{.lisible-picto width=48 height=48}" in section for section in sections)
    assert ":associations:" not in body  # every marker became a picture


def test_the_page_explains_each_bold_word_right_after_its_first_use(page):
    body = page.split("\n## Les mots difficiles")[0]
    blocks = body.split("\n\n")
    explained = [i for i, block in enumerate(blocks) if "lisible-explain" in block]
    assert len(explained) >= 15
    assert all("**" in blocks[i - 1] for i in explained)


def test_the_page_has_no_easy_read_error(page):
    glossary = load_resources(ROOT / "content", SLUG).glossary
    assert [f.describe() for f in lint(page, glossary) if f.severity == "error"] == []
