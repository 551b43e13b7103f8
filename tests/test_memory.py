"""The translation memory across texts, on real catalogues of a temporary project.

The project holds the carte blanche with its reviewed nl, en and easy-read
catalogues (copied from the repository) and a second text, a Markdown file
that repeats one of its paragraphs word for word and another with two words
changed. No translation model is installed: whatever gets a draft got it from
the memory.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from translate.misc.xml_helpers import getXMLlang
from translate.storage import po, tmx

from lisible import catalogs, check, cli, convert, easyread, memory, translate
from lisible.catalogs import State
from lisible.config import config_from_dict
from lisible.errors import ConfigError
from lisible.provenance import Provenance

ROOT = Path(__file__).resolve().parent.parent
SLUG = "carte-blanche-bruxelles-numerique"
SECOND = "suite"
IDENTICAL = ("Cela signifie donc que l’ordonnance «\u202fBruxelles numérique\u202f» va imposer, "
             "pour l’accès à des besoins essentiels, une voie d’accès qui met en difficulté une "
             "personne sur deux, et soulève, pour certains, de réelles questions de survie.")
CLOSE = IDENTICAL.replace("essentiels", "fondamentaux").replace("réelles", "vraies")
NEW = "Ce paragraphe est entièrement nouveau et ne ressemble à rien de connu."


def _second_text(*paragraphs: str) -> str:
    return "# Une suite\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def project(tmp_path: Path):
    """The carte blanche with its reviewed catalogues, and a second text; no MT model."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    for lang in ("nl", "en", "fr@falc"):
        (tmp_path / "locales" / lang).mkdir(parents=True)
        shutil.copy(ROOT / "locales" / lang / f"{SLUG}.po", tmp_path / "locales" / lang)
    (tmp_path / "content" / f"{SECOND}.md").write_text(_second_text(IDENTICAL, CLOSE, NEW),
                                                       "utf-8")
    config = config_from_dict(tmp_path, {"models_dir": str(tmp_path / "models")})
    convert.convert_all(config)
    catalogs.update_all(config)
    return config


def _catalog(config, code: str, slug: str = SECOND):
    return catalogs.read_catalog(config.catalog_path(config.language(code), slug))


def _reviewed(config, code: str, msgid: str) -> str:
    return str(_catalog(config, code, SLUG).get(msgid).string)


def _files(config) -> dict[str, bytes]:
    return {p.relative_to(config.root).as_posix(): p.read_bytes()
            for p in sorted(config.locales_dir.rglob("*.po*"))}


def _draft_comment(message) -> str:
    """The draft's provenance: a translator comment (``# lisible-draft: …``) that msgmerge keeps."""
    return next(c for c in message.user_comments if c.startswith("lisible-draft: "))


def test_identical_paragraph_gets_the_reviewed_translation_as_a_memory_draft(project):
    assert IDENTICAL in {str(m.id) for m in _catalog(project, "nl")}  # same unit after convert
    before = {code: _catalog(project, code, SLUG) for code in ("nl", "en", "fr@falc")}
    translate.translate_all(project)  # no model installed: only the memory can fill
    for code in ("nl", "en", "fr@falc"):
        message = _catalog(project, code).get(IDENTICAL)
        assert message.string == _reviewed(project, code, IDENTICAL) != ""
        assert catalogs.state_of(message) is State.DRAFT and message.fuzzy
        assert _draft_comment(message) == Provenance(
            "memory", memory="catalogues", text=SLUG, match="100%").comment()
        assert "engine=memory; memory=catalogues; text=" + SLUG in _draft_comment(message)
        assert list(_catalog(project, code, SLUG)) == list(before[code])  # source text untouched
    assert not _catalog(project, "nl").get(NEW).string  # nothing to match, no model: left to MT


