"""Issue 15, many texts: three texts in three source formats, built as a campaign team would.

One real build (no translation model, ``SOURCE_DATE_EPOCH`` fixed) of a
project holding the carte blanche (PDF-extracted text, with the repository's
reviewed catalogues), a second text written as a ``.docx`` (made here by
pandoc) that repeats one carte blanche paragraph word for word, and a third
as ``.md``; ``site_url`` is set in ``mkdocs.yml``. The site is then served
under a sub-path by a small HTTP server and every internal link crawled.

To add a language to this test, add its code to ``ADDED_LANGUAGES`` (the
build runs ``python build.py languages add CODE`` for each); every assertion
loops over the project's languages.
"""

from __future__ import annotations

import datetime
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import CARTE_SLUG, carte_blanche_project

from lisible import catalogs, cli, convert, home, pipeline
from lisible.config import SOURCE, config_from_dict, load_config
from lisible.document import Published
from lisible.errors import ConversionError
from lisible.words import words_for

ROOT = Path(__file__).resolve().parent.parent
ADDED_LANGUAGES: tuple[str, ...] = ("de",)  # added with `python build.py languages add`
SITE_URL = "https://example.org/campagne/"
SECOND, THIRD = "reponse-au-gouvernement", "questions-frequentes"
# Newest first: the third text, then the second, then the carte blanche,
# which has no date of its own and takes the publication's (mkdocs.yml).
NEWEST_FIRST = (THIRD, SECOND, CARTE_SLUG)
PUBLICATION_DATE = "2024-01-15"
IDENTICAL = ("Cela signifie donc que l’ordonnance «\u202fBruxelles numérique\u202f» va imposer, "
             "pour l’accès à des besoins essentiels, une voie d’accès qui met en difficulté une "
             "personne sur deux, et soulève, pour certains, de réelles questions de survie.")

SECOND_MD = f"""# Réponse au gouvernement

Le gouvernement a répondu à notre carte blanche. Nous le remercions de sa réponse rapide.

{IDENTICAL}

Nous demandons donc un guichet ouvert dans chaque commune, avec des personnes formées.
"""
THIRD_MD = """# Questions fréquentes

## Qu’est-ce que l’ordonnance ?

C’est une règle votée par le Parlement bruxellois.

## Que pouvons-nous faire ?

Signer notre appel et en parler autour de vous.
"""
META = {
    SECOND: ("Le gouvernement nous a répondu", "Réponse", "2024-03-01",
             "Le gouvernement nous a répondu. Voici ce que nous demandons encore."),
    THIRD: ("Questions fréquentes", "FAQ", "2024-06-10",
            "Les questions qu’on nous pose le plus souvent sur l’ordonnance, et nos réponses."),
}


def _meta_yml(title: str, kicker: str, date: str, description: str) -> str:
    return "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in
                     (("title", title), ("kicker", kicker), ("description", description))
                     ) + f"\ndate: {date}\n"


def _docx(markdown: str, dest: Path) -> None:
    import pypandoc

    source = dest.with_suffix(".source.md")
    source.write_text(markdown, "utf-8")
    pypandoc.convert_file(str(source), "docx", outputfile=str(dest), format="markdown")
    source.unlink()


