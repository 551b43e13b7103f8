"""Catalogues: merge without loss, msgcat layout, states, drafts, reassembly, safety."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from conftest import carte_blanche_project

from lisible import catalogs, check, cli, convert, document, fsio, pofile, reassemble
from lisible.config import config_from_dict
from lisible.errors import CatalogError
from lisible.provenance import Finding, Provenance

GOLDEN = Path(__file__).parent / "golden" / "convert"
SLUG = "carte-blanche-bruxelles-numerique"
MT = Provenance("argostranslate 1.11.0", "translate-fr_nl 1.9", "0a1b2c", via="en")


@pytest.fixture
def project(tmp_path: Path):
    """A project holding the carte blanche, converted and with catalogues."""
    config = carte_blanche_project(tmp_path)
    return config


def _translate_all(path: Path, prefix: str = "NL ") -> Catalog:
    """What a translator does in Poedit: translate every entry and save."""
    catalog = catalogs.read_catalog(path)
    for message in catalog:
        if message.id:
            message.string = prefix + str(message.id)[:30]
    catalog.last_translator = "Translator <t@example.org>"
    catalogs.write_catalog(path, catalog)
    return catalog


def _entries(path: Path) -> dict[str, str]:
    """Each entry's text block, keyed by its msgid line(s)."""
    blocks = path.read_text("utf-8").split("\n\n")
    return {b[b.index("msgid"):b.index("msgstr")]: b for b in blocks[1:] if "msgid" in b}


def test_one_source_edit_makes_exactly_one_entry_stale(project) -> None:
    po = project.catalog_path(project.language("nl"), SLUG)
    _translate_all(po)
    before = _entries(po)
    source = project.content_dir / f"{SLUG}.txt"
    text = source.read_text("utf-8")
    source.write_text(text.replace("débat public", "débat démocratique"), "utf-8")
    convert.convert_all(project)
    catalogs.update_all(project)
    after = _entries(po)
    changed = [k for k in after if after[k] != before.get(k)]
    assert len(changed) == 1
    entry = after[changed[0]]
    assert "#, fuzzy" in entry and "#| msgid" in entry and "débat démocratique" in entry
    message = next(m for m in catalogs.read_catalog(po) if "démocratique" in str(m.id))
    assert catalogs.state_of(message) is catalogs.State.STALE
    assert "débat public" in message.previous_id[0] and message.string.startswith("NL ")
    # the next build keeps the stale entry exactly as it is, previous msgid included
    catalogs.update_all(project)
    assert _entries(po) == after


def test_long_paragraph_small_edit_keeps_translation() -> None:
    """Babel's own fuzzy matcher gives up on long paragraphs (python-babel #969)."""
    long_text = " ".join(f"mot{i}" for i in range(120)) + "."
    old = Catalog(locale="nl")
    old.add(long_text, "VERTALING", locations=[("a", 1)])
    template = Catalog()
    template.add(long_text.replace("mot60", "terme60"), locations=[("a", 1)])
    merged = catalogs.merge(old, template)
    message = next(iter(m for m in merged if m.id))
    assert message.string == "VERTALING" and message.fuzzy
    assert message.previous_id == [long_text]
    assert not merged.obsolete


def test_removed_unit_becomes_obsolete_and_comes_back() -> None:
    old = Catalog(locale="nl")
    old.add("Een.", "One reviewed.", locations=[("a", 1)])
    old.add("Deux.", "Two reviewed.", locations=[("a", 2)])
    template = Catalog()
    template.add("Een.", locations=[("a", 1)])
    merged = catalogs.merge(old, template)
    assert [m.id for m in merged.obsolete.values()] == ["Deux."]
    template.add("Deux.", locations=[("a", 2)])
    revived = catalogs.merge(merged, template)
    assert revived.get("Deux.").string == "Two reviewed." and not revived.obsolete
    assert not revived.get("Deux.").fuzzy


