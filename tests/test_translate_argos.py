"""The translation stage against real argos: real packages, installed, run end to end.

``argos_package.build_package`` writes real ``.argosmodel`` files offline
(SentencePiece + a CTranslate2 model + a minisbd splitter) whose model emits
one fixed sentence for any input sentence, so outputs are predictable:
fr→en says "Hello world.", en→nl says "Hallo wereld.". They are built once
per test session and installed with lisible's own ``models install``.
Sockets are blocked around every translation to prove nothing goes online.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from argos_package import build_package

from lisible import models
from lisible.config import config_from_dict
from lisible.translate import (
    Decoding,
    files_digest,
    load_engine,
    make_drafts,
    translate_all,
)

ROOT = Path(__file__).resolve().parent.parent
ONE_THREAD = Decoding(threads=1)


@pytest.fixture(scope="session")
def archives(tmp_path_factory) -> dict[str, Path]:
    """The tiny packages, built once per session (about a second each)."""
    folder = tmp_path_factory.mktemp("argosmodels")
    return {"fr-en": build_package(folder, "fr", "en", "Hello world."),
            "en-nl": build_package(folder, "en", "nl", "Hallo wereld.")}


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory, archives) -> Path:
    """A project models folder with both packages installed through lisible."""
    folder = tmp_path_factory.mktemp("project") / "models"
    for archive in archives.values():
        models.install_file(folder, archive)
    return folder


@pytest.fixture
def no_network(monkeypatch) -> list[str]:
    """Every attempt to open a connection or resolve a name fails and is recorded."""
    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("network blocked by test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_install_puts_packages_in_the_project_folder(models_dir):
    found = models.installed(models_dir)
    assert [(p.pair, p.version, p.license) for p in found] == [
        ("en-nl", "1.0", "CC0-1.0 (test fixture)"), ("fr-en", "1.0", "CC0-1.0 (test fixture)")]
    assert all(p.path.parent == models_dir / "packages" for p in found)
    assert not any((models_dir / "packages").glob("*.argosmodel"))


def test_real_argos_path_end_to_end_offline(models_dir, no_network):
    engine = load_engine(models_dir, "fr", "en", ONE_THREAD)
    drafts = make_drafts(engine, [
        "Bonjour le monde.",
        "Deux phrases ici. Et voilà la seconde !",
        "Une ligne\\\nune autre ligne.",
        "2022",
    ])
    assert [d.text for d in drafts] == ["Hello world.", "Hello world. Hello world.",
                                        "Hello world.\\\nHello world.", "2022"]
    assert drafts[0].findings == drafts[1].findings == drafts[2].findings == ()
    provenance = drafts[0].provenance
    assert provenance.engine == "argostranslate 1.11.0"
    assert provenance.model == "translate-fr_en 1.0"
    assert provenance.digest == files_digest([models_dir / "packages" / "translate-fr_en-1_0"])
    assert len(provenance.digest) == 12 and provenance.via == ""
    assert drafts[3].provenance.rules == "copy-untranslatable"
    assert no_network == []


def test_markup_the_model_drops_is_flagged_not_lost(models_dir, no_network):
    engine = load_engine(models_dir, "fr", "en", ONE_THREAD)
    [draft] = make_drafts(engine, ["Voir la note[^1] du **rapport**."])
    assert draft.text == "Hello world."
    assert [f.code for f in draft.findings] == ["MT-PLACEHOLDER"]
    assert "[^1]" in draft.findings[0].message
    assert no_network == []


def test_pivot_through_english_is_stated_in_provenance(models_dir, no_network):
    engine = load_engine(models_dir, "fr", "nl", ONE_THREAD)
    [draft] = make_drafts(engine, ["Bonjour. Au revoir."])
    assert draft.text == "Hallo wereld. Hallo wereld."
    assert draft.provenance.via == "en"
    assert draft.provenance.model == "translate-fr_en 1.0 + translate-en_nl 1.0"
    assert "via=en" in draft.provenance.comment()
    assert no_network == []


def test_same_output_as_argos_own_translate(models_dir, no_network):
    engine = load_engine(models_dir, "fr", "en", ONE_THREAD)
    text = "Première phrase. Deuxième phrase ? Troisième !"
    from argostranslate import translate as argos_translate

    argos_translate.get_installed_languages.cache_clear()
    assert engine.translate([text]) == [argos_translate.translate(text, "fr", "en")]
    assert no_network == []


def test_no_engine_without_a_package(tmp_path):
    assert load_engine(tmp_path / "models", "fr", "en") is None
    assert load_engine(tmp_path / "models", "fr", "de") is None


def _project(tmp_path: Path, models_folder: Path | None = None):
    settings = {"models_dir": str(models_folder or tmp_path / "models"), "mt_threads": 1}
    return config_from_dict(tmp_path, settings)


def test_nothing_pending_needs_no_model(tmp_path, capsys):
    config = _project(tmp_path)
    (config.locales_dir / "nl").mkdir(parents=True)
    (config.locales_dir / "doc.pot").write_text("")
    reviewed = 'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\nmsgid "Bonjour."\nmsgstr "Hallo."\n'
    (config.locales_dir / "nl" / "doc.po").write_text(reviewed)
    report = translate_all(config)
    assert report.missing == () and report.warning() == "" and report.describe() == ""


def test_no_model_build_succeeds_and_says_what_to_install(tmp_path, capsys):
    config = _project(tmp_path)
    (config.locales_dir / "nl").mkdir(parents=True)
    (config.locales_dir / "en").mkdir()
    (config.locales_dir / "doc.pot").write_text("")
    pending = 'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\nmsgid "Bonjour."\nmsgstr ""\n'
    for code in ("nl", "en"):
        (config.locales_dir / code / "doc.po").write_text(pending)
    report = translate_all(config)
    assert report.missing == ("nl", "en")
    assert report.warning().count("no translation model installed for fr→nl, fr→en") == 1
    assert "python build.py models install --from-index fr nl en" in report.warning()
    assert capsys.readouterr() == ("", "")  # the stage says nothing: the command line prints
    assert _run(config, "translate") == 0 and _run(config, "--strict", "translate") == 1
    assert capsys.readouterr().err.count("no translation model installed") == 2
    assert (config.locales_dir / "nl" / "doc.po").read_text() == pending


def _run(config, *argv: str) -> int:
    from lisible import cli

    args = cli._parser().parse_args(list(argv))
    return args.func(config, args)


def test_models_commands(tmp_path, archives, capsys, no_network):
    config = _project(tmp_path)
    assert _run(config, "models", "list") == 0
    out = capsys.readouterr().out
    assert "(none)" in out and "fr→nl: no package" in out
    assert _run(config, "models", "install", str(archives["fr-en"])) == 0
    assert "installed fr-en  translate-fr_en-1_0  version 1.0" in capsys.readouterr().out
    assert _run(config, "models", "install", str(archives["fr-en"])) == 0  # replaces
    assert _run(config, "models", "install", str(archives["en-nl"])) == 0
    capsys.readouterr()
    assert _run(config, "models", "list") == 0
    out = capsys.readouterr().out
    assert "fr→nl: translate-fr_en-1_0 + translate-en_nl-1_0" in out
    assert "fr→en: translate-fr_en-1_0" in out
    with pytest.raises(models.ModelError, match="either FILE"):
        _run(config, "models", "install")
    assert no_network == []


GUARDED_RUN = textwrap.dedent("""
    import json, socket, sys
    attempts = []
    def refuse(*args, **kwargs):
        attempts.append(repr(args[:2]))
        raise OSError("blocked")
    socket.socket.connect = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    from pathlib import Path
    from lisible.translate import Decoding, load_engine, make_drafts
    engine = load_engine(Path(sys.argv[1]), "fr", "nl", Decoding(threads=1))
    drafts = make_drafts(engine, ["Bonjour le monde. Encore une phrase."])
    print(json.dumps({"text": drafts[0].text, "attempts": attempts}))
