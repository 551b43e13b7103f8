"""The translation stage without a model: markup placeholders, output checks, drafts, packages.

The engines here are small pure-Python stand-ins for a model (the thing under
test is lisible's handling around the model, not the model): one that copies,
one that scrambles word order and drops spaces, one that loses or repeats
placeholders. The real argos path is in ``test_translate_argos.py``.
"""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lisible import models
from lisible.placeholders import PLACEHOLDER_RE, protect, restore
from lisible.provenance import Finding, Provenance
from lisible.translate import (
    COPY_PROVENANCE,
    Progress,
    decoding_cap,
    find_route,
    length_groups,
    make_drafts,
    missing_models_message,
    output_findings,
)

ENGINE = Provenance(engine="test-engine 1", model="words 1", digest="abc")


class Scramble:
    """Reverses the word order and glues the words together without spaces."""

    provenance = ENGINE

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, texts):
        self.calls.append(list(texts))
        return ["".join(reversed(text.split())) for text in texts]


class Rewrite:
    """Returns ``fn(text)`` for each text: to simulate what models do to placeholders."""

    provenance = ENGINE

    def __init__(self, fn):
        self.fn = fn

    def translate(self, texts):
        return [self.fn(text) for text in texts]


MARKDOWN = [
    "Dans quelques jours, l’ordonnance « Bruxelles numérique » entrera en vigueur[^1].",
    "Selon le **baromètre 2022**, 40 % des Bruxellois sont en *difficulté*.",
    "Voir [le rapport de la Fondation](https://kbs-frb.be/fr/barometre \"titre\") ou "
    "<https://example.org/a?b=c>.",
    "Le code `ordonnance.pdf` et un \\* littéral, puis 1\u202f000 euros et 3,5 %.",
    "Une ligne\\\nune autre ligne avec [12] au milieu.",
    "Un astérisque * seul et __gras__ avec [un *lien* emphatique](https://a.be).",
]


@pytest.mark.parametrize("text", MARKDOWN)
def test_placeholders_hide_markup_and_come_back_exactly(text):
    protected = protect(text)
    bare = PLACEHOLDER_RE.sub(" ", protected.text)
    assert not re.search(r"[\d*_`\\]|https?:|\[\^", bare), bare
    assert restore(protected.text, protected) == (text, ())


def test_link_text_stays_translatable_and_url_is_hidden():
    protected = protect("Voir [le rapport](https://kbs-frb.be/fr) ici.")
    assert "le rapport" in protected.text
    assert "kbs-frb" not in protected.text
    assert protected.text == "Voir [1]le rapport[2] ici."


@pytest.mark.parametrize("text", MARKDOWN)
def test_scrambled_words_without_spaces_keep_every_placeholder(text):
    engine = Scramble()
    [draft] = make_drafts(engine, [text])
    assert not any("missing" in f.message or "repeated" in f.message for f in draft.findings)
    protected = protect(text)
    counts = Counter(token.text for token in protected.tokens)
    for markup, count in counts.items():
        assert draft.text.count(markup) >= count, markup
    assert draft.provenance == ENGINE


