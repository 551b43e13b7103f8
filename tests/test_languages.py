"""Languages as settings: ``extra.lisible.languages`` and ``python build.py languages``.

The end-to-end test adds German with the command to a copy of the carte
blanche (plus a second text), builds offline with no translation model, and
finds German everywhere: catalogues that GNU ``msgfmt -c`` accepts, check,
status, the ``/de/`` site with its switcher links and German search, and the
German PDFs. The other tests are quick: editing ``mkdocs.yml`` keeps the
team's comments, ``remove`` never loses a translator's work, bad values are
one-line errors, and a catalogue folder nobody published is reported.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CARTE_SLUG, carte_blanche_project
from hypothesis import given
from hypothesis import settings as settings_hypothesis
from hypothesis import strategies as st

from lisible import catalogs, cli, convert, language_setup, languages, settings
from lisible.config import SOURCE, TARGETS, load_config
from lisible.document import unit_kind
from lisible.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent
SECOND = "deuxieme-texte"
SECOND_TEXT = """---
title: Un deuxième texte
---

# Un deuxième texte

Les associations demandent 3 guichets ouverts chaque jour.

Elles remercient les signataires.
"""


def _project(root: Path) -> Path:
    """The carte blanche and a short Markdown text, with the repository's mkdocs.yml."""
    root.mkdir(parents=True, exist_ok=True)
    config = carte_blanche_project(root)
    (root / "content" / f"{SECOND}.md").write_text(SECOND_TEXT, "utf-8")
    convert.convert_all(config)
    catalogs.update_all(config)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    return root


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``build.py`` in its own process, reproducible and without translation models."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(REPO)}
    old = os.umask(0o022)
    try:
        return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root),
                               *args], env=env, capture_output=True, text=True, timeout=900,
                              check=False)
    finally:
        os.umask(old)


def _main(capsys, root: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def german(tmp_path_factory) -> dict:
    """The project after ``languages add de``, one reviewed German entry, and a whole build."""
    root = _project(tmp_path_factory.mktemp("german") / "project")
    before = (root / "mkdocs.yml").read_text("utf-8")
    added = _run(root, "languages", "add", "de")
    assert added.returncode == 0, added.stderr
    path = root / "locales" / "de" / f"{CARTE_SLUG}.po"
    catalog = catalogs.read_catalog(path)
    title = next(m for m in catalog if m.id and unit_kind(m) == "title")
    title.string = "„Digitales Brüssel“: eine diskriminierende Maßnahme"
    catalogs.write_catalog(path, catalog)
    path = root / "locales" / "de" / f"{SECOND}.po"
    second = catalogs.read_catalog(path)
    numbered = next(m for m in second if m.id and re.search(r"\d", str(m.id)))
    numbered.string = "Die Vereine fordern jeden Tag offene Schalter."  # without the 3
    catalogs.write_catalog(path, second)
    build = _run(root)
    assert build.returncode == 0, build.stderr
    return {"root": root, "before": before, "added": added, "build": build,
            "status": _run(root, "status", "--json"),
            "check": _run(root, "check")}


def test_languages_add_writes_one_line_of_mkdocs_yml_and_a_catalogue_per_text(german):
    root = german["root"]
    after = (root / "mkdocs.yml").read_text("utf-8")
    changed = [(a, b) for a, b in zip(german["before"].splitlines(), after.splitlines(),
                                      strict=True) if a != b]
    assert changed == [("    languages: [fr, nl, en, fr@falc]   # published languages, the "
                        "source first; add one",
                        "    languages: [fr, nl, en, fr@falc, de]   # published languages, the "
                        "source first; add one")]
    assert "mkdocs.yml: de added (Deutsch, de-DE" in german["added"].stdout
    for slug in (CARTE_SLUG, SECOND):
        path = root / "locales" / "de" / f"{slug}.po"
        checked = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)],
                                 capture_output=True, text=True, check=False)
        assert checked.returncode == 0, checked.stderr
        header = path.read_text("utf-8")
        assert '"Language: de\\n"' in header
        assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header
        assert f'"Project-Id-Version: {slug}\\n"' in header
        assert "YEAR-MO-DA" not in header  # dated, as msginit does


def test_german_is_in_status_and_check(german):
    documents = json.loads(german["status"].stdout)["documents"]
    assert [lang["code"] for lang in documents[0]["languages"]] == ["nl", "en", "fr@falc", "de"]
    de = documents[0]["languages"][-1]
    assert (de["reviewed"], de["draft"], de["untranslated"], de["tag"]) == (1, 0, 12, "de-DE")
    assert re.search(rf"^locales/de/{SECOND}\.po:\d+: error: NUMBER number 3 ",
                     german["check"].stdout, re.MULTILINE)
    # No model for fr->de: the build says so, and the German units stay untranslated.
    assert "fr→de" in german["build"].stderr