""")


def test_argos_never_writes_to_home_nor_goes_online(models_dir, tmp_path):
    """In a fresh process with an empty HOME and no XDG variables, home stays empty."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_"))}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", GUARDED_RUN, str(models_dir)], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"text": "Hallo wereld. Hallo wereld.", "attempts": []}
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) == []


def test_the_argos_environment_is_scoped_to_argos(tmp_path):
    """Before: ``use_models_dir`` left XDG_*/ARGOS_* changed for the whole process."""
    before = {name: os.environ.get(name) for name in models.ARGOS_ENV}
    models.argos(tmp_path / "a")
    assert {name: os.environ.get(name) for name in models.ARGOS_ENV} == before
    from argostranslate import settings

    assert Path(settings.package_data_dir) == (tmp_path / "a" / "packages").resolve()
    models.argos(tmp_path / "b")  # a second project in the same process: every folder follows
    for folder in (settings.package_data_dir, settings.downloads_dir,
                   settings.local_package_index):
        assert Path(folder).is_relative_to((tmp_path / "b").resolve()), folder
    assert {name: os.environ.get(name) for name in models.ARGOS_ENV} == before


def _block(text: str, msgid: str) -> str:
    """The entry of ``msgid`` in a .po file, as written."""
    return next(b for b in text.split("\n\n") if f'msgid "{msgid}"' in b)


