"""The merge keeps every language's own work: nothing shared, nothing lost, nothing moved.

Each test here reproduces a case where a translator's work was lost,
misattributed or reverted (issue 11); they failed before the merge was rebuilt.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from conftest import carte_blanche_project

from lisible import catalogs, cli, convert
from lisible.errors import CatalogError

GOLDEN = Path(__file__).parent / "golden" / "convert"
SLUG = "carte-blanche-bruxelles-numerique"
PREFIX = {"nl": "NL ", "en": "EN ", "fr@falc": "FALC "}


@pytest.fixture
def project(tmp_path: Path):
    """The carte blanche, converted, with catalogues."""
    config = carte_blanche_project(tmp_path)
    return config


def _translate(config, code: str, only: str | None = None) -> None:
    """A translator translates (every entry, or those containing ``only``) and saves."""
    path = config.catalog_path(config.language(code), SLUG)
    catalog = catalogs.read_catalog(path)
    for message in catalog:
        if message.id and (only is None or only in str(message.id)):
            message.string = PREFIX[code] + str(message.id)[:40]
    catalogs.write_catalog(path, catalog)


def _edit_source(config, old: str, new: str) -> None:
    source = config.content_dir / f"{SLUG}.txt"
    text = source.read_text("utf-8")
    assert old in text
    source.write_text(text.replace(old, new), "utf-8")
    convert.convert_all(config)


def _files(config) -> dict[Path, str]:
    paths = [config.template_path(SLUG)] + [config.catalog_path(lang, SLUG)
                                            for lang in config.targets]
    return {path: path.read_text("utf-8") for path in paths}


def _assert_clean_template(config) -> None:
    template = catalogs.read_catalog(config.template_path(SLUG))
    text = config.template_path(SLUG).read_text("utf-8")
    assert all(not m.string for m in template if m.id)
    assert "#|" not in text and text.count("#, fuzzy") == 1  # the header only
    assert "lisible-draft" not in text and "lisible-error" not in text


def test_carte_blanche_edit_keeps_each_languages_own_translation(project) -> None:
    """`sed s/Cela signifie donc que/Cela signifie dès lors que/`: every language keeps its text."""
    for code in PREFIX:
        _translate(project, code)
    _edit_source(project, "Cela signifie donc que", "Cela signifie dès lors que")
    catalogs.update_all(project)
    _assert_clean_template(project)
    for lang in project.targets:
        catalog = catalogs.read_catalog(project.catalog_path(lang, SLUG))
        message = next(m for m in catalog if "dès lors" in str(m.id))
        assert message.fuzzy and message.string.startswith(PREFIX[lang.code])
        assert "Cela signifie donc que" in message.previous_id[0]
        others = [p for code, p in PREFIX.items() if code != lang.code]
        for entry in [*catalog, *catalog.obsolete.values()]:
            assert not str(entry.string).startswith(tuple(others)), (lang.code, entry.id)
        assert sum(1 for m in catalog if m.fuzzy) == 1
    before = _files(project)
    catalogs.update_all(project)
    assert _files(project) == before


def test_untranslated_language_never_receives_another_languages_text(project) -> None:
    _translate(project, "en")
    _edit_source(project, "Cela signifie donc que", "Cela signifie dès lors que")
    catalogs.update_all(project)
    _assert_clean_template(project)
    for code in ("nl", "fr@falc"):
        text = project.catalog_path(project.language(code), SLUG).read_text("utf-8")
        assert PREFIX["en"] not in text, code


def test_restoring_one_catalogue_leaves_the_others_reviewed(project) -> None:
    for code in PREFIX:
        _translate(project, code)
    nl_path = project.catalog_path(project.language("nl"), SLUG)
    saved = nl_path.read_text("utf-8")
    _edit_source(project, "Cela signifie donc que", "Cela signifie dès lors que")
    catalogs.update_all(project)
    for code in ("en", "fr@falc"):  # the translators review the changed unit
        path = project.catalog_path(project.language(code), SLUG)
        catalog = catalogs.read_catalog(path)
        for message in catalog:
            message.flags.discard("fuzzy")
        catalogs.write_catalog(path, catalog)
    nl_path.write_text(saved, "utf-8")  # `git checkout` of an older nl catalogue
    catalogs.update_all(project)
    for code in ("en", "fr@falc"):
        text = project.catalog_path(project.language(code), SLUG).read_text("utf-8")
        assert "#, fuzzy" not in text.split("\n\n", 1)[1] and "#|" not in text, code
    nl = catalogs.read_catalog(nl_path)
    stale = [m for m in nl if m.fuzzy]
    assert len(stale) == 1 and "donc que" in stale[0].previous_id[0]


def _catalog(*entries: tuple[str, str], **kwargs) -> Catalog:
    catalog = Catalog(locale="nl")
    for msgid, msgstr in entries:
        catalog.add(msgid, msgstr, **kwargs)
    return catalog


def _template(*texts: str) -> Catalog:
    """A template as build_template makes it: a context only for repeated texts."""
    template = Catalog()
    seen: dict[str, int] = {}
    for text in texts:
        seen[text] = seen.get(text, 0) + 1
        context = f"occurrence {seen[text]}" if texts.count(text) > 1 else None
        template.add(text, context=context)
    return template


def test_second_edit_of_a_stale_unit_keeps_the_text_reviewed_against() -> None:
    reviewed = _catalog(("Le chat dort sur le tapis rouge.", "De kat slaapt."))
    once = catalogs.merge(reviewed, _template("Le chat dort sur le tapis bleu."))
    twice = catalogs.merge(once, _template("Le chat dort sur le grand tapis bleu."))
    message = twice.get("Le chat dort sur le grand tapis bleu.")
    assert message.fuzzy and message.string == "De kat slaapt."
    assert message.previous_id == ["Le chat dort sur le tapis rouge."]


def test_stale_entry_deleted_then_restored_keeps_its_previous_text() -> None:
    reviewed = _catalog(("Un.", "Een."), ("Le chat dort sur le tapis rouge.", "De kat slaapt."))
    stale = catalogs.merge(reviewed, _template("Un.", "Le chat dort sur le tapis bleu."))
    deleted = catalogs.merge(stale, _template("Un."))
    restored = catalogs.merge(deleted, _template("Un.", "Le chat dort sur le tapis bleu."))
    message = restored.get("Le chat dort sur le tapis bleu.")
    assert message.fuzzy and message.previous_id == ["Le chat dort sur le tapis rouge."]
    assert not restored.obsolete


def test_previous_text_dropped_when_reviewed_again() -> None:
    catalog = _catalog(("Le chat dort.", "De kat slaapt."))
    catalog.get("Le chat dort.").previous_id = ["Le chien dort."]  # reviewed: fuzzy cleared
    merged = catalogs.merge(catalog, _template("Le chat dort."))
    assert merged.get("Le chat dort.").previous_id == []


def test_identical_units_follow_their_place_in_the_source() -> None:
    """A X B X, the two X translated differently, a new X at the top."""
    old = catalogs.merge(Catalog(locale="nl"), _template("A a.", "X x.", "B b.", "X x."))
    old.get("A a.").string = "A nl."
    old.get("B b.").string = "B nl."
    old.get("X x.", "occurrence 1").string = "X chapter 1."
    old.get("X x.", "occurrence 2").string = "X chapter 2."
    new = catalogs.merge(old, _template("X x.", "A a.", "X x.", "B b.", "X x."))
    assert new.get("X x.", "occurrence 2").string == "X chapter 1."
    assert not new.get("X x.", "occurrence 2").fuzzy
    assert new.get("X x.", "occurrence 3").string == "X chapter 2."
    assert not new.get("X x.", "occurrence 3").fuzzy
    intro = new.get("X x.", "occurrence 1")
    assert intro.fuzzy and intro.string in ("X chapter 1.", "X chapter 2.")


def test_unit_made_identical_to_another_keeps_both_translations() -> None:
    old = catalogs.merge(Catalog(locale="nl"), _template("A a.", "X x.", "Y y."))
    for message in old:
        if message.id:
            message.string = f"nl {message.id}"
    new = catalogs.merge(old, _template("A a.", "X x.", "X x."))
    first, second = new.get("X x.", "occurrence 1"), new.get("X x.", "occurrence 2")
    assert first.string == "nl X x." and not first.fuzzy and not first.previous_id
    assert second.string == "nl X x." and second.fuzzy
    assert [m.string for m in new.obsolete.values()] == ["nl Y y."]


def test_merge_shares_nothing_with_the_template_or_the_old_catalogue() -> None:
    template = _template("Le chat dort sur le tapis bleu.", "Nouveau.")
    nl = catalogs.merge(_catalog(("Le chat dort sur le tapis rouge.", "NL")), template)
    en = catalogs.merge(_catalog(("Le chat dort sur le tapis rouge.", "EN")), template)
    for message in nl:
        message.string = "changed"
        message.flags.add("x")
        message.auto_comments.append("x")
        message.previous_id.append("x")
    assert [m.string for m in en if m.id] == ["EN", ""]
    assert all(not m.string and not m.previous_id and "x" not in m.auto_comments
               for m in template if m.id)


def test_catalogues_after_the_edit_pass_msgfmt(project) -> None:
    for code in PREFIX:
        _translate(project, code)
    _edit_source(project, "Cela signifie donc que", "Cela signifie dès lors que")
    catalogs.update_all(project)
    for path in _files(project):
        result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------ charsets

LATIN1 = """msgid ""
msgstr ""
"Language: nl\\n"
"Content-Type: text/plain; charset=ISO-8859-1\\n"

