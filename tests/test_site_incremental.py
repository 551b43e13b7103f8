"""A rebuild renders only the pages whose inputs changed, and publishes what a cold build does.

Issue 18: "Changing one text rebuilds that text's pages in each language and
the pages that list it, not the others." The site stage keeps each rendered
page by a key of its inputs (lisible/pagecache.py). The risk of such a cache
is a stale page, a search index missing pages, or a warning lost, so after
each edit of a history (a source's body, a title, a translator's save in nl,
en and fr@falc, a text added, a text removed) every file under ``site/`` of
all four languages is compared with a cold site build (no cache, as after
``build.py --force``) of the same inputs, and the warnings with it.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from test_incremental import (
    EPOCH,
    build,
    edit_msgstr,
    make_project,
    one_format_pdfs,
)
from test_site import SLUG
from test_site import make_project as make_site_project

from lisible import pdf, publish, site, stamps
from lisible.config import load_config

OTHER_SLUG = "deuxieme"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_site(mine: Path, cold: Path) -> None:
    """``diff -r``: the same file names, the same bytes."""
    a, b = tree(mine), tree(cold)
    assert sorted(a) == sorted(b), sorted(set(a) ^ set(b))
    assert [name for name in a if a[name] != b[name]] == []


def cold_site(project: Path, where: Path) -> tuple[Path, tuple[str, ...]]:
    """The site stage of a copy of ``project`` with no stamp and no cached page."""
    copy = where / "cold"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(project, copy, symlinks=True)
    stamps.clear(copy / "build")
    report = publish.publish_site(load_config(copy))
    return copy / "site", report.warnings


def counting_renders(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str]]:
    """Count Python-Markdown conversions by (language folder, page)."""
    from mkdocs.structure.pages import Page

    rendered: Counter[tuple[str, str]] = Counter()
    real = Page.render

    def render(self, config, files):
        rendered[(Path(config.docs_dir).name, self.file.src_uri)] += 1
        return real(self, config, files)

    monkeypatch.setattr(Page, "render", render)
    return rendered


# ----------------------------------------------------------- which pages render


def add_second_text(config) -> None:
    """A second document in every language, beside the fixture's."""
    for lang in config.languages:
        path = config.markdown_path(lang, SLUG)
        text = path.read_text("utf-8").replace('title: "', 'title: "Deux ', 1)
        config.markdown_path(lang, OTHER_SLUG).write_text(text, "utf-8")


def test_a_body_edit_renders_that_texts_pages_and_the_lists_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = make_site_project(tmp_path)
    add_second_text(config)
    site.build_site(config)
    rendered = counting_renders(monkeypatch)
    site.build_site(config)
    assert rendered == Counter()  # nothing changed: nothing rendered

    for lang in config.languages:  # one sentence of the second text, in every language
        path = config.markdown_path(lang, OTHER_SLUG)
        path.write_text(path.read_text("utf-8") + "\nUne phrase de plus.\n", "utf-8")
    before = tree(config.site_dir)
    site.build_site(config)
    folders = {lg.code for lg in config.languages}
    assert {folder for folder, _ in rendered} == folders  # every language...
    assert {page for _, page in rendered} <= {f"{OTHER_SLUG}.md", "index.md", "pdf.md",
                                              "status.md"}  # ...the edited text and the lists
    assert (folders.pop(), f"{OTHER_SLUG}.md") in rendered
    assert max(rendered.values()) == 1
    after = tree(config.site_dir)
    assert [name for name in before if name.endswith(f"{SLUG}/index.html")
            and before[name] != after[name]] == []

    rendered.clear()  # a title is in every page's navigation: the whole language renders
    path = config.markdown_path(config.language("nl"), OTHER_SLUG)
    path.write_text(path.read_text("utf-8").replace('title: "Deux', 'title: "Twee', 1), "utf-8")
    site.build_site(config)
    assert {page for folder, page in rendered if folder == "nl"} == {
        "index.md", "pdf.md", "status.md", f"{SLUG}.md", f"{OTHER_SLUG}.md"}
    assert {folder for folder, _ in rendered} == {"nl"}


# ------------------------------------------------------- incremental == cold


def edit_body(root: Path) -> None:
    path = root / "content" / "courrier.md"
    path.write_text(path.read_text("utf-8").replace("gratuit", "gratuit et simple"), "utf-8")


def edit_title(root: Path) -> None:
    path = root / "content" / "guichet.meta.yml"
    path.write_text(path.read_text("utf-8").replace("numérique", "numérique pour tous"),
                    "utf-8")


def add_text(root: Path) -> None:
    (root / "content" / "affiche.md").write_text(
        "Une affiche explique les nouveaux horaires du guichet.\n", "utf-8")


def remove_text(root: Path) -> None:
    (root / "content" / "affiche.md").unlink()


HISTORY = (("body", edit_body), ("title", edit_title),
           ("nl save", lambda root: edit_msgstr(root, 0)),  # nl, courrier.po
           ("en save", lambda root: edit_msgstr(root, 1)),  # en, guichet.po
           ("fr@falc save", lambda root: edit_msgstr(root, 2)),  # fr@falc, courrier.po
           ("add", add_text), ("remove", remove_text))


def test_after_each_edit_the_site_is_the_cold_sites_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(pdf, "build_pdfs", one_format_pdfs)
    project = make_project(tmp_path / "project")
    build(project)
    rendered = counting_renders(monkeypatch)
    for name, edit in HISTORY:
        rendered.clear()
        edit(project)
        build(project)
        mine = Counter(rendered)
        assert mine, name  # the edit reached the site
        cold, warnings = cold_site(project, tmp_path)
        assert_same_site(project / "site", cold)
        report = stamps.Stamp(project / "build", "site", "all").fresh(
            publish.site_key(load_config(project)))
        assert isinstance(report, dict) and tuple(report["warnings"]) == warnings, name
        if name in ("body", "nl save", "en save", "fr@falc save"):
            pages = {page for _, page in mine}
            assert "guichet.md" not in pages or "courrier.md" not in pages, (name, mine)
    capsys.readouterr()


def test_an_unreadable_cached_page_is_rendered_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache entry cut short (a full disk, a hand edit) costs a render, never a page."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = make_site_project(tmp_path)
    site.build_site(config)
    before = tree(config.site_dir)
    entries = sorted((config.build_dir / stamps.FOLDER / "site-pages" / "nl").glob("*.json"))
    assert len(entries) == 4  # home, the text, PDFs, status
    entries[0].write_text(entries[0].read_text("utf-8")[:100], "utf-8")
    rendered = counting_renders(monkeypatch)
    site.build_site(config)
    assert sum(rendered.values()) == 1 and {folder for folder, _ in rendered} == {"nl"}
    assert tree(config.site_dir) == before


def test_pages_are_reused_only_with_plugins_known_to_keep_nothing_across_pages() -> None:
    from lisible import pagecache

    assert pagecache.usable(["material/search"])
    assert pagecache.usable([])
    assert not pagecache.usable(["material/search", "blog"])


def test_a_skipped_page_reports_its_warnings_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config = make_site_project(tmp_path)
    path = config.markdown_path(config.language("nl"), SLUG)
    path.write_text(path.read_text("utf-8") + "\n[zie ook](nergens.md)\n", "utf-8")
    first = site.build_site(config).warnings
    assert any("nergens.md" in warning for warning in first)
    rendered = counting_renders(monkeypatch)
    assert site.build_site(config).warnings == first
    assert rendered == Counter()
