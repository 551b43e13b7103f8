"""Easy-read structure as data the reviewers control (issue 17).

Question headings, the summary first, hard words explained beside their first
bold use, pictograms placed by ``:concept:`` markers: how reassembly, the
checks, the linter and the site read the reviewers' markup.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from hypothesis import given
from hypothesis import strategies as st

from lisible import check, reassemble, site
from lisible.config import config_from_dict
from lisible.easyread import explain_first_uses, lint, readability
from lisible.easyread.catalog import markup_findings
from lisible.easyread.glossary import EXPLAIN_SPAN, Entry, Glossary
from lisible.easyread.pictograms import Pictogram, Pictograms, place, strip_markers
from lisible.provenance import Provenance
from lisible.words import words_for

REPO = Path(__file__).resolve().parent.parent
FALC = config_from_dict(REPO, {}).language("fr@falc")
GLOSSARY = Glossary((Entry("guichet", "Au guichet, une personne vous aide. Elle répond."),
                     Entry("autorités", "Les autorités dirigent la Région.")))
PICTURES = Pictograms((Pictogram("guichet", "1F481"), Pictogram("loi", "1F4DC", "Une loi")))
SOURCE = """---
title: "Titre"
description: "Un résumé."
---

Premier paragraphe.
"""
SUMMARY = "## De quoi parle ce texte\u202f?\n:loi: Un texte sur une **loi**.\nIl est court."


def falc_catalog(summary: str, draft: bool = False) -> Catalog:
    catalog = Catalog(locale="fr")
    flags = {"fuzzy"} if draft else set()
    comments = [Provenance(engine="test").comment()] if draft else []
    catalog.add("Titre", "Le titre")
    catalog.add("Un résumé.", summary, flags=flags, auto_comments=comments)
    catalog.add("Premier paragraphe.", "## Une question\u202f?\nUne phrase.")
    return catalog


# --- summary and headings -------------------------------------------------------------------


def test_the_easy_read_body_opens_with_the_reviewed_summary_and_its_heading() -> None:
    out = reassemble.reassemble(SOURCE, falc_catalog(SUMMARY), FALC)
    body = out.split("\n---\n", 1)[1].lstrip("\n")
    assert body.startswith("## De quoi parle ce texte\u202f?\n\n:loi: Un texte sur une **loi**.")
    assert body.index("Il est court.") < body.index("## Une question")
    # <meta> and the home page get plain sentences: no heading, marker or bold
    assert 'description: "Un texte sur une loi. Il est court."' in out


def test_other_languages_keep_the_summary_in_the_front_matter_only() -> None:
    nl = config_from_dict(REPO, {}).language("nl")
    catalog = Catalog(locale="nl")
    catalog.add("Titre", "Titel")
    catalog.add("Un résumé.", "Een samenvatting.")
    catalog.add("Premier paragraphe.", "Eerste alinea.")
    out = reassemble.reassemble(SOURCE, catalog, nl)
    assert out.split("\n---\n", 1)[1].strip() == "Eerste alinea."


def test_an_unreviewed_heading_stays_a_heading_with_its_mark_inside() -> None:
    out = reassemble.reassemble(SOURCE, falc_catalog(SUMMARY, draft=True), FALC)
    assert '## <span class="lisible-draft">De quoi parle ce texte\u202f?</span>' in out
    assert '<span class="lisible-draft">:loi: Un texte' in out
    assert "description" in out and "##" not in out.split("\n---\n")[0]


def test_headings_are_easy_read_markup_at_level_2_only() -> None:
    nl = config_from_dict(REPO, {}).language("nl")
    assert check.check_headings("Texte.", "## Question\u202f?\nUne phrase.", FALC) == []
    assert [f.code for f in check.check_headings("Texte.", "# Titre\nUne phrase.", FALC)] \
        == ["HEADING"]
    assert [f.code for f in check.check_headings("Texte.", "## Kop\nTekst.", nl)] == ["HEADING"]
    assert check.check_headings("Texte #1.", "Tekst #1.", nl) == []


def test_headings_are_not_counted_as_sentences() -> None:
    assert readability("## Une question\u202f?\nUne phrase courte.", lint_it=False).sentences == 1


# --- hard words -----------------------------------------------------------------------------


def test_a_bold_word_is_explained_once_beside_its_first_use() -> None:
    body = ("## Le **guichet**\n\nLes **guichets** ferment.\n\nLes autorités parlent.\n\n"
            "Le **guichet** est loin.\n\nUn **mot** inconnu.")
    out = explain_first_uses(body, GLOSSARY)
    blocks = out.split("\n\n")
    assert blocks[2] == EXPLAIN_SPAN.format("Au guichet, une personne vous aide.")
    assert out.count("lisible-explain") == 1  # not after the heading, nor the second use


@given(st.lists(st.sampled_from(["Le **guichet** ferme.", "Les **autorités** parlent.",
                                 "Une phrase.", "## Une **question**\u202f?", "Un **mot**."]),
                max_size=12))
def test_explaining_adds_paragraphs_and_loses_nothing(blocks: list[str]) -> None:
    body = "\n\n".join(blocks)
    out = explain_first_uses(body, GLOSSARY)
    kept = [b for b in out.split("\n\n") if "lisible-explain" not in b]
    assert "\n\n".join(kept) == body
    assert out.count("Au guichet") <= 1 and out.count("Les autorités dirigent") <= 1


# --- pictograms -----------------------------------------------------------------------------


def test_markers_become_images_of_one_size_and_unknown_ones_go() -> None:
    text = (":guichet: Au guichet.\n\n:inconnu: Une phrase.\n\n"
            '<span class="lisible-draft">:loi: Une loi.</span>\n\nPas :loi: ici.')
    out, used = place(text, PICTURES)
    lines = out.split("\n\n")
    assert lines[0] == ("![](pictograms/1F481.svg){.lisible-picto width=48 height=48} "
                        "Au guichet.")
    assert lines[1] == "Une phrase."
    assert lines[2].startswith("![Une loi](pictograms/1F4DC.svg){.lisible-picto width=48 "
                               'height=48} <span class="lisible-draft">Une loi.')
    assert lines[3] == "Pas :loi: ici."
    assert [p.code for p in used] == ["1F481", "1F4DC"]
    assert strip_markers(":loi: Une loi.") == "Une loi."


def test_the_linter_reads_pictures_as_no_words() -> None:
    text = ("![](pictograms/1F481.svg){.lisible-picto width=48 height=48} Au guichet, une "
            "personne vous aide.\n:guichet: Une personne vous aide.")
    assert [f for f in lint(text) if f.rule in ("symbols", "punct", "one-idea")] == []


def test_check_reports_unknown_pictograms_and_unexplained_bold_words() -> None:
    found = markup_findings(":inconnu: Le **guichet** et le **bidule**.", GLOSSARY, PICTURES)
    codes = [(f.code, f.severity) for f in found]
    assert ("FALC-picto", "error") in codes and ("FALC-explain", "warning") in codes
    assert "bidule" in found[-1].message and len(found) == 2
    assert markup_findings(":guichet: Le **guichet**.", GLOSSARY, PICTURES) == []


# --- the site -------------------------------------------------------------------------------


def test_site_credits_openmoji_and_ships_the_pictures(tmp_path: Path) -> None:
    config = config_from_dict(tmp_path, {})
    folder = config.markdown_dir(FALC) / "pictograms"
    folder.mkdir(parents=True)
    (folder / "1F481.svg").write_text("<svg/>", "utf-8")
    site.copy_pictograms(config, FALC, tmp_path / "docs")
    assert (tmp_path / "docs" / "pictograms" / "1F481.svg").read_text("utf-8") == "<svg/>"
    strings = words_for(FALC)[0]
    credit = site.pictogram_credit("![](p.svg){.lisible-picto}", strings)
    assert "[OpenMoji](https://openmoji.org/)" in credit and "CC BY-SA 4.0" in credit
    assert site.pictogram_credit("Pas d’image.", strings) == ""
    assert re.search(r"Licence des images\u202f:", credit)