def test_german_site_section_switcher_and_search(german):
    site = german["root"] / "site"
    home = (site / "de" / "index.html").read_text("utf-8")
    assert re.search(r'<html lang="de-DE"', home)
    page = (site / "de" / CARTE_SLUG / "index.html").read_text("utf-8")
    assert "„Digitales Brüssel“: eine diskriminierende Maßnahme" in page
    assert (site / "de" / SECOND / "index.html").exists()
    french = (site / "index.html").read_text("utf-8")
    assert re.search(r'<a href="de/" lang="de-DE" hreflang="de-DE">Deutsch', french)
    assert re.search(r'<link rel="alternate" hreflang="de-DE" href="de/"', french)
    assert re.search(r'<a href="\.\./nl/" lang="nl-BE" hreflang="nl-BE">', home)
    index = json.loads((site / "de" / "search" / "search_index.json").read_text("utf-8"))
    assert index["config"]["lang"] == ["de"]
    assert list((site / "assets" / "javascripts" / "lunr" / "min").glob("lunr.de.*"))
    # Its interface words fall back to English, with a warning until translated.
    assert ("no interface words for de" in german["build"].stdout
            and "the site's and PDFs' own words are in English" in german["build"].stdout)
    assert "Translation status" in (site / "de" / "status" / "index.html").read_text("utf-8")


def test_german_pdfs_say_they_are_german(german):
    import pikepdf

    downloads = german["root"] / "site" / "downloads"
    files = sorted(downloads.glob("*-de-a4.pdf"))
    assert [f.name for f in files] == [f"{CARTE_SLUG}-de-a4.pdf", f"{SECOND}-de-a4.pdf"]
    for path in files:
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.Lang) == "de-DE"
    assert "warning: no interface words for de" in german["build"].stderr


def test_the_carte_blanche_default_is_todays_four_languages(tmp_path):
    assert load_config(REPO).languages == (SOURCE, *TARGETS)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    assert load_config(tmp_path).languages == (SOURCE, *TARGETS)
    assert load_config(tmp_path / "nowhere").targets == TARGETS


def test_new_languages_come_from_babel():
    german = languages.describe("de")
    assert (german.tag, german.name, german.path, german.html_lang) == (
        "de-DE", "Deutsch", "de", "de-DE")
    brazil = languages.describe("pt_BR")
    assert (brazil.tag, brazil.path) == ("pt-BR", "pt-br")
    assert brazil.name.startswith("Português")
    latin = languages.describe("sr@latin")  # gettext's script modifier is a script subtag
    assert (latin.tag, latin.name, latin.path) == ("sr-Latn-RS", "Srpski (latinica)", "sr-latin")
    assert languages.plural_forms("pl").startswith("nplurals=3;")
    assert languages.search_options(german) == {"lang": ["de"]}
    # lunr has no Polish stemmer: whole words rather than English stemming.
    assert languages.search_options(languages.describe("pl")) == {"lang": ["en"],
                                                                  "pipeline": ["trimmer"]}
    assert languages.theme_language(languages.describe("fr@falc")) == "fr"


FLOW = """site_name: x   # our site
extra:
  generator: false   # keep
  lisible:
    contact: ""      # a comment
    languages: [fr, nl, en, fr@falc]   # ours
    licence: ""      # last
"""
BLOCK = """site_name: x
extra:
  lisible:
    languages:       # the list
      - fr           # source
      - code: nl
        name: Vlaams
      - en
    licence: ""      # after
"""
ABSENT = """site_name: x
extra:
  lisible:
    publisher:
      name: ""       # who
      address: ""
# a closing comment
"""
NO_BLOCK = """site_name: x
extra:
  generator: false   # keep
nav: []
"""
NO_EXTRA = "site_name: x   # only this\n"


@pytest.mark.parametrize("text, codes", [
    (FLOW, ["fr", "nl", "en", "fr@falc"]), (BLOCK, ["fr", "nl", "en"]),
    (ABSENT, list(languages.DEFAULT)), (NO_BLOCK, list(languages.DEFAULT)),
    (NO_EXTRA, list(languages.DEFAULT))])
