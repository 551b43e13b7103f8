"""Easy-read drafts in the real ``fr@falc`` catalogue; checks, glossary, readability."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from lisible import catalogs, convert
from lisible.config import config_from_dict
from lisible.easyread import (
    ENGINE,
    GLOSSARY_HEADING,
    Glossary,
    catalog_readability,
    check_catalog,
    draft_all,
    draft_messages,
    glossary_section,
    lint,
    load_glossary,
    load_resources,
    readability,
    readability_report,
    side_by_side,
    unit_kind,
)
from lisible.easyread.glossary import Entry, parse_rows
from lisible.errors import LisibleError
from lisible.provenance import Finding, Provenance

ROOT = Path(__file__).resolve().parent.parent
SLUG = "carte-blanche-bruxelles-numerique"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the real content, converted and extracted into catalogues, then drafted."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "content", root / "content")
    config = config_from_dict(root, {})
    convert.convert_all(config)
    catalogs.update_all(config)
    count = draft_all(config).drafts
    return config, count


def easy_catalog(config):
    return catalogs.read_catalog(config.catalog_path(config.language("fr@falc"), SLUG))


def test_draft_all_fills_every_pending_entry(project):
    config, count = project
    catalog = easy_catalog(config)
    entries = [m for m in catalog if m.id]
    assert count == len(entries)
    assert all(catalogs.state_of(m) is catalogs.State.DRAFT for m in entries)


def test_drafts_carry_provenance_and_findings(project):
    config, _ = project
    for message in (m for m in easy_catalog(config) if m.id):
        provenances = [Provenance.parse(c) for c in message.user_comments]
        (provenance,) = [p for p in provenances if p]
        assert provenance.engine == ENGINE and provenance.rules
        findings = [Finding.parse(c) for c in message.auto_comments if Finding.parse(c)]
        assert all(f.code.startswith("FALC-") for f in findings)


def test_a_second_run_keeps_drafts_and_redo_replaces_them(project):
    config, _ = project
    assert draft_all(config).drafts == 0
    assert draft_all(config, redo_drafts=True).drafts > 0


def test_reviewed_entries_are_never_drafted(tmp_path):
    catalog = Catalog(locale="fr")
    catalog.add("Le guichet ferme ; les gens attendent.", string="Le guichet ferme.",
                auto_comments=["lisible-unit: paragraph"])
    catalog.add("Les gens attendent ; le guichet ferme.", auto_comments=["lisible-unit: paragraph"])
    pending = catalogs.pending_messages(catalog)
    drafts = draft_messages(list(catalog), pending, load_resources(ROOT / "content", SLUG))
    assert set(drafts) == {("Les gens attendent ; le guichet ferme.", None)}


def test_catalog_findings_are_keyed_catalogue_findings(project):
    from lisible.easyread import catalog_findings

    config, _ = project
    catalog = easy_catalog(config)
    found = catalog_findings(config, SLUG, catalog)
    keys = {catalogs.key_of(m) for m in catalog if m.id}
    assert found and set(found) <= keys
    assert all(f.code.startswith("FALC-") for fs in found.values() for f in fs)


def test_unit_kind_reads_the_catalogue_comment():
    catalog = Catalog(locale="fr")
    note = catalog.add("Note, <https://example.org>", auto_comments=["lisible-unit: footnote"])
    plain = catalog.add("Texte.")
    assert (unit_kind(note), unit_kind(plain)) == ("footnote", "paragraph")


def test_check_catalog_lints_each_msgstr():
    catalog = Catalog(locale="fr")
    catalog.add("Source.", string="La porte ferme. Les gens attendent.")
    catalog.add("Autre source.", string="Les gens lisent le journal.")
    found = check_catalog(catalog, Glossary())
    assert "line" in {f.rule for m, f in found if m.id == "Source."}
    assert {m.id for m, _ in found} == {"Source."}


def test_glossary_section_lists_the_words_used(project):
    config, _ = project
    glossary = load_glossary(config, SLUG)
    section = glossary_section("Les guichets ferment. Vous allez au CPAS.", glossary)
    assert section.startswith(GLOSSARY_HEADING + "\n\n")
    assert "\n\n**CPAS**\n\n" in section and "\n\n**guichet**\n\n" in section
    assert "ordonnance" not in section
    body = section.split("\n\n", 1)[1]
    assert not [f for f in lint(body, glossary) if f.severity == "error"]
    assert glossary_section("Rien de difficile.", glossary) == ""


def test_every_glossary_explanation_is_easy_read(project):
    config, _ = project
    glossary = load_glossary(config, SLUG)
    for entry in glossary.entries:
        lengths = [f for f in _lint(entry.explanation, glossary) if f.rule == "length"]
        assert not [f for f in lengths if f.severity == "error"], entry.word


def _lint(text, glossary):
    return lint(text.replace(". ", ".\n"), glossary)


def test_glossary_matches_plurals_and_capitals():
    glossary = Glossary((Entry("guichet", "x"), Entry("CPAS", "y")))
    assert glossary.explains("Guichets") and glossary.explains("CPAS")
    assert not glossary.explains("guichetier")


def test_a_broken_csv_names_its_line():
    with pytest.raises(LisibleError) as error:
        parse_rows("word,explanation\nguichet,\n", ("word", "explanation"), "g.csv")
    assert error.value.line == 2 and str(error.value).startswith("g.csv:2:")


def test_readability_report_shows_source_and_draft(project):
    config, _ = project
    source, easy = readability_report(config, SLUG)
    assert easy is not None and easy.sentences > source.sentences
    assert easy.mean_words < source.mean_words
    table = side_by_side(source, easy)
    assert "Kandel–Moles" in table and "LIX" in table


def test_catalog_readability_without_msgstr_has_no_easy_side():
    catalog = Catalog(locale="fr")
    catalog.add("Le guichet ferme.", auto_comments=["lisible-unit: paragraph"])
    source, easy = catalog_readability(catalog)
    assert source.sentences == 1 and easy is None


def test_readability_counts_words_and_sentences():
    result = readability("Le guichet ferme.\nLes gens attendent dehors le matin.", lint_it=False)
    assert (result.sentences, result.words, result.max_words) == (2, 9, 6)
    assert result.mean_words == 4.5


def test_readability_follows_textstat_for_kandel_moles():
    import textstat

    text = ("Les personnes vont au guichet. Elles attendent longtemps. "
            "La commune propose un site internet compliqué.")
    textstat.set_lang("fr")
    expected = textstat.flesch_reading_ease(text)
    assert readability(text, lint_it=False).kandel_moles == pytest.approx(expected, abs=6)


def test_easier_text_scores_easier():
    hard = ("Les inégalités numériques se creusent, entraînant des conséquences néfastes "
            "pour les personnes défavorisées sur le plan socioéconomique.")
    easy = "Internet est difficile pour beaucoup de gens.\nCela pose des problèmes."
    h, e = readability(hard, lint_it=False), readability(easy, lint_it=False)
    assert e.kandel_moles > h.kandel_moles and e.lix < h.lix and e.rare_share < h.rare_share


def test_commands_are_registered_with_help():
    from lisible import cli

    parser = cli._parser()
    for action in ("lint", "draft", "readability"):
        with pytest.raises(SystemExit):
            parser.parse_args(["easyread", action, "--help"])


def test_lint_reads_reassembled_pages():
    page = '<span class="lisible-draft">Les gens lisent le journal.</span>\n\n<https://example.org/a>\n'
    assert lint(page) == []


def test_lint_command_prints_file_line_rule(project, tmp_path, capsys):
    import argparse

    from lisible.cli import cmd_easyread_lint

    config, _ = project
    path = tmp_path / "texte.md"
    path.write_text("Le guichet ferme.\n\nLe guichet ne ferme pas (le lundi).\n", "utf-8")
    status = cmd_easyread_lint(config, argparse.Namespace(files=[str(path)], strict=False))
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert f"{path}:3: FALC-punct punctuation to avoid: ( ) (RLS 4.2, 4.4)" in out


def test_lint_command_reads_catalogues(project, capsys):
    import argparse

    from lisible.cli import cmd_easyread_lint

    config, _ = project
    path = config.catalog_path(config.language("fr@falc"), SLUG)
    cmd_easyread_lint(config, argparse.Namespace(files=[str(path)], strict=False))
    out = capsys.readouterr().out.splitlines()
    assert out and all(line.startswith(f"{path}:") and " FALC-" in line for line in out)