def test_translate_all_fills_only_pending_units(tmp_path, models_dir, capsys, no_network):
    catalogs = pytest.importorskip("lisible.catalogs")
    from babel.messages.catalog import Catalog

    config = _project(tmp_path, models_dir)
    template = Catalog(project="doc")
    for msgid in ("Bonjour le monde.", "Le texte est relu.", "Une phrase changée.",
                  "Voir la note[^1]."):
        template.add(msgid)
    catalogs.write_catalog(config.template_path("doc"), template)
    for code in ("nl", "en"):
        catalog = Catalog(locale=code, project="doc")
        catalog.add("Bonjour le monde.")
        catalog.add("Le texte est relu.", "Reviewed text.")
        catalog.add("Une phrase changée.", "Old translation.", flags=["fuzzy"],
                    previous_id=["Une phrase."])
        catalog.add("Voir la note[^1].")
        catalogs.write_catalog(config.catalog_path(config.language(code), "doc"), catalog)
    paths = {code: config.catalog_path(config.language(code), "doc") for code in ("nl", "en")}
    before = {code: path.read_text("utf-8") for code, path in paths.items()}

    out = translate_all(config).describe()
    assert "2 drafts" in out and "via=en" in out
    expected = {"nl": ("Hallo wereld.", "via=en"), "en": ("Hello world.", "model=translate")}
    for code, path in paths.items():
        after = path.read_text("utf-8")
        for msgid in ("Le texte est relu.", "Une phrase changée."):
            assert _block(after, msgid) == _block(before[code], msgid)
        catalog = catalogs.read_catalog(path)
        draft = catalog.get("Bonjour le monde.")
        assert draft.string == expected[code][0] and draft.fuzzy
        assert any(c.startswith("lisible-draft: engine=argostranslate 1.11.0")
                   and expected[code][1] in c for c in draft.user_comments)
        flagged = catalog.get("Voir la note[^1].")
        assert flagged.fuzzy and any(c.startswith("lisible-error: MT-PLACEHOLDER")
                                     for c in flagged.auto_comments)

    written = {code: path.read_bytes() for code, path in paths.items()}
    again = translate_all(config)  # nothing pending: nothing rewritten
    assert {code: path.read_bytes() for code, path in paths.items()} == written
    assert again.drafted == () and again.missing == ()
    assert "2 drafts" in translate_all(config, redo_drafts=True).describe()
    assert no_network == []


def test_a_package_without_sentence_splitter_is_refused_at_install(tmp_path):
    """Without ``minisbd/``, argos's MiniSBD downloads a splitter in mid-translation."""
    archive = build_package(tmp_path, "fr", "en", "Hello world.", splitter=False)
    with pytest.raises(models.ModelError, match="sentence splitter"):
        models.install_file(tmp_path / "models", archive)
    assert not models.installed(tmp_path / "models")