def make_project(root: Path) -> None:
    """The carte blanche with its reviewed catalogues, a .docx and a .md; site_url set."""
    for lang in ("nl", "en", "fr@falc"):
        (root / "locales" / lang).mkdir(parents=True)
        shutil.copy(ROOT / "locales" / lang / f"{CARTE_SLUG}.po", root / "locales" / lang)
    carte_blanche_project(root)
    settings = (ROOT / "mkdocs.yml").read_text("utf-8")
    settings = re.sub(r"(?m)^# site_url:.*$", f"site_url: {SITE_URL}", settings)
    settings = re.sub(r'(?m)^(    date: )""', rf'\g<1>"{PUBLICATION_DATE}"', settings)
    (root / "mkdocs.yml").write_text(settings, "utf-8")
    shutil.copytree(ROOT / "overrides", root / "overrides")
    _docx(SECOND_MD, root / "content" / f"{SECOND}.docx")
    (root / "content" / f"{THIRD}.md").write_text(THIRD_MD, "utf-8")
    for slug, values in META.items():
        (root / "content" / f"{slug}.meta.yml").write_text(_meta_yml(*values), "utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("campaign")
    make_project(root)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
    try:
        for code in ADDED_LANGUAGES:
            assert cli.main(["--root", str(root), "languages", "add", code]) == 0
        config = load_config(root)
        assert not (config.models_dir).exists()  # no MT model: drafts come from the memory
        assert pipeline.build(config) == 0
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return config


def _page(config, lang, path: str = "") -> str:
    folder = config.site_dir / lang.path if lang.path else config.site_dir
    return (folder / path / "index.html").read_text("utf-8")


def test_every_text_has_a_catalogue_in_every_language(built) -> None:
    assert len(built.targets) == 3 + len(ADDED_LANGUAGES)
    for lang in built.targets:
        for slug in NEWEST_FIRST:
            assert built.catalog_path(lang, slug).is_file(), (lang.code, slug)


def test_each_home_lists_the_three_texts_newest_first(built) -> None:
    for lang in built.languages:
        page = _page(built, lang)
        article = page[page.index("<article"):page.index("</article>")]
        links = re.findall(r'<h2 class="lisible-text-title"><a href="([^"]+)"', article)
        assert [urlsplit(h).path.rstrip("/").rsplit("/", 1)[-1] for h in links] == list(
            NEWEST_FIRST), lang.code
        for slug, (title, _kicker, date, summary) in META.items():
            entry = article[article.index(f"{slug}/"):]
            entry = entry[:entry.index("</li>")]
            assert f'<time datetime="{date}">' in entry
            if lang != built.source:  # no model: titles and summaries are still French, and
                assert f'lang="fr-BE">{title}</a>' in entry  # marked so
                assert f'<p class="lisible-summary" lang="fr-BE">{summary}</p>' in entry
            assert home.long_date(date, lang) in entry  # "10 juni 2024" on the Dutch home
        assert f'<time datetime="{PUBLICATION_DATE}">' in article  # the carte blanche's
        assert article.count('<h1') == 1 and "lisible-summary" in article


def test_a_text_not_translated_says_so_on_the_home(built) -> None:
    """The FAQ has no translation (no model, no memory match): the Dutch home says so, in Dutch."""
    strings = words_for(built.language("nl"))[0]
    page = _page(built, built.language("nl"))
    entry = page[page.index(f"../{THIRD}/"):]
    entry = entry[:entry.index("</li>")]
    assert strings["home_untranslated"] in entry and strings["home_read_source"] in entry
    assert 'lang="fr-BE"' in entry  # the French title shown is marked as French
    assert "questions-frequentes-fr-a4.pdf" in entry  # the original's PDF, named Français
    carte = page[page.index(f'href="{CARTE_SLUG}/"'):]
    assert strings["home_untranslated"] not in carte[:carte.index("</li>")]


def test_identical_paragraph_gets_the_reviewed_dutch_as_a_memory_draft(built) -> None:
    nl = built.language("nl")
    reviewed = catalogs.read_catalog(built.catalog_path(nl, CARTE_SLUG)).get(IDENTICAL)
    assert reviewed is not None and reviewed.string and not reviewed.fuzzy
    draft = catalogs.read_catalog(built.catalog_path(nl, SECOND)).get(IDENTICAL)
    assert draft is not None and draft.string == reviewed.string and draft.fuzzy
    assert any("engine=memory" in c and f"text={CARTE_SLUG}" in c for c in draft.user_comments)


def _online_url(lang, slug: str) -> str:
    return f"{SITE_URL}{lang.path + '/' if lang.path else ''}{slug}/"


def test_every_pdf_names_its_online_version_under_the_site_url(built) -> None:
    manifest = json.loads((built.site_dir / "downloads" / "manifest.json").read_text("utf-8"))
    assert len(manifest) >= 3 * len(built.languages)
    for entry in manifest:
        pdf = built.site_dir / "downloads" / entry["file"]
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        url = _online_url(built.language(entry["language"]), entry["slug"])
        assert url in "".join(text.split()), entry["file"]


def _pages(config) -> list[Path]:
    """Every published page (index.html files), all languages."""
    return sorted(p for p in config.site_dir.rglob("index.html")
                  if p.relative_to(config.site_dir).parts[0] not in ("assets", "search"))


def test_sitemap_lists_every_page_in_every_language(built) -> None:
    listed = set(re.findall(r"<loc>(.*?)</loc>",
                            (built.site_dir / "sitemap.xml").read_text("utf-8")))
    expected = {SITE_URL + p.parent.relative_to(built.site_dir).as_posix().strip(".") + "/"
                for p in _pages(built)}
    expected = {url.replace("campagne//", "campagne/") for url in expected}
    for lang in built.languages:
        for slug in NEWEST_FIRST:
            assert _online_url(lang, slug) in expected
    assert expected <= listed, sorted(expected - listed)


def test_canonical_and_alternates_are_absolute_under_the_site_url_path(built) -> None:
    for lang in built.languages:
        for slug in NEWEST_FIRST:
            page = _page(built, lang, slug)
            canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page)[1]
            assert canonical == _online_url(lang, slug)
            alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"',
                                    page)
            assert alternates and all(href.startswith(SITE_URL) for _, href in alternates)
            assert ("x-default", _online_url(built.source, slug)) in alternates


