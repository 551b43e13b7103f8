"""Rebuilds that skip unchanged work publish exactly what a full build would.

Each stage skips the work whose stamp (lisible/stamps.py) says its files are
as the last build left them. The risk of any such cache is a stale output: a
page, catalogue or PDF that a full build would have made differently. So a
random history of the edits people make (a source sentence, a translator's
msgstr, a setting, an output deleted by hand, nothing at all) is followed by
an incremental build, and every published byte (catalogues, Markdown per
language, PDFs, site) is compared with a forced full build of a copy of the
same project. A second group of tests runs a real ``build.py`` process and
checks that a no-op build and ``status`` import neither spaCy nor torch nor
argos, and a killed build leaves no stamp for work it did not write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lisible import catalogs, pdf, pipeline, stamps
from lisible.config import load_config
from lisible.document import unit_kind

REPO = Path(__file__).resolve().parent.parent
EPOCH = "1700000000"

TEXT = """Le guichet ferme ses portes le vendredi. Les usagers doivent prendre rendez-vous en ligne.

## Ce qui change

La commune propose une application mobile pour les démarches[^1]. Beaucoup de
personnes âgées n’ont pas de smartphone.

Le CPAS garde un accueil sans rendez-vous le mardi matin.

[^1]: Règlement communal du 3 mars 2022.
"""
OTHER = """Un deuxième texte parle du courrier papier. Il reste gratuit pour tous.

## Pourquoi

Deux Bruxellois sur cinq sont en difficulté avec le numérique.
"""
META = 'title: "Le guichet numérique"\nkicker: "Carte blanche"\nlang: fr-BE\n'
HEAVY = ("torch", "spacy", "thinc", "argostranslate", "ctranslate2", "mkdocs")


def make_project(root: Path) -> Path:
    """Two short texts, the repository's settings, theme and editors' lists."""
    (root / "content").mkdir(parents=True)
    (root / "content" / "guichet.md").write_text(TEXT, "utf-8")
    (root / "content" / "guichet.meta.yml").write_text(META, "utf-8")
    (root / "content" / "courrier.md").write_text(OTHER, "utf-8")
    for name in ("pyproject.toml", "mkdocs.yml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "overrides", root / "overrides")
    for csv in (REPO / "content").glob("easyread-*.csv"):
        shutil.copy(csv, root / "content" / csv.name)
    return root


REAL_BUILD_PDFS = pdf.build_pdfs


def one_format_pdfs(config, formats=pdf.FORMATS, report=None):
    """The real PDF stage on one page format: the same skipping, a third of the typesetting."""
    return REAL_BUILD_PDFS(config, formats[:1], report)


def build(root: Path, force: bool = False) -> None:
    if force:
        stamps.clear(root / "build")
    assert pipeline.build(load_config(root)) == 0


PUBLISHED = ("locales", "build/markdown", "build/downloads", "build/media", "site")


def published(root: Path) -> dict[str, bytes]:
    """Every file a reader, a translator or the printer gets."""
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for folder in PUBLISHED for path in sorted((root / folder).rglob("*"))
            if path.is_file()}


# ------------------------------------------------------------------ edits


def edit_source(root: Path, n: int) -> None:
    path = root / "content" / ("guichet.md" if n % 2 else "courrier.md")
    text = path.read_text("utf-8")
    path.write_text(text.replace("mardi", f"jour {n}") if "mardi" in text and n % 3 == 0
                    else text + f"\nUne phrase ajoutée numéro {n}.\n", "utf-8")


def edit_msgstr(root: Path, n: int) -> None:
    """A translator's save: one entry of one catalogue translated (reviewed) or changed."""
    codes = ("nl", "en", "fr@falc")
    path = root / "locales" / codes[n % 3] / ("guichet.po" if n % 2 else "courrier.po")
    catalog = catalogs.read_catalog(path)
    messages = [m for m in catalog if m.id and unit_kind(m) != "title"]
    message = messages[n % len(messages)]
    message.string = f"Vertaling {n} van de tekst." if codes[n % 3] != "fr@falc" else (
        f"Le guichet ferme {n} jours.")
    message.flags.discard("fuzzy")
    catalogs.write_catalog(path, catalog)


def edit_setting(root: Path, n: int) -> None:
    path = root / "mkdocs.yml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("site_author: ", f"site_author: Auteur {n} ", 1), "utf-8")


def delete_output(root: Path, n: int) -> None:
    """Someone deletes a built file by hand."""
    outputs = sorted(p for folder in ("build/markdown", "build/downloads", "site")
                     for p in (root / folder).rglob("*") if p.is_file())
    outputs[n % len(outputs)].unlink()