def test_close_paragraph_gets_a_draft_with_its_score_except_in_easy_read(project):
    translate.translate_all(project)
    score = catalogs.similarity(CLOSE, IDENTICAL)
    assert 0.75 <= score < 1
    for code in ("nl", "en"):
        message = _catalog(project, code).get(CLOSE)
        assert message.string == _reviewed(project, code, IDENTICAL) and message.fuzzy
        assert _draft_comment(message).endswith(f"; match={int(score * 100)}%")
    assert not _catalog(project, "fr@falc").get(CLOSE).string  # easy-read: exact matches only


def test_threshold_is_a_setting(project, tmp_path):
    strict = config_from_dict(tmp_path, {"models_dir": str(tmp_path / "models"),
                                         "memory_match": 0.99})
    translate.translate_all(strict)
    assert not _catalog(strict, "nl").get(CLOSE).string
    assert _catalog(strict, "nl").get(IDENTICAL).string
    with pytest.raises(ConfigError, match=r"memory_match: expected a number from 0\.5 to 1"):
        config_from_dict(tmp_path, {"memory_match": 0.2})
    with pytest.raises(ConfigError, match="memory_match"):
        config_from_dict(tmp_path, {"memory_match": True})


def test_reviewed_entries_are_never_touched(project):
    path = project.catalog_path(project.language("nl"), SECOND)
    catalog = catalogs.read_catalog(path)
    catalog.get(IDENTICAL).string = "Mijn eigen vertaling, nagekeken."
    catalogs.write_catalog(path, catalog)
    carte_blanche = _files(project)
    translate.translate_all(project, redo_drafts=True)
    kept = _catalog(project, "nl").get(IDENTICAL)
    assert kept.string == "Mijn eigen vertaling, nagekeken." and not kept.fuzzy
    assert not any(c.startswith("lisible-draft")
                   for c in [*kept.auto_comments, *kept.user_comments])
    after = _files(project)
    assert {k: v for k, v in after.items() if SLUG in k} == {
        k: v for k, v in carte_blanche.items() if SLUG in k}


def test_a_second_build_changes_nothing(project):
    def stages() -> None:
        catalogs.update_all(project)
        translate.translate_all(project)
        easyread.draft_all(project)
        check.annotate_all(project)

    stages()
    first = _files(project)
    assert "engine=memory" in first[f"locales/nl/{SECOND}.po"].decode()
    stages()
    assert _files(project) == first


def test_drafts_never_feed_the_memory(project, tmp_path):
    """A third text repeating the close paragraph does not reuse the second text's draft."""
    translate.translate_all(project)
    (project.content_dir / "troisieme.md").write_text(_second_text(NEW), "utf-8")
    convert.convert_all(project)
    catalogs.update_all(project)
    translate.translate_all(project)
    assert not _catalog(project, "nl", "troisieme").get(NEW).string


def test_a_tmx_file_and_a_po_compendium_feed_the_memory(project):
    folder = memory.memory_dir(project)
    folder.mkdir()
    store = tmx.tmxfile(sourcelanguage="fr-FR")
    unit = store.addsourceunit(NEW, "fr-FR")
    unit.settarget("Deze alinea is helemaal nieuw.", "nl-BE", append=True)
    (folder / "cat-tool.tmx").write_bytes(bytes(store))
    compendium = po.pofile()
    compendium.updateheader(add=True, Language="en")
    compendium.addsourceunit(NEW).target = "This paragraph is entirely new."
    fuzzy = compendium.addsourceunit("Une suite")
    fuzzy.target = "A sequel"
    fuzzy.markfuzzy(True)
    (folder / "old.po").write_bytes(bytes(compendium))
    translate.translate_all(project)
    nl, en = _catalog(project, "nl").get(NEW), _catalog(project, "en").get(NEW)
    assert nl.string == "Deze alinea is helemaal nieuw." and nl.fuzzy
    assert _draft_comment(nl).endswith("memory=locales/memory/cat-tool.tmx; match=100%")
    assert en.string == "This paragraph is entirely new."
    assert "memory=locales/memory/old.po" in _draft_comment(en)
    assert not _catalog(project, "en").get("Une suite").string  # not from a fuzzy entry