msgid "Un été à Bruxelles."
msgstr "Een zomer in Brussel, iné."
"""


def test_catalogue_is_read_in_the_charset_its_header_declares(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(LATIN1.encode("iso-8859-1"))
    catalog = catalogs.read_catalog(path)
    assert catalog.get("Un été à Bruxelles.").string == "Een zomer in Brussel, iné."
    catalogs.write_catalog(path, catalog)
    text = path.read_bytes().decode("utf-8")
    assert "charset=UTF-8" in text and "Un été à Bruxelles." in text and "iné." in text


@pytest.mark.parametrize("header, body, message, line", [
    ("ISO-8859-1", "“Digitaal Brussel”".encode(), "the file is UTF-8", 3),
    ("ISO-8859-1", "“Digitaal Brussel”".encode("cp1252"), "control character U+0093", 6),
    ("CHARSET", "“Digitaal Brussel”".encode(), "charset=CHARSET but the file is not ASCII", 3),
    ("KLINGON-8", b"Digitaal", "unknown charset 'KLINGON-8'", 3),
    ("UTF-8", "“Digitaal”".encode("cp1252"), "not valid UTF-8", 6),
])
def test_wrong_charset_is_refused_with_its_line(tmp_path: Path, header: str, body: bytes,
                                                message: str, line: int) -> None:
    path = tmp_path / "x.po"
    data = (b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=' + header.encode()
            + b'\\n"\n\nmsgid "Titre"\nmsgstr "' + body + b'"\n')
    path.write_bytes(data)
    with pytest.raises(CatalogError) as error:
        catalogs.read_catalog(path)
    assert message in str(error.value)
    assert str(error.value).startswith(f"{path}:{line}: ")
    assert path.read_bytes() == data


def test_build_refuses_a_mislabelled_catalogue_and_leaves_it(project, capsys) -> None:
    """The issue's case: a UTF-8 catalogue whose header says ISO-8859-1."""
    _translate(project, "nl")
    po = project.catalog_path(project.language("nl"), SLUG)
    data = po.read_bytes().replace(b"charset=UTF-8", b"charset=ISO-8859-1")
    po.write_bytes(data)
    code = cli.main(["--root", str(project.root), "catalogs"])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert err.startswith(f"{po}:") and "charset=ISO-8859-1 but the file is UTF-8" in err
    assert po.read_bytes() == data