def test_an_installed_package_without_splitter_is_refused_not_downloaded(tmp_path, archives,
                                                                          no_network):
    folder = tmp_path / "models"
    models.install_file(folder, archives["fr-en"])
    shutil.rmtree(folder / "packages" / "translate-fr_en-1_0" / "minisbd")  # an older install
    with pytest.raises(models.ModelError, match="no sentence splitter"):
        make_drafts(load_engine(folder, "fr", "en", ONE_THREAD), ["Bonjour. Au revoir."])
    assert no_network == []


def test_drafts_do_not_depend_on_threads_or_cores(tmp_path, no_network):
    """mt_threads (and the machine's cores) change how many CTranslate2 calls run at
    once, never what a draft says: the same catalogue gets the same bytes on a laptop
    and on CI. A small model with random weights gives every sentence a different,
    length-dependent output. (mt_batch may change a draft that runs to the decoding
    cap, which is per call: see Decoding.)"""
    from argos_package import build_random_package

    corpus = [f"La phrase numéro {n} parle de {w} et de services publics." for n, w in
              enumerate(("guichet", "numérique", "droits", "accès", "Bruxelles"))]
    archive = build_random_package(tmp_path, corpus=corpus, d=64, layers=2, heads=2,
                                   ffn=128, vocab=1000)
    folder = tmp_path / "models"
    models.install_file(folder, archive)
    units = ["Court.", "Une phrase un peu plus longue que la première.",
             "Deux phrases. La seconde parle du guichet numérique et des droits de chacun.",
             "Une ligne\\\nune autre ligne, plus longue, sur l’accès aux services publics.",
             *(f"Phrase {n} : " + "le service public " * n for n in range(1, 9))]
    outputs = {decoding: [d.text for d in make_drafts(load_engine(folder, "fr", "en", decoding),
                                                      units)]
               for decoding in (Decoding(threads=1, batch=3), Decoding(threads=2, batch=3),
                                Decoding(threads=3, batch=3))}
    first, *others = outputs.values()
    assert len(set(first)) > len(units) // 2  # mostly distinct outputs: the test can fail
    assert all(other == first for other in others)
    assert no_network == []


def test_decoding_settings_are_read_and_checked(tmp_path):
    from lisible.errors import ConfigError

    config = config_from_dict(tmp_path, {"mt_beam": 2, "mt_batch": 8, "mt_threads": 6})
    assert (config.mt_beam, config.mt_batch, config.mt_threads) == (2, 8, 6)
    assert Decoding(beam=2).beam_size() == 2 and Decoding().beam_size() == 4  # argos's
    assert Decoding(threads=1).workers() == (1, 1)
    assert Decoding(threads=2).workers() == (2, 1)
    assert Decoding(threads=8).workers() == (4, 2)
    assert Decoding().workers()[0] >= 1
    text = '[tool.lisible]\nmt_beam = 0\nmt_batch = 0\nmt_threads = "all"\n'
    (tmp_path / "pyproject.toml").write_text(text, "utf-8")
    from lisible.config import load_config

    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    message = caught.value.report()
    assert "pyproject.toml:3: error: mt_batch: expected a whole number from 1 to 256, got 0" \
        in message
    assert "pyproject.toml:4:" in message and "mt_threads" in message
    assert "mt_beam" not in message  # 0 is allowed: argos's setting


def test_a_repeated_sentence_is_translated_once(models_dir, no_network):
    """Fifty texts signed by the same associations send their signature once."""
    engine = load_engine(models_dir, "fr", "en", ONE_THREAD)
    hop = engine.hops[0]
    translator = engine._translator(hop)
    sent: list[int] = []

    class Counting:
        def translate_batch(self, tokens, **options):
            sent.append(len(tokens))
            return translator.translate_batch(tokens, **options)

    hop.translator = Counting()
    units = ["Signé : les associations.", "Bonjour. Signé : les associations.",
             "Signé : les associations.\\\nAu revoir."]
    drafts = make_drafts(engine, units)
    assert sum(sent) == 3  # "Signé : les associations.", "Bonjour.", "Au revoir."
    assert [d.text for d in drafts] == ["Hello world.", "Hello world. Hello world.",
                                        "Hello world.\\\nHello world."]