def test_drafts_fill_only_untranslated_entries() -> None:
    catalog = Catalog(locale="nl")
    catalog.add("Reviewed.", "Nagekeken.")
    catalog.add("Stale.", "Oud.", flags=["fuzzy"], previous_id=["Old."])
    catalog.add("Empty.", "")
    drafts = {(m, None): catalogs.Draft("DRAFT", MT, (Finding("MT-TRUNCATED", "short"),))
              for m in ("Reviewed.", "Stale.", "Empty.")}
    result = catalogs.apply_drafts(catalog, drafts)
    assert result.get("Reviewed.").string == "Nagekeken."
    assert result.get("Stale.").string == "Oud."
    empty = result.get("Empty.")
    assert empty.string == "DRAFT" and empty.fuzzy and not empty.previous_id
    assert catalogs.state_of(empty) is catalogs.State.DRAFT
    assert MT.comment() in empty.user_comments and catalogs.provenance_of(empty) == MT
    assert [m.id for m in catalogs.pending_messages(result)] == []
    assert [m.id for m in catalogs.pending_messages(result, redo_drafts=True)] == ["Empty."]


def test_draft_provenance_survives_merges() -> None:
    catalog = Catalog(locale="en")
    catalog.add("Texte.", "", auto_comments=["lisible-unit: paragraph"])
    drafted = catalogs.apply_drafts(catalog, {("Texte.", None): catalogs.Draft("Text.", MT)})
    template = Catalog()
    template.add("Texte.", auto_comments=["lisible-unit: paragraph"])
    merged = catalogs.merge(drafted, template)
    assert catalogs.state_of(merged.get("Texte.")) is catalogs.State.DRAFT
    assert merged.get("Texte.").auto_comments == ["lisible-unit: paragraph"]
    assert merged.get("Texte.").user_comments == [MT.comment()]