# ------------------------------------------------------------------ relocatable site/

LINK = re.compile(r'(?:href|src|data-bundle)="([^"]*)"')


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def served(built, tmp_path_factory: pytest.TempPathFactory):
    """A copy of site/ at /sub/path/ (any folder) and at /campagne/ (site_url's path)."""
    www = tmp_path_factory.mktemp("www")
    shutil.copytree(built.site_dir, www / "sub" / "path")
    shutil.copytree(built.site_dir, www / "campagne")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             partial(_Quiet, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def _internal_links(page_url: str, text: str, host: str) -> set[str]:
    found = set()
    for href in LINK.findall(text):
        if not href or href.startswith(("#", "mailto:", "data:")):
            continue
        url = urljoin(page_url, href.replace("&amp;", "&")).split("#", 1)[0]
        if url.startswith(host):
            found.add(url)
        else:
            assert urlsplit(href).scheme in ("http", "https"), (page_url, href)
    return found


def test_site_works_under_any_sub_path(built, served) -> None:
    """Every link, asset, script, PDF and language link of every page answers 200 under
    /sub/path/. The 404 pages are the exception by design: a host serves them at any
    address, so they link by absolute path, under site_url's path (/campagne/)."""
    checked: dict[str, int] = {}
    for page in _pages(built) + sorted(built.site_dir.rglob("404.html")):
        rel = page.relative_to(built.site_dir).as_posix()
        mount = "/campagne/" if page.name == "404.html" else "/sub/path/"
        page_url = served + mount + rel.removesuffix("index.html")
        text = page.read_text("utf-8")
        links = _internal_links(page_url, text, served)
        config_json = re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                                text, re.DOTALL)
        if config_json:  # the search worker and its index, found through the page's base
            data = json.loads(config_json[1])
            base = urljoin(page_url, data["base"] + "/")
            links |= {urljoin(page_url, data["search"]), base + "search/search_index.json"}
        for url in links:
            assert url.startswith(served + mount), (rel, url)
            if url not in checked:
                checked[url] = _status(url)
            assert checked[url] == 200, (rel, url)
    assert len(checked) > 100