def test_add_then_remove_edits_only_the_list_and_keeps_comments(tmp_path, capsys, text, codes):
    (tmp_path / "mkdocs.yml").write_text(text, "utf-8")
    code, _out, err = _main(capsys, tmp_path, "languages", "add", "no")
    assert code == 0, err
    after = (tmp_path / "mkdocs.yml").read_text("utf-8")
    assert [lg.code for lg in load_config(tmp_path).languages] == [*codes, "no"]
    comments = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]
    assert all(comment in after for comment in comments)
    assert len(after.splitlines()) - len(text.splitlines()) <= 4
    if text in (FLOW, BLOCK):
        assert [line for line in after.splitlines() if line not in text.splitlines()] in (
            ['    languages: [fr, nl, en, fr@falc, "no"]   # ours'], ['      - "no"'])
    if text == BLOCK:
        assert load_config(tmp_path).language("nl").name == "Vlaams"
    code, _out, err = _main(capsys, tmp_path, "languages", "remove", "no")
    assert code == 0, err
    removed = (tmp_path / "mkdocs.yml").read_text("utf-8")
    assert [lg.code for lg in load_config(tmp_path).languages] == codes
    if text in (FLOW, BLOCK):
        assert removed == text
    code, _out, err = _main(capsys, tmp_path, "languages", "remove", "nl")
    assert code == 0, err
    assert [lg.code for lg in load_config(tmp_path).languages] == [c for c in codes if c != "nl"]
    assert all(comment in (tmp_path / "mkdocs.yml").read_text("utf-8") for comment in comments)


@pytest.fixture
def with_german(tmp_path, capsys) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    carte_blanche_project(root)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    assert _main(capsys, root, "languages", "add", "de")[0] == 0
    return root


def test_remove_sets_empty_catalogues_aside_and_add_brings_them_back(with_german, capsys):
    root = with_german
    po = root / "locales" / "de" / f"{CARTE_SLUG}.po"
    saved = po.read_bytes()
    code, out, err = _main(capsys, root, "languages", "remove", "de")
    assert code == 0, err
    assert "de" not in [lg.code for lg in load_config(root).languages]
    assert not po.exists()
    assert (root / "locales" / "removed" / "de" / po.name).read_bytes() == saved
    assert err == ""  # locales/removed/ is not an unpublished language
    code, out, err = _main(capsys, root, "languages", "add", "de")
    assert code == 0 and "brought back" in out
    assert po.read_bytes() == saved


def test_remove_refuses_to_unpublish_reviewed_work_without_force(with_german, capsys):
    root = with_german
    po = root / "locales" / "de" / f"{CARTE_SLUG}.po"
    catalog = catalogs.read_catalog(po)
    next(m for m in catalog if m.id).string = "Digitales Brüssel"
    catalogs.write_catalog(po, catalog)
    saved, settings_text = po.read_bytes(), (root / "mkdocs.yml").read_bytes()
    code, _out, err = _main(capsys, root, "languages", "remove", "de")
    assert code == 1
    assert len(err.splitlines()) == 1 and "1 reviewed" in err and "--force" in err
    assert "Traceback" not in err
    assert po.read_bytes() == saved and (root / "mkdocs.yml").read_bytes() == settings_text
    code, _out, err = _main(capsys, root, "languages", "remove", "de", "--force")
    assert code == 0, err
    assert (root / "locales" / "removed" / "de" / po.name).read_bytes() == saved
    assert _main(capsys, root, "languages", "remove", "fr")[0] == 1


@pytest.mark.parametrize("argv", [["add", "xx"], ["add", "de-DE-?"], ["add", "Deutsch"],
                                  ["remove", "de"]])
def test_a_bad_code_on_the_command_line_is_one_line_and_exit_1(tmp_path, capsys, argv):
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    code, out, err = _main(capsys, tmp_path, "languages", *argv)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and "Traceback" not in err
    assert (tmp_path / "mkdocs.yml").read_bytes() == (REPO / "mkdocs.yml").read_bytes()