_PIECES = st.sampled_from([
    "mot", "Bruxelles", "numérique", "é", " ", " ", "**", "*", "_", "[^1]", "[^note]",
    "`x = 1`", "[lien](https://a.be/b)", "<https://c.be>", "2022", "3,5", "[7]", "\\*",
    ".", ",", "«", "»", "!", "?", "https://d.be/e",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_protect_then_restore_is_identity(text):
    protected = protect(text)
    assert restore(protected.text, protected) == (text, ())


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_scramble_never_loses_or_repeats_markup(text):
    protected = protect(text)
    scrambled = "".join(reversed(protected.text.split()))
    restored, findings = restore(scrambled, protected)
    assert not any("missing" in f.message or "repeated" in f.message for f in findings)
    for markup, count in Counter(t.text for t in protected.tokens).items():
        assert restored.count(markup) >= count


def test_spaces_a_model_adds_inside_emphasis_and_before_notes_are_dropped():
    protected = protect("Le **baromètre**[^1] dit.")
    assert protected.text == "Le [1]baromètre[2][3] dit."
    assert restore("The [1] barometer [2] [3] says.", protected) == (
        "The **barometer**[^1] says.", ())


def test_lost_placeholder_is_an_error_naming_the_markup():
    protected = protect("Voir la note[^1] et `code`.")
    text, findings = restore("See the note.", protected)
    assert text == "See the note."
    assert [f.code for f in findings] == ["MT-PLACEHOLDER"]
    assert findings[0].severity == "error"
    assert "missing: [^1], `code`" in findings[0].message


def test_repeated_and_swapped_placeholders_are_errors():
    protected = protect("Un *mot* ici.")
    _, repeated = restore("A [1]word[2] [2] here.", protected)
    assert "repeated: *" in repeated[0].message
    _, swapped = restore("A [2]word[1] here.", protected)
    assert "out of order" in swapped[0].message


def test_unknown_placeholder_is_left_alone():
    protected = protect("Le *mot*.")
    text, findings = restore("The [1]word[2] [9].", protected)
    assert text == "The *word* [9]."
    assert findings == ()


@pytest.mark.parametrize(("draft", "code"), [
    ("", "MT-EMPTY"),
    ("   ", "MT-EMPTY"),
    ("Le baromètre dit que tout va bien.", "MT-IDENTICAL"),
    ("Le  baromètre\u00a0dit que tout va bien. ", "MT-IDENTICAL"),
    ("The", "MT-TRUNCATED"),
    ("The barometer says all is well.", None),
])
def test_output_findings(draft, code):
    findings = output_findings("Le baromètre dit que tout va bien.", draft)
    assert [f.code for f in findings] == ([code] if code else [])
    assert all(isinstance(f, Finding) and f.severity == "error" for f in findings)


def test_drafts_are_made_in_one_batch_and_untranslatable_units_are_copied():
    engine = Scramble()
    sources = ["Un texte à traduire.", "2022", "[^1]", "Un *autre* texte."]
    drafts = make_drafts(engine, sources)
    assert engine.calls == [["Un texte à traduire.", "Un [1]autre[2] texte."]]
    assert drafts[1].text == "2022" and drafts[1].provenance == COPY_PROVENANCE
    assert drafts[2].findings == () and drafts[2].provenance.rules == "copy-untranslatable"
    assert drafts[0].provenance == ENGINE


def test_identity_engine_output_is_flagged_but_kept():
    [draft] = make_drafts(Rewrite(lambda text: text), ["Bonjour tout le monde."])
    assert draft.text == "Bonjour tout le monde."
    assert [f.code for f in draft.findings] == ["MT-IDENTICAL"]


def test_a_draft_with_lost_markup_is_kept_with_an_error():
    [draft] = make_drafts(Rewrite(lambda text: "The note says something useful."),
                          ["La note[^1] dit quelque chose d’utile."])
    assert draft.text == "The note says something useful."
    assert [f.code for f in draft.findings] == ["MT-PLACEHOLDER"]


def _info(from_code, to_code):
    return models.PackageInfo(f"translate-{from_code}_{to_code}", from_code, to_code, "1.0", "",
                              Path("."))


def test_route_is_direct_else_through_english():
    fr_en, en_nl, fr_de, de_nl = (_info("fr", "en"), _info("en", "nl"), _info("fr", "de"),
                                  _info("de", "nl"))
    assert find_route([fr_en, en_nl], "fr", "en") == [fr_en]
    assert find_route([de_nl, fr_de, en_nl, fr_en], "fr", "nl") == [fr_en, en_nl]
    assert find_route([fr_de, de_nl], "fr", "nl") == [fr_de, de_nl]
    assert find_route([fr_en], "fr", "nl") is None
    assert find_route([_info("fr", "nl"), fr_en, en_nl], "fr", "nl") == [_info("fr", "nl")]


def test_missing_model_message_names_pairs_and_commands():
    message = missing_models_message("fr", ["nl", "en"])
    assert "fr→nl, fr→en" in message
    assert "python build.py models install --from-index fr nl en" in message
    assert "python build.py models install FILE.argosmodel" in message


def test_decoding_cap_grows_with_input_and_is_bounded():
    assert decoding_cap(1) < decoding_cap(20) < decoding_cap(100) <= 512
    assert decoding_cap(20) >= 2 * 20
    assert decoding_cap(10_000) == 512


def test_progress_writes_plain_lines_off_a_terminal():
    stream = io.StringIO()
    bar = Progress("translate nl/doc", 40, stream)
    bar.advance(32)
    bar.advance(8)
    assert stream.getvalue() == ("translate nl/doc: 32/40 units\n"
                                 "translate nl/doc: 40/40 units\n")


# --------------------------------------------------------------------------- archives

GOOD_META = {"from_code": "fr", "to_code": "en", "package_version": "1.0",
             "argos_version": "1.9", "type": "translate"}
GOOD_FILES = {
    "pkg/metadata.json": json.dumps(GOOD_META),
    "pkg/model/model.bin": "weights",
    "pkg/model/config.json": "{}",
    "pkg/sentencepiece.model": "sp",
    "pkg/minisbd/fr.onnx": "onnx",
}


def _zip(tmp_path: Path, files: dict[str, str], name: str = "p.argosmodel",
         symlink: str | None = None) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in files.items():
            archive.writestr(member, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return path


def test_a_well_formed_archive_is_accepted(tmp_path):
    meta = models.validate_archive(_zip(tmp_path, GOOD_FILES))
    assert (meta["from_code"], meta["to_code"], meta["_top"]) == ("fr", "en", "pkg")


def _without(*names: str, **changes: str) -> dict[str, str]:
    files = {k: v for k, v in GOOD_FILES.items() if k not in names}
    files.update({k.replace("__", "/").replace("_DOT_", "."): v for k, v in changes.items()})
    return files


@pytest.mark.parametrize(("files", "symlink", "message"), [
    ({**GOOD_FILES, "/etc/cron.d/evil": "x"}, None, "absolute"),
    ({**GOOD_FILES, "pkg/../../evil.sh": "x"}, None, "leaves the package folder"),
    ({**GOOD_FILES, "../evil.sh": "x"}, None, "leaves the package folder"),
    ({**GOOD_FILES, "other/metadata.json": "{}"}, None, "one top folder"),
    ({**GOOD_FILES, "README.md": "loose"}, None, "one top folder"),
    ({**GOOD_FILES, "pkg\\..\\evil": "x"}, None, "non-POSIX"),
    (GOOD_FILES, "pkg/model/link", "symbolic link"),
    (_without("pkg/metadata.json"), None, "missing pkg/metadata.json"),
    ({**GOOD_FILES, "pkg/metadata.json": "{not json"}, None, "not valid JSON"),
    ({**GOOD_FILES, "pkg/metadata.json": "[1, 2]"}, None, "needs from_code and to_code"),
    ({**GOOD_FILES, "pkg/metadata.json": json.dumps({"from_code": "fr"})}, None,
     "needs from_code and to_code"),
    ({**GOOD_FILES, "pkg/metadata.json": json.dumps({**GOOD_META, "type": "sbd"})}, None,
     "package type"),
    (_without("pkg/model/model.bin"), None, "missing pkg/model/model.bin"),
    (_without("pkg/sentencepiece.model"), None, "sentencepiece.model (or bpe.model)"),
])
def test_malicious_or_broken_archives_are_refused(tmp_path, files, symlink, message):
    archive = _zip(tmp_path, files, symlink=symlink)
    with pytest.raises(models.ModelError, match=message.replace("(", r"\(").replace(")", r"\)")
                       ) as caught:
        models.validate_archive(archive)
    assert str(archive) in str(caught.value)


def test_not_a_zip_and_missing_file_are_refused(tmp_path):
    fake = tmp_path / "fake.argosmodel"
    fake.write_text("not a zip")
    with pytest.raises(models.ModelError, match="not a zip"):
        models.validate_archive(fake)
    with pytest.raises(models.ModelError, match="no such file"):
        models.validate_archive(tmp_path / "absent.argosmodel")


def test_refused_archive_leaves_the_packages_folder_untouched(tmp_path):
    archive = _zip(tmp_path, {**GOOD_FILES, "pkg/../../evil.sh": "x"})
    with pytest.raises(models.ModelError):
        models.install_file(tmp_path / "models", archive)
    assert not (tmp_path / "models").exists()
    assert not (tmp_path / "evil.sh").exists()


def test_installed_lists_metadata_and_licence_without_argos(tmp_path):
    folder = models.packages_dir(tmp_path) / "translate-fr_en-1_0"
    folder.mkdir(parents=True)
    (folder / "metadata.json").write_text(json.dumps({**GOOD_META, "license": "MIT"}))
    other = models.packages_dir(tmp_path) / "translate-en_nl-1_0"
    other.mkdir()
    (other / "metadata.json").write_text(json.dumps({**GOOD_META, "from_code": "en",
                                                     "to_code": "nl"}))
    (other / "README.md").write_text("# en-nl\n\nLicense: CC-BY-SA 4.0\n")
    found = models.installed(tmp_path)
    assert [(p.pair, p.license) for p in found] == [("en-nl", "License: CC-BY-SA 4.0"),
                                                    ("fr-en", "MIT")]
    assert "licence not stated" not in found[0].describe()


def test_index_install_picks_direct_pairs_else_english_pivot():
    available = {("fr", "en"), ("en", "fr"), ("en", "nl"), ("nl", "en"), ("fr", "de")}
    assert models._wanted_pairs(["fr", "en", "nl"], available) == [("fr", "en"), ("en", "nl")]
    assert models._wanted_pairs(["fr", "de"], available) == [("fr", "de")]
    with pytest.raises(models.ModelError, match="no package for fr→ja"):
        models._wanted_pairs(["fr", "ja"], available)
    with pytest.raises(models.ModelError, match="at least one target"):
        models.install_from_index(Path("unused"), ["fr"])


def test_length_groups_batch_similar_lengths_and_skip_empty():
    lengths = [10, 0, 60, 11, 12, 30, 58, 9, 31]
    groups = length_groups(lengths, most=2)
    assert sorted(i for g in groups for i in g) == [0, 2, 3, 4, 5, 6, 7, 8]
    assert all(len(g) <= 2 for g in groups)
    assert groups[0] == [7, 0]
    for group in length_groups(lengths):
        shortest = min(lengths[i] for i in group)
        assert max(lengths[i] for i in group) <= 1.3 * shortest + 4
    assert length_groups([]) == []


class MirrorWords:
    """Spells every word backwards, keeps placeholders: a "translation" that touches all text."""

    provenance = ENGINE

    def translate(self, texts):
        return [re.sub(r"\[\d+\]|[^\W\d_]+",
                       lambda m: m.group() if m.group().startswith("[") else m.group()[::-1],
                       text) for text in texts]


@pytest.mark.parametrize("engine", [MirrorWords(), Scramble()], ids=["mirror", "scramble"])
def test_placeholder_logic_breaks_no_check_on_the_carte_blanche(tmp_path, engine):
    """Every unit of the real op-ed, drafted then checked by ``build.py check``'s rules."""
    from lisible import check, convert, segment
    from lisible.config import config_from_dict

    root = Path(__file__).resolve().parent.parent
    config = config_from_dict(tmp_path, {"content_dir": str(root / "content")})
    units = [unit.text for source in convert.find_sources(config)
             for unit in segment.extract(convert.convert_source(source).markdown)]
    assert len(units) > 10 and any("[^" in u for u in units) and any("](" in u or "<http" in u
                                                                      for u in units)
    english = config.language("en")
    for unit, draft in zip(units, make_drafts(engine, units), strict=True):
        assert not any(f.code == "MT-PLACEHOLDER" and "missing" in f.message
                       for f in draft.findings), unit
        problems = [f for f in check.check_message(unit, draft.text, english)
                    if f.code in ("NOTE-REF", "LINK", "NUMBER", "HTML", "EMPHASIS")]
        assert problems == [], (unit, draft.text)


class FailsSecondTime:
    """Translates once, then fails like an interrupted run."""

    provenance = ENGINE

    def __init__(self) -> None:
        self.calls = 0

    def translate(self, texts):
        self.calls += 1
        if self.calls > 1:
            raise KeyboardInterrupt
        return [f"EN {text}" for text in texts]


def test_an_interrupted_run_keeps_the_batches_it_finished(tmp_path, monkeypatch):
    from babel.messages.catalog import Catalog

    from lisible import catalogs, translate

    path = tmp_path / "nl" / "doc.po"
    catalog = Catalog(locale="nl", project="doc")
    for msgid in ("Première unité.", "Deuxième unité.", "Troisième unité."):
        catalog.add(msgid)
    catalog.add("Relue.", "Reviewed.")
    catalogs.write_catalog(path, catalog)
    monkeypatch.setattr(translate, "UNITS_PER_BATCH", 2)
    with pytest.raises(KeyboardInterrupt):
        translate.translate_catalog(path, FailsSecondTime(), progress=lambda *a: Progress(
            *a, io.StringIO()))
    saved = catalogs.read_catalog(path)
    assert saved.get("Première unité.").string == "EN Première unité."
    assert saved.get("Deuxième unité.").fuzzy
    assert not saved.get("Troisième unité.").string
    assert saved.get("Relue.").string == "Reviewed." and not saved.get("Relue.").fuzzy
    assert ENGINE.comment() in saved.get("Première unité.").user_comments


def test_units_of_every_text_are_translated_together(tmp_path, monkeypatch):
    """Pending units of several catalogues reach the engine in one shared batch, and each
    catalogue gets its own drafts, its reviewed entries kept; an interrupted shared batch
    keeps the batches finished before it."""
    from babel.messages.catalog import Catalog

    from lisible import catalogs, translate

    paths = []
    for name in ("un", "deux", "trois"):
        path = tmp_path / "nl" / f"{name}.po"
        catalog = Catalog(locale="nl", project=name)
        catalog.add(f"Texte {name}, première unité.")
        catalog.add(f"Texte {name}, deuxième unité.")
        catalog.add("Relue.", "Reviewed.")
        catalogs.write_catalog(path, catalog)
        paths.append(path)
    engine = Scramble()
    quiet = lambda *a: Progress(*a, io.StringIO())  # noqa: E731
    counts = translate.translate_catalogs([(p, ()) for p in paths], engine, progress=quiet)
    assert len(engine.calls) == 1 and len(engine.calls[0]) == 6
    assert counts == dict.fromkeys(paths, 2)
    for path, name in zip(paths, ("un", "deux", "trois"), strict=True):
        saved = catalogs.read_catalog(path)
        assert saved.get(f"Texte {name}, première unité.").fuzzy
        assert saved.get("Relue.").string == "Reviewed." and not saved.get("Relue.").fuzzy
    for path in paths:  # fresh catalogues again, a run interrupted in its second batch
        catalog = catalogs.read_catalog(path)
        for message in catalog:
            if message.id != "Relue." and message.id:
                message.string, message.flags = "", set()
        catalogs.write_catalog(path, catalog)
    monkeypatch.setattr(translate, "UNITS_PER_SHARED_BATCH", 4)
    with pytest.raises(KeyboardInterrupt):
        translate.translate_catalogs([(p, ()) for p in paths], FailsSecondTime(), progress=quiet)
    assert catalogs.read_catalog(paths[1]).get("Texte deux, deuxième unité.").string
    assert not catalogs.read_catalog(paths[2]).get("Texte trois, première unité.").string