def test_language_links_lead_to_the_same_page_under_a_sub_path(built, served) -> None:
    for lang in built.languages:
        folder = f"{lang.path}/" if lang.path else ""
        page_url = f"{served}/sub/path/{folder}{SECOND}/"
        page = _page(built, lang, SECOND)
        nav = page[page.index('class="lisible-languages"'):]
        nav = nav[:nav.index("</nav>")]
        targets = [urljoin(page_url, h) for h in re.findall(r'href="([^"]+)"', nav)]
        assert targets == [f"{served}/sub/path/{o.path + '/' if o.path else ''}{SECOND}/"
                           for o in built.languages]


# ------------------------------------------------------------------------- fast units


def _doc(slug: str, date: str = "") -> Published:
    return Published(slug=slug, language=SOURCE, path=Path(f"{slug}.md"), markdown="", body="",
                     title=slug, date=date)


def test_newest_first_orders_equal_dates_by_slug_and_undated_last(tmp_path: Path) -> None:
    config = config_from_dict(tmp_path, {})
    docs = {"b": _doc("b", "2024-01-01"), "a": _doc("a", "2024-01-01"), "z": _doc("z"),
            "c": _doc("c", "2023-12-31"), "d": _doc("d", "2025-02-01"), "y": _doc("y")}
    assert home.newest_first(config, docs, docs) == ("d", "a", "b", "c", "y", "z")
    from dataclasses import replace

    dated = replace(config, publication=replace(config.publication,
                                                date=datetime.date(2024, 6, 1)))
    assert home.newest_first(dated, docs, docs) == ("d", "y", "z", "a", "b", "c")


def test_a_date_in_meta_yml_reaches_the_front_matter(tmp_path: Path) -> None:
    """It used to crash convert with a TypeError (a YAML date is not JSON)."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "texte.md").write_text("Un paragraphe.\n", "utf-8")
    (tmp_path / "content" / "texte.meta.yml").write_text("title: T\ndate: 2024-03-01\n", "utf-8")
    config = config_from_dict(tmp_path, {})
    convert.convert_all(config)
    assert 'date: "2024-03-01"' in config.markdown_path(config.source, "texte").read_text("utf-8")
    (tmp_path / "content" / "texte.meta.yml").write_text("title: T\ndate: mars 2024\n", "utf-8")
    with pytest.raises(ConversionError, match="YYYY-MM-DD") as error:
        convert.convert_all(config)
    assert str(error.value).startswith(f"{tmp_path / 'content' / 'texte.meta.yml'}:2:")


def test_older_texts_get_a_compact_entry_under_their_own_heading(tmp_path: Path) -> None:
    config = config_from_dict(tmp_path, {})
    slugs = [f"t{i:02d}" for i in range(home.FULL + 3)]
    docs = {code: {s: _doc(s, f"2024-01-{28 - i:02d}") for i, s in enumerate(slugs)}
            for code in ("fr",)}
    strings = words_for(config.source)[0]
    text = home.home_markdown(config, config.source, slugs, docs, (), strings)
    assert text.count('<h2 class="lisible-text-title">') == home.FULL
    assert text.count('<h3 class="lisible-text-title">') == 3
    assert f"## {strings['home_older']}" in text


def test_each_text_has_its_status_table_and_search_entries_in_every_language(built) -> None:
    for lang in built.languages:
        folder = built.site_dir / lang.path if lang.path else built.site_dir
        index = json.loads((folder / "search" / "search_index.json").read_text("utf-8"))
        locations = {doc["location"] for doc in index["docs"]}
        status = _page(built, lang, "status")
        tables = re.findall(r'<div class="lisible-scroll"[^>]*aria-label="[^"]*: ([^"]+)"', status)
        assert len(tables) == len(NEWEST_FIRST), lang.code
        for slug in NEWEST_FIRST:
            assert f"{slug}/" in locations, (lang.code, slug)