def test_a_broken_memory_file_is_one_line_and_exit_1(project, capsys):
    memory.memory_dir(project).mkdir()
    broken = memory.memory_dir(project) / "broken.tmx"
    broken.write_text("<tmx><body>", "utf-8")
    assert cli.main(["--root", str(project.root), "translate"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{broken}: error: not a readable TMX file") and "\n" not in err
    broken.unlink()
    (memory.memory_dir(project) / "nolang.po").write_text('msgid "a"\nmsgstr "b"\n', "utf-8")
    assert cli.main(["--root", str(project.root), "translate"]) == 1
    assert "needs a Language header" in capsys.readouterr().err


def test_export_writes_every_reviewed_pair_and_reads_back(project, tmp_path):
    out = tmp_path / "export" / "memory.tmx"
    assert cli.main(["--root", str(project.root), "memory", "export", str(out)]) == 0
    store = tmx.tmxfile.parsefile(str(out))
    found = {(getXMLlang(node), unit.source, unit.getNodeText(node))
             for unit in store.units for node in unit.getlanguageNodes()[1:]}
    tags = {lang.code: memory.tmx_tag(lang) for lang in project.targets}
    expected = {(tags[code], str(m.id), str(m.string)) for code in tags
                for m in _catalog(project, code, SLUG)
                if m.id and catalogs.state_of(m) is State.REVIEWED}
    assert found == expected and len(expected) == 3 * 13
    assert all(getXMLlang(u.getlanguageNodes()[0]) == "fr-BE" for u in store.units)
    assert {tuple(u.getnotes().split(", ")) for u in store.units} == {(SLUG,)}
    # read back by lisible itself, as a memory file of a project with no catalogues
    empty = config_from_dict(tmp_path / "other", {})
    memory.memory_dir(empty).mkdir(parents=True)
    shutil.copy(out, memory.memory_dir(empty))
    pairs = memory.file_pairs(empty)
    assert {(memory.tmx_tag(empty.language(code)), e.source, e.target)
            for code, entries in pairs.items() for e in entries} == expected


# --------------------------------------------------------------------------- pure lookup

NL = config_from_dict(Path("/tmp"), {}).language("nl")
FALC = config_from_dict(Path("/tmp"), {}).language("fr@falc")


def _memory(*pairs: tuple[str, str, str], threshold: float = 0.75) -> memory.Memory:
    return memory.build({"nl": [memory.Entry(s, t, memory.CATALOGUES, text)
                                for s, t, text in pairs]}, threshold)


def test_a_text_never_draws_from_itself():
    tm = _memory(("Une phrase bien connue de tous.", "Een bekende zin.", "a"))
    assert tm.lookup(NL, "Une phrase bien connue de tous.", "a") is None
    assert tm.lookup(NL, "Une phrase bien connue de tous.", "b").exact


def test_a_close_match_with_other_markup_is_not_used():
    source = "Selon le baromètre de 2022[^1], une personne sur deux est en difficulté."
    tm = _memory((source, "Volgens de barometer van 2022[^1] heeft één op twee moeite.", "a"))
    assert tm.lookup(NL, source.replace("Selon", "D’après"), "b").score >= 0.75
    assert tm.lookup(NL, source.replace("[^1]", "[^3]"), "b") is None
    assert tm.lookup(NL, source.replace("2022", "2023"), "b") is None
    assert tm.lookup(NL, source.replace("[^1]", ""), "b") is None


def test_most_frequent_reviewed_variant_wins():
    tm = _memory(("Bonjour à tous.", "Hallo allemaal.", "a"), ("Bonjour à tous.", "Dag iedereen.",
                 "b"), ("Bonjour à tous.", "Hallo allemaal.", "c"))
    match = tm.lookup(NL, "Bonjour à tous.", "d")
    assert match.entry.target == "Hallo allemaal." and match.entry.text == "a"
    tie = tm.lookup(NL, "Bonjour à tous.", "a").entry  # one vote each: the first text by name
    assert (tie.text, tie.target) == ("b", "Dag iedereen.")


def test_spacing_and_apostrophes_do_not_prevent_an_exact_match():
    tm = _memory(("L’ordonnance «\u202fBruxelles numérique\u202f»\u202f: une mesure.",
                  "De ordonnantie ‘Digitaal Brussel’: een maatregel.", "a"))
    match = tm.lookup(NL, "L'ordonnance « Bruxelles numérique » : une mesure.", "b")
    assert match.exact and match.percent == 100


def test_raw_html_from_a_memory_is_never_used():
    source = "Une phrase simple à traduire."
    tm = memory.build({"nl": [memory.Entry(source, "Een <script>zin</script>.", "x.tmx")]})
    assert tm.lookup(NL, source).exact
    assert memory.drafts_for(tm, NL, "b", [(source, None)]) == {}


def test_easy_read_takes_exact_matches_only():
    tm = memory.build({"fr@falc": [memory.Entry("Le texte est très long et difficile.",
                                                "Le texte est long.", memory.CATALOGUES, "a")]})
    assert tm.lookup(FALC, "Le texte est très long et difficile.", "b").exact
    assert tm.lookup(FALC, "Le texte est très long et vraiment difficile.", "b") is None


_WORDS = st.sampled_from(["le", "la", "de", "un", "une", "texte", "droit", "accès", "guichet",
                          "numérique", "humain", "personne", "commune", "service", "aide"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=9).map(" ".join), min_size=1,
                max_size=12), st.lists(_WORDS, min_size=1, max_size=9).map(" ".join),
       st.sampled_from([0.5, 0.6, 0.75, 0.9]))
def test_prefilter_finds_the_same_best_score_as_scoring_every_entry(sources, query, threshold):
    tm = memory.LanguageMemory.build((memory.Entry(s, s.upper(), "m") for s in sources),
                                     threshold)
    scores = [catalogs.similarity(query, s) for s in sources]
    best = max((s for s in scores if s >= threshold), default=None)
    found = tm.close(query, "")
    assert (found is None) == (best is None)
    if found is not None:
        assert catalogs.similarity(query, found.entry.source) == best


MT = Provenance("argostranslate 1.11.0", "translate-fr_nl 1.9", "0a1b2c")


def test_machine_drafts_are_kept_unless_redone(project):
    path = project.catalog_path(project.language("nl"), SECOND)
    catalogs.write_catalog(path, catalogs.apply_drafts(catalogs.read_catalog(path), {
        (IDENTICAL, None): catalogs.Draft("Een machinevertaling.", MT)}))
    translate.translate_all(project)
    assert _catalog(project, "nl").get(IDENTICAL).string == "Een machinevertaling."
    translate.translate_all(project, redo_drafts=True)
    message = _catalog(project, "nl").get(IDENTICAL)
    assert message.string == _reviewed(project, "nl", IDENTICAL)
    assert "engine=memory" in _draft_comment(message)


class Upper:
    """An engine that shouts: enough to see which units reached it."""

    provenance = MT

    def translate(self, texts):
        return [text.upper() for text in texts]


def test_mt_leaves_alone_what_the_memory_just_filled(project):
    path = project.catalog_path(project.language("nl"), SECOND)
    filled = memory.fill_all(project, redo_drafts=True)[path]
    assert (IDENTICAL, None) in filled and (CLOSE, None) in filled
    translate.translate_catalog(path, Upper(), redo_drafts=True, keep=filled,
                                progress=lambda *a: translate.Progress(*a, io.StringIO()))
    catalog = catalogs.read_catalog(path)
    assert catalog.get(IDENTICAL).string == _reviewed(project, "nl", IDENTICAL)
    assert catalog.get(NEW).string == NEW.upper()