# ------------------------------------------------------------------ saves during a build


def _save_in_editor(path: Path) -> str:
    """A translator saves the catalogue (here: translates the first untranslated entry)."""
    catalog = catalogs.read_catalog(path)
    message = next(m for m in catalog if m.id and not m.string)
    message.string = "Opgeslagen tijdens de build"
    catalogs.write_catalog(path, catalog)
    return path.read_text("utf-8")


def _assert_stage_stops_and_keeps_the_save(stage, project, po: Path, saved: list[str]) -> None:
    """The stage refuses to write over the translator's save, and the save is on disk."""
    with pytest.raises(CatalogError) as error:
        stage(project)
    assert str(error.value).startswith(f"{po}: changed on disk")
    assert po.read_text("utf-8") == saved[0]


def test_a_save_during_the_check_stage_is_not_reverted(project, monkeypatch) -> None:
    from lisible import check

    po = project.catalog_path(project.language("nl"), SLUG)
    lint = check.catalog_findings
    saved: list[str] = []

    def slow_lint(catalog, lang, termbase=check.NO_TERMS):
        if lang.code == "nl" and not saved:  # the translator saves while the linter runs
            saved.append(_save_in_editor(po))
        return lint(catalog, lang, termbase)

    monkeypatch.setattr(check, "catalog_findings", slow_lint)
    _assert_stage_stops_and_keeps_the_save(check.annotate_all, project, po, saved)