def test_files_are_in_msgcat_layout_and_pass_msgfmt(project) -> None:
    po = project.catalog_path(project.language("nl"), SLUG)
    _translate_all(po)
    catalog = catalogs.read_catalog(po)
    message = next(m for m in catalog if m.id and document.unit_kind(m) == "paragraph")
    message.flags.add("fuzzy")
    message.previous_id = ["Une ancienne version " * 8]
    catalogs.write_catalog(po, catalog)
    files = [project.template_path(SLUG)] + [
        project.catalog_path(lang, SLUG) for lang in project.targets]
    for path in files:
        assert subprocess.run(["msgcat", str(path)], capture_output=True, text=True,
                              check=True).stdout == path.read_text("utf-8"), path
        result = subprocess.run(["msgfmt", "-c", "--statistics", "-o", os.devnull, str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_fallback_wrapping_matches_msgcat_for_prose() -> None:
    text = "Les guichets physiques disparaissent de plus en plus et les usagers sont " * 3
    catalog = Catalog(locale="nl")
    catalog.add(text.strip(), "")
    fields = [("Content-Type", "text/plain; charset=UTF-8")]
    with_lib = pofile.format_catalog(catalog, fields)
    saved = pofile._libunistring
    try:
        pofile._libunistring = lambda: None
        assert pofile.format_catalog(catalog, fields) == with_lib
    finally:
        pofile._libunistring = saved


def test_unchanged_catalogues_are_not_rewritten(project, monkeypatch) -> None:
    po = project.catalog_path(project.language("en"), SLUG)
    stamp = po.stat().st_mtime_ns
    os.utime(po, ns=(stamp - 10**9, stamp - 10**9))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    catalogs.update_all(project)
    assert po.stat().st_mtime_ns == stamp - 10**9


def test_source_date_epoch_sets_the_creation_date(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    catalog = Catalog(locale="nl", project="x")
    catalog.add("Un.", "")
    catalogs.write_catalog(tmp_path / "x.po", catalog)
    assert '"POT-Creation-Date: 2023-11-14 22:13+0000\\n"' in (tmp_path / "x.po").read_text()


def test_broken_catalogue_stops_the_build_and_is_untouched(project, capsys) -> None:
    po = project.catalog_path(project.language("nl"), SLUG)
    text = po.read_text("utf-8")
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith('msgstr ""') and i > 20)
    lines[index] = 'msgstr "oops'
    broken = "\n".join(lines)
    po.write_text(broken, "utf-8")
    code = cli.main(["--root", str(project.root), "build"])
    err = capsys.readouterr().err.strip()
    assert code == 1 and "Traceback" not in err
    assert err.startswith(f"{po}:{index + 1}: ") and "malformed string" in err
    assert po.read_text("utf-8") == broken


def test_interrupted_write_leaves_the_old_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "x.po"
    path.write_text("old\n")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fsio.write_text(path, "new\n" * 1000)
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]  # no temporary file left


def test_reassembly_marks_what_is_not_reviewed(project) -> None:
    nl = project.language("nl")
    po = project.catalog_path(nl, SLUG)
    catalog = catalogs.read_catalog(po)
    messages = [m for m in catalog if m.id]
    messages[3].string = "Over enkele dagen …"  # reviewed, first paragraph
    drafted = catalogs.apply_drafts(catalog, {catalogs.key_of(messages[4]): catalogs.Draft(
        "Men stelt al lang vast …", MT)})
    markdown = project.markdown_path(project.source, SLUG).read_text("utf-8")
    out = reassemble.reassemble(markdown, drafted, nl)
    assert "\nOver enkele dagen …\n" in out
    assert '<span class="lisible-draft">Men stelt al lang vast …</span>' in out
    assert '<span class="lisible-fallback" lang="fr">S’il est vrai' in out
    assert 'lang: "nl-BE"' in out
    assert '"reviewed": 1, "draft": 1, "stale": 0, "untranslated": 11' in out


def test_checks_find_broken_markup() -> None:
    nl, falc = config_from_dict(Path("."), {}).language("nl"), config_from_dict(
        Path("."), {}).language("fr@falc")
    source = "En 2022[^1], voir [ceci](https://a.be) et *cela*."
    good = "In 2022[^1], zie [dit](https://a.be) en *dat*."
    assert check.check_message(source, good, nl) == []
    cases = {
        "NOTE-REF": "In 2022, zie [dit](https://a.be) en *dat*.",
        "LINK": "In 2022[^1], zie [dit](https://b.be) en *dat*.",
        "NUMBER": "In 2023[^1], zie [dit](https://a.be) en *dat*.",
        "HTML": "In 2022[^1], <script>x</script> [dit](https://a.be) *dat*.",
        "EMPHASIS": "In 2022[^1], zie [dit](https://a.be) en *dat.",
    }
    for code, broken in cases.items():
        assert {f.code for f in check.check_message(source, broken, nl)} == {code}, code
    assert [f.code for f in check.check_message(source, source, nl)] == ["IDENTICAL"]
    assert [f.code for f in check.check_message("Quoi ?", "Quoi ?", falc)] == ["SPACING"]
    assert check.check_message("Quoi\u202f?", "Quoi\u202f?", falc) == []
    assert [f.code for f in check.check_message(source, "Texte[^1].", falc)] == ["NOTE-REF"]


def test_status_counts(project, capsys) -> None:
    _translate_all(project.catalog_path(project.language("en"), SLUG), "EN ")
    assert cli.main(["--root", str(project.root), "status", "--json"]) == 0
    out = capsys.readouterr().out
    import json
    data = json.loads(out)["documents"][0]
    en = next(lang for lang in data["languages"] if lang["code"] == "en")
    assert en["reviewed"] == 13 and en["percent_reviewed"] == 100
    nl = next(lang for lang in data["languages"] if lang["code"] == "nl")
    assert nl["untranslated"] == 13


def test_read_catalog_reports_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n')
    with pytest.raises(CatalogError) as error:
        catalogs.read_catalog(path)
    assert str(error.value) == f"{path}:4: duplicate message definition 'a'"


def test_easy_read_has_no_footnotes_and_one_sentence_a_line(project) -> None:
    falc = project.language("fr@falc")
    catalog = catalogs.read_catalog(project.catalog_path(falc, SLUG))
    for message in catalog:
        if message.id and document.unit_kind(message) == "paragraph":
            message.string = "Première phrase.\nDeuxième phrase."
        elif message.id and document.unit_kind(message) == "footnote":
            message.string = "Pour en savoir plus, lisez l’étude."
    markdown = project.markdown_path(project.source, SLUG).read_text("utf-8")
    out = reassemble.reassemble(markdown, catalog, falc)
    body = out.split("---\n", 2)[2]
    assert "[^" not in body
    assert "\n\nPremière phrase.\n\nDeuxième phrase.\n\n" in body
    assert body.endswith("## Les sources\n\nPour en savoir plus, lisez l’étude.\n\n"
                         "Pour en savoir plus, lisez l’étude.\n")
    assert 'lang: "fr-BE"' in out and '"easy_read": true' in out