EDITS = {"source": edit_source, "msgstr": edit_msgstr, "setting": edit_setting,
         "delete": delete_output, "nothing": lambda root, n: None}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """A project built once, copied by every example (PDFs in one format, fixed dates)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.setattr(pdf, "build_pdfs", one_format_pdfs)
        root = make_project(tmp_path_factory.mktemp("incremental") / "base")
        build(root)
        yield root


@settings(max_examples=3, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 50)),
                        min_size=1, max_size=3))
def test_incremental_builds_publish_what_a_full_build_does(
        built: Path, tmp_path_factory: pytest.TempPathFactory, history, capsys) -> None:
    where = tmp_path_factory.mktemp("history")
    project = where / "project"
    shutil.copytree(built, project, symlinks=True)
    for kind, n in history:
        EDITS[kind](project, n)
        full = where / f"full-{len(list(where.iterdir()))}"
        shutil.copytree(project, full, symlinks=True)
        build(project)
        build(full, force=True)
        mine, theirs = published(project), published(full)
        assert sorted(mine) == sorted(theirs), (kind, n)
        differing = [name for name in mine if mine[name] != theirs[name]]
        assert differing == [], (kind, n)
        shutil.rmtree(full)
    capsys.readouterr()


def test_a_noop_build_redoes_nothing(built: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    calls = []
    for module, name in ((pipeline.convert, "convert_source"), (catalogs, "build_template"),
                         (pipeline.reassemble, "reassemble"), (pipeline.check, "_catalog_findings"),
                         (pipeline.publish, "_build_and_publish")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _n=name, **k: (
            calls.append(_n), _real(*a, **k))[1])
    before = published(project)
    build(project)
    assert calls == []
    assert published(project) == before
    capsys.readouterr()


# ------------------------------------------------------------------ processes


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``build.py`` in a process that reports which heavy modules it imported."""
    probe = ("import runpy, sys; sys.argv = ['build.py', *sys.argv[1:]]\n"
             f"try:\n    runpy.run_path({str(REPO / 'build.py')!r}, run_name='__main__')\n"
             "except SystemExit as e:\n    code = e.code\n"
             f"print('HEAVY', *sorted(m for m in {HEAVY!r} if m in sys.modules), "
             "file=sys.stderr)\nsys.exit(code)\n")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", probe, "--root", str(root), *args], env=env,
                          capture_output=True, text=True, timeout=900, check=False)


def heavy(result: subprocess.CompletedProcess) -> list[str]:
    line = next(x for x in result.stderr.splitlines() if x.startswith("HEAVY"))
    return line.split()[1:]


def test_noop_build_and_status_load_no_model(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    first = run_build(project)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "spacy" in heavy(first)  # the first build drafts easy-read text...
    assert "torch" not in heavy(first)  # ...with spaCy's numpy models: no torch
    again = run_build(project)
    assert again.returncode == 0, again.stderr[-3000:]
    assert heavy(again) == []
    status = run_build(project, "status")
    assert status.returncode == 0, status.stderr[-3000:]
    assert heavy(status) == []
    assert "readability" in status.stdout
    check = run_build(project, "check")
    assert heavy(check) == []


def test_a_stamp_is_written_only_after_its_outputs(tmp_path: Path, monkeypatch, capsys) -> None:
    """A build killed in the site stage (here: failing) keeps the previous site and
    records no site stamp; the next build makes the site."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    project = make_project(tmp_path / "project")
    monkeypatch.setattr(pdf, "build_pdfs", one_format_pdfs)
    real = pipeline.publish._build_and_publish

    def killed(config):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.publish, "_build_and_publish", killed)
    with pytest.raises(KeyboardInterrupt):
        build(project)
    assert not (project / "build" / stamps.FOLDER / "site").exists()
    assert (project / "build" / stamps.FOLDER / "convert").is_dir()
    monkeypatch.setattr(pipeline.publish, "_build_and_publish", real)
    build(project)
    assert (project / "site" / "guichet" / "index.html").is_file()
    capsys.readouterr()


def test_force_redoes_what_the_stamps_would_skip(tmp_path: Path, monkeypatch, capsys) -> None:
    from lisible import cli, convert

    project = make_project(tmp_path / "project")
    calls = []
    real = convert.convert_source
    monkeypatch.setattr(convert, "convert_source", lambda s: (calls.append(s.slug), real(s))[1])
    assert cli.main(["--root", str(project), "convert"]) == 0
    assert sorted(calls) == ["courrier", "guichet"]
    assert cli.main(["--root", str(project), "convert"]) == 0
    assert len(calls) == 2  # unchanged sources: no pandoc run
    assert cli.main(["--root", str(project), "--force", "convert"]) == 0
    assert len(calls) == 4
    capsys.readouterr()