def test_a_save_during_the_merge_is_not_reverted(project, monkeypatch) -> None:
    po = project.catalog_path(project.language("en"), SLUG)
    _edit_source(project, "Cela signifie donc que", "Cela signifie dès lors que")
    merge = catalogs.merge
    saved: list[str] = []

    def merge_then_save(old, template):
        result = merge(old, template)
        if str(old.locale) == "en" and not saved:
            saved.append(_save_in_editor(po))
        return result

    monkeypatch.setattr(catalogs, "merge", merge_then_save)
    with pytest.raises(CatalogError):
        catalogs.update_all(project)
    assert po.read_text("utf-8") == saved[0]


def test_write_if_unchanged_compares_just_before_the_rename(tmp_path: Path, monkeypatch) -> None:
    from lisible import fsio

    path = tmp_path / "x.po"
    path.write_text("read\n")
    read = fsio.digest(path.read_bytes())
    fsync = fsio.os.fsync

    def save_meanwhile(fd):  # the editor saves while the new file is flushed
        fsync(fd)
        path.write_text("saved\n")

    monkeypatch.setattr(fsio.os, "fsync", save_meanwhile)
    with pytest.raises(fsio.ChangedOnDisk):
        fsio.write_text_if_unchanged(path, "ours\n", read)
    assert path.read_text() == "saved\n" and [p.name for p in tmp_path.iterdir()] == ["x.po"]
    monkeypatch.setattr(fsio.os, "fsync", fsync)
    assert fsio.write_text_if_unchanged(path, "ours\n", fsio.digest(b"saved\n"))
    assert path.read_text() == "ours\n" and path.stat().st_mode & 0o777 == 0o644


# ------------------------------------------------------------------ check, as complete as msgfmt -c


def _set(po: Path, msgid: str, msgstr: str, flag: str | None = None) -> int:
    """Put a reviewed ``msgstr`` on ``msgid``; the line of its msgid after the save."""
    catalog = catalogs.read_catalog(po)
    catalog.get(msgid).string = msgstr
    if flag:
        catalog.get(msgid).flags.add(flag)
    catalogs.write_catalog(po, catalog)
    return catalogs.read_catalog(po).get(msgid).lineno


def test_check_reports_what_msgfmt_rejects_as_file_line_error(project) -> None:
    from lisible import check

    po = project.catalog_path(project.language("nl"), SLUG)
    relative = po.relative_to(project.root)
    title = str(next(m.id for m in catalogs.read_catalog(po) if m.id))
    flagged = _set(po, title, "Digitaal Brussel %d", flag="c-format")
    kicker = _set(po, "Carte blanche", "Opinie\n")
    lines = check.check_all(project).lines()
    assert (f"{relative}:{kicker}: error: NEWLINE the source and the translation do not both "
            "end with a newline") in lines
    assert any(line.startswith((f"{relative}:{flagged}: error: MSGFMT ",
                                f"{relative}:{flagged + 1}: error: MSGFMT "))  # msgstr line
               and "format specifications" in line for line in lines), lines
    assert all(": error: " in line or ": warning: " in line for line in lines)