@pytest.mark.parametrize("value, message", [
    ("[fr, nl, xx]", "unknown language code 'xx'"),
    ("[nl, fr]", "the first language is the source, 'fr'"),
    ("[fr, nl, nl]", "language 'nl': listed twice"),
    ("[fr, no]", 'quote it: "no"'),
    ("[fr, {code: de, path: assets}]", "path 'assets' must be a folder name"),
    ("[fr, {code: de, path: nl}, nl]", "its folder 'nl' is de's already"),
    ("[fr, {code: de, tag: german}]", "tag 'german' is not a BCP 47 tag"),
    ("[fr, {code: de, flag: x}]", "unknown key 'flag'"),
    ("fr", "expected a list of language codes"),
])
def test_a_bad_languages_setting_is_a_file_line_error(tmp_path, capsys, value, message):
    text = f"site_name: x\nextra:\n  lisible:\n    contact: ''\n    languages: {value}\n"
    (tmp_path / "mkdocs.yml").write_text(text, "utf-8")
    with pytest.raises(ConfigError) as raised:
        settings.load_publication(tmp_path)
    assert raised.value.line == 5 and message in str(raised.value)
    code, _out, err = _main(capsys, tmp_path, "status")
    assert code == 1
    assert err.startswith(f"{tmp_path / 'mkdocs.yml'}:5: error: extra.lisible.languages: ")
    assert len(err.splitlines()) == 1


def test_a_catalogue_made_by_hand_with_msginit_is_reported_never_ignored(tmp_path, capsys):
    root = tmp_path / "project"
    root.mkdir()
    carte_blanche_project(root)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "locales" / "de").mkdir()
    subprocess.run(["msginit", "--no-translator", "-l", "de", "-i",
                    str(root / "locales" / f"{CARTE_SLUG}.pot"),
                    "-o", str(root / "locales" / "de" / f"{CARTE_SLUG}.po")],
                   check=True, capture_output=True)
    (root / "locales" / "memory").mkdir()
    shutil.copy(root / "locales" / "nl" / f"{CARTE_SLUG}.po", root / "locales" / "memory")
    code, out, err = _main(capsys, root, "check")
    assert code == 0
    assert err.splitlines()[:-1] == [
        "locales/de: warning: 1 catalogue(s) for 'de', which is not a published language: "
        "lisible ignores them. Publish it with: python build.py languages add de"]
    code, out, err = _main(capsys, root, "languages")
    assert code == 0 and "python build.py languages add de" in out
    code, out, err = _main(capsys, root, "languages", "add", "de")
    assert code == 0 and "kept (it exists)" in out
    assert "not a published language" not in _main(capsys, root, "check")[2]


def test_machine_drafts_for_a_new_language_only_with_its_argos_package(with_german, capsys):
    """fr->de drafts appear once a package covers the pair (a tiny fake one here);
    until then the units wait, untranslated."""
    from argos_package import build_package

    from lisible import models, translate

    root = with_german
    config = load_config(root)
    po = config.catalog_path(config.language("de"), CARTE_SLUG)
    assert "fr→de" in translate.translate_all(config).warning()
    assert catalogs.counts(catalogs.read_catalog(po))["untranslated"] == 13
    package = build_package(root.parent, "fr", "de", "Hallo wereld.")  # its vocabulary's words
    models.install_file(config.models_dir, package)
    report = translate.translate_all(config)
    catalog = catalogs.read_catalog(po)
    drafted = [m for m in catalog if m.id and m.string]
    assert drafted and all(m.fuzzy for m in drafted)
    assert "Hallo wereld." in {str(m.string) for m in drafted}
    assert all("model=translate-fr_de" in "\n".join(m.user_comments) for m in drafted)
    assert "fr→de" not in report.warning() and "de" not in report.missing


POOL = ("de", "es", "no", "pt_BR", "nl", "en", "fr@falc", "it")


@settings_hypothesis(max_examples=40)
@given(layout=st.sampled_from([FLOW, BLOCK, ABSENT, NO_BLOCK, NO_EXTRA]),
       steps=st.lists(st.tuples(st.booleans(), st.sampled_from(POOL)), max_size=8))
def test_any_history_of_adds_and_removes_keeps_the_file_and_the_list_right(layout, steps):
    """After any sequence of commands, the list is what they asked for and every other
    line of the team's file is still there, in order."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "mkdocs.yml").write_text(layout, "utf-8")
        expected = [lg.code for lg in load_config(root).languages]
        for adding, code in steps:
            config = load_config(root)
            if adding:
                language_setup.add(config, code)
                expected += [] if code in expected else [code]
            elif code in expected:
                language_setup.remove(config, code)
                expected.remove(code)
            else:
                with pytest.raises(ConfigError):
                    language_setup.remove(config, code)
            assert [lg.code for lg in load_config(root).languages] == expected
        lines = (root / "mkdocs.yml").read_text("utf-8").splitlines()
        kept = iter(lines)
        others = [line for line in layout.splitlines() if "languages" not in line
                  and not line.lstrip().startswith(("- ", "name: Vlaams"))]
        assert all(any(line == seen for seen in kept) for line in others)