def test_gettext_escapes_are_kept_and_invalid_ones_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    header = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    path.write_text(header + 'msgid "Bip"\nmsgstr "\\a\\vBiep \\\\q"\n', "utf-8")
    assert catalogs.read_catalog(path).get("Bip").string == "\a\vBiep \\q"
    catalog = catalogs.read_catalog(path)
    catalog.get("Bip").flags.add("fuzzy")
    catalogs.write_catalog(path, catalog)
    assert 'msgstr "\\a\\vBiep \\\\q"' in path.read_text("utf-8")
    path.write_text(header + 'msgid "Bip"\nmsgstr "Biep\\q"\n', "utf-8")
    with pytest.raises(CatalogError, match=r"x.po:5: invalid escape \\q"):
        catalogs.read_catalog(path)


def test_stray_msgctxt_stops_the_build_with_its_line(project, capsys) -> None:
    po = project.catalog_path(project.language("nl"), SLUG)
    lines = po.read_text("utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line == 'msgid "Carte blanche"') + 2
    lines.insert(index, 'msgctxt "oops"')
    broken = "\n".join(lines)
    po.write_text(broken, "utf-8")
    assert cli.main(["--root", str(project.root), "catalogs"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{po}:{index + 1}: error: msgctxt without its msgid")
    assert "Traceback" not in err
    assert po.read_text("utf-8") == broken


def test_catalogues_carry_their_templates_creation_date(project, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    _edit_source(project, "Cela signifie donc que", "Cela signifie dès lors que")
    catalogs.update_all(project)
    dates = {path: catalogs._existing_header(path) for path in _files(project)}
    assert {dict(fields)["POT-Creation-Date"] for fields in dates.values()} == {
        "2023-11-14 22:13+0000"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    _translate(project, "nl")  # a later save by another stage keeps the template's date
    po = project.catalog_path(project.language("nl"), SLUG)
    assert dict(catalogs._existing_header(po))["POT-Creation-Date"] == "2023-11-14 22:13+0000"


def test_plural_entry_is_kept_as_gettext_defines_it(tmp_path: Path) -> None:
    """A translator's plural entry has no unit: it becomes obsolete, still a plural entry."""
    path = tmp_path / "x.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                    'msgid "un"\nmsgid_plural "plusieurs"\nmsgstr[0] "een"\nmsgstr[1] "meer"\n',
                    "utf-8")
    merged = catalogs.merge(catalogs.read_catalog(path), _template("Titre."))
    catalogs.write_catalog(path, merged)
    text = path.read_text("utf-8")
    assert ('#~ msgid "un"\n#~ msgid_plural "plusieurs"\n#~ msgstr[0] "een"\n'
            '#~ msgstr[1] "meer"\n') in text and "('een', 'meer')" not in text
    assert subprocess.run(["msgcat", str(path)], capture_output=True, text=True).stdout == text
    again = catalogs.merge(catalogs.read_catalog(path), _template("Titre."))
    assert [m.string for m in again.obsolete.values()] == [("een", "meer")]


def test_a_save_during_the_easy_read_drafts_is_not_reverted(project, monkeypatch) -> None:
    """The drafter parses for seconds; a save made meanwhile stops the stage and is kept."""
    from lisible.easyread import catalog as easyread_catalog

    po = project.catalog_path(project.language("fr@falc"), SLUG)
    draft = easyread_catalog.draft_messages
    saved: list[str] = []

    def slow_draft(messages, pending, resources):
        saved.append(_save_in_editor(po))  # the translator saves while the drafter runs
        return draft(messages, pending, resources)

    monkeypatch.setattr(easyread_catalog, "draft_messages", slow_draft)
    _assert_stage_stops_and_keeps_the_save(easyread_catalog.draft_all, project, po, saved)
