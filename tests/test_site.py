"""The site stage: generated pages, MkDocs output, and a fixture project for the browser test.

The fixture is a small four-language project written to the docs/design.md
contract: a short French canonical file, and reassembled nl, en and easy-read
files with a ``lisible`` mapping and the marks of unreviewed text (draft and
French fallback spans, footnotes, the easy-read glossary section), so every
notice and mark is exercised whatever state the real catalogues are in. The
real site (``python build.py site``) is checked by the browser test when built.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from lisible import document, site, siteassets
from lisible.config import Config, config_from_dict
from lisible.errors import LisibleError
from lisible.words import words_for

REPO = Path(__file__).resolve().parents[1]
SLUG = "essai-lisible"

FRENCH = """---
title: "« Bruxelles numérique » : un essai"
kicker: "Carte blanche"
description: "Un texte court pour tester le site."
lang: "fr-BE"
source: "content/essai-lisible.txt"
sources: [{"note": 1, "title": "Baromètre", "url": "https://example.org/barometre"}]
---

Dans quelques jours, le gouvernement va présenter un projet d’ordonnance[^1].

Les guichets disparaissent, et les usagers sont invités à utiliser un *site web*.

## Ce que nous demandons

Nous demandons des guichets accessibles à toutes et tous.

[^1]: Baromètre de l’inclusion numérique, 2022, <https://example.org/barometre>
"""

NL_BODY = """<span class="lisible-draft">De regering stelt een ordonnantie voor[^1].</span>

Fysieke loketten verdwijnen ([digital by default]{lang=en}), en gebruikers worden uitgenodigd
een *website* te gebruiken.

## Wat wij vragen

<span class="lisible-fallback" lang="fr">Nous demandons des guichets pour tous.</span>

[^1]: <span class="lisible-draft">Barometer, 2022,</span> <https://example.org/barometre>
"""

EN_BODY = """In a few days, the government will present a draft ordinance[^1].

Physical counters are disappearing, and users are asked to use a *website*.

## What we ask for

We ask for counters open to everyone.

[^1]: Digital inclusion barometer, 2022, <https://example.org/barometre>
"""

FALC_BODY = """<span class="lisible-draft">Le gouvernement prépare une nouvelle règle.</span>

Cette règle parle des services publics.

Les services publics vont passer sur internet.

## Les mots difficiles

**Service public** : un service pour tout le monde, par exemple la commune.
"""

META = {
    "nl": ("« Digitaal Brussel »: een test", "Opiniestuk", "Een korte tekst om de site te testen.",
           "nl-BE", NL_BODY, {"reviewed": 1, "draft": 2, "stale": 0, "untranslated": 1}),
    "en": ("“Digital Brussels”: a test", "Op-ed", "A short text to test the site.", "en-GB",
           EN_BODY, {"reviewed": 5, "draft": 0, "stale": 0, "untranslated": 0}),
    "fr@falc": ("Bruxelles et internet", "Texte facile à lire", "Un texte facile à lire.",
                "fr-BE", FALC_BODY, {"reviewed": 2, "draft": 1, "stale": 0, "untranslated": 0}),
}


def front(title: str, kicker: str, description: str, tag: str, counts: dict, code: str) -> str:
    lisible = {"language": code, **counts, "easy_read": code == "fr@falc"}
    values = {"title": title, "kicker": kicker, "description": description, "lang": tag,
              "lisible": lisible}
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def make_project(root: Path, with_pdfs: bool = True) -> Config:
    """A project folder with the site's settings, four languages of one document, two PDFs."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    config = config_from_dict(root, {})
    fr = config.markdown_path(config.source, SLUG)
    fr.parent.mkdir(parents=True)
    fr.write_text(FRENCH, "utf-8")
    for code, (title, kicker, desc, tag, body, counts) in META.items():
        path = config.markdown_path(config.language(code), SLUG)
        path.parent.mkdir(parents=True)
        path.write_text(front(title, kicker, desc, tag, counts, code) + body, "utf-8")
    if with_pdfs:
        write_pdfs(config)
    return config


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF, enough for a link to answer with a PDF."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def write_pdfs(config: Config) -> list[dict]:
    """build/downloads/*.pdf and the manifest, in the PDF stage's format."""
    folder = config.build_dir / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for code, label in (("fr", "fr"), ("nl", "nl")):
        name = f"{SLUG}-{label}-a4.pdf"
        data = tiny_pdf(f"{SLUG} {code}")
        (folder / name).write_bytes(data)
        entries.append({"slug": SLUG, "language": code, "label": label, "format": "a4",
                        "file": name, "bytes": len(data), "pages": 1, "title": SLUG,
                        "status": None})
    (folder / "manifest.json").write_text(json.dumps(entries, indent=1), "utf-8")
    return entries


# --------------------------------------------------------------------------- tests

STRINGS = words_for(config_from_dict(REPO, {}).language("nl"))[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, site.SiteReport]:
    config = make_project(tmp_path_factory.mktemp("project"))
    return config, site.build_site(config)


def _html(config: Config, path: str) -> str:
    return (config.site_dir / path).read_text("utf-8")


def test_every_language_gets_its_pages_and_404(built) -> None:
    config, report = built
    assert report.languages == ("fr", "nl", "en", "fr@falc")
    assert report.pages == 4 * 5 and report.downloads == 2 and not report.warnings
    for folder in ("", "nl/", "en/", "facile/"):
        for page in ("index.html", f"{SLUG}/index.html", "pdf/index.html",
                     "status/index.html", "404.html"):
            assert (config.site_dir / f"{folder}{page}").is_file(), folder + page


@pytest.mark.parametrize(("folder", "lang", "search"), [
    ("", "fr-BE", "fr"), ("nl/", "nl-BE", "nl"), ("en/", "en-GB", "en"), ("facile/", "fr", "fr")])
def test_lang_attribute_and_search_stemming_per_language(built, folder, lang, search) -> None:
    config, _ = built
    for page in ("index.html", f"{SLUG}/index.html", "404.html"):
        assert f'<html lang="{lang}"' in _html(config, folder + page)
    index = json.loads(_html(config, f"{folder}search/search_index.json"))
    assert index["config"]["lang"] == [search]


def test_description_and_open_graph_follow_the_language(built) -> None:
    config, _ = built
    page = _html(config, f"en/{SLUG}/index.html")
    assert '<meta name="description" content="A short text to test the site.">' in page
    assert '<meta property="og:description" content="A short text to test the site.">' in page
    assert '<meta property="og:locale" content="en_GB">' in page
    assert "<title>“Digital Brussels”: a test (full text)</title>" in page


@pytest.mark.parametrize("folder", ["", "nl/", "en/", "facile/"])
def test_every_page_has_its_own_title(built, folder: str) -> None:
    config, _ = built
    titles = [re.search(r"<title>(.*?)</title>", _html(config, folder + page))[1]
              for page in ("index.html", f"{SLUG}/index.html", "pdf/index.html",
                           "status/index.html", "404.html")]
    assert len(set(titles)) == len(titles), titles


def test_home_puts_the_message_first(built) -> None:
    config, _ = built
    page = _html(config, "nl/index.html")
    article = page[page.index("<article"):]
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", article)[1]
    assert h1 == "« Digitaal Brussel »: een test"  # the claim, not "Home"
    order = [article.index(x) for x in (
        "<h1", "Een korte tekst om de site te testen.", "De tekst lezen", f"{SLUG}-nl-a4.pdf")]
    assert order == sorted(order)
    assert "lisible-byline" not in article  # the fixture names no author: none invented
    assert "<title>« Digitaal Brussel »: een test</title>" in page


def test_home_names_the_author_and_date_only_when_given() -> None:
    nl = config_from_dict(REPO, {}).language("nl")
    doc = document.Published(slug="x", language=nl, path=Path("x.md"), markdown="", body="",
                             title="T", description="D", author="A & B", date="2024-03-01")
    text = site.home_markdown([doc], STRINGS, "D")
    assert "Door A &amp; B. Gepubliceerd op 2024-03-01." in text
    body = text.split("---\n", 2)[2]
    assert body.index("# T") < body.index(">D<") < body.index("Door") < body.index("De tekst lezen")
    assert "lisible-byline" not in site.home_markdown([document.Published(
        slug="x", language=nl, path=Path("x.md"), markdown="", body="", title="T",
        description="D")], STRINGS, "D")
    several = site.home_markdown([doc, doc], STRINGS, "D")
    assert several.count("\n# ") == 1 and several.count("\n## T") == 2


def test_one_shared_assets_folder_and_only_our_script_at_load(built) -> None:
    config, _ = built
    assert not any((config.site_dir / f / "assets").exists() for f in ("nl", "en", "facile"))
    for path in config.site_dir.rglob("*.html"):
        text = path.read_text("utf-8")
        scripts = re.findall(r'<script src="([^"]+)"', text)
        assert [s.rsplit("/", 1)[-1] for s in scripts] == ["lisible.js"], path
        for url in re.findall(r'(?:href|src|data-bundle)="([^"]*assets/[^"]+)"', text):
            target = (config.site_dir / url.lstrip("/") if url.startswith("/")
                      else (path.parent / url).resolve())
            assert target.is_file(), (path, url)
    assert not list((config.site_dir / "assets").rglob("*.map"))


def test_fonts_are_woff2_subsets_that_cover_every_character(built) -> None:
    from fontTools.ttLib import TTFont

    config, _ = built
    pages = [p.read_text("utf-8") for p in config.site_dir.rglob("*.html")]
    needed = {ord(c) for c in siteassets.page_text(pages) if not c.isspace()}
    for face in siteassets.FONT_FACES:
        path = config.site_dir / "assets" / "fonts" / f"AtkinsonHyperlegible-{face}.woff2"
        assert path.stat().st_size < 12_000, path
        full = set(TTFont(site.font_dir() / f"AtkinsonHyperlegible-{face}.ttf").getBestCmap())
        missing = (needed & full) - set(TTFont(path).getBestCmap())
        assert not missing, [chr(c) for c in missing]


USED = siteassets.Used(classes=frozenset({"md-a", "md-b"}),
                       attrs=frozenset({("data-md-color-primary", "custom")}))


@pytest.mark.parametrize(("selector", "kept"), [
    (".md-a", True), (".md-a .md-b>p", True), (".md-c", False), (".md-a.md-c", False),
    ("html", True), (".md-a:not(.md-c)", True), (":is(.md-c,.md-d) p", True),
    ("[data-md-color-primary=indigo] .md-a", False),
    ('[data-md-color-primary="custom"] .md-a', True), ("[dir=rtl] .md-a", False),
])
def test_css_selectors_are_kept_when_something_can_match(selector: str, kept: bool) -> None:
    assert siteassets.selector_matches(selector, USED) is kept


def test_trimmed_css_drops_rules_and_properties_nothing_uses() -> None:
    css = ('@charset "UTF-8";:root{--md-used:1px;--md-icon:url("data:a;b{}");--md-x:var(--md-icon)}'
           '.md-a,.md-c{margin:var(--md-used)}@media screen{.md-c{color:red}.md-b{color:blue}}'
           '@media print{.md-c{color:red}}@font-face{font-family:x}')
    out = siteassets.trim_css(css, USED)
    assert out == (':root{--md-used:1px}.md-a{margin:var(--md-used)}'
                   '@media screen{.md-b{color:blue}}@font-face{font-family:x}')


def test_404_pages_link_absolutely_to_their_own_language(built) -> None:
    config, _ = built
    for folder, root in (("", "/"), ("nl/", "/nl/"), ("facile/", "/facile/")):
        page = _html(config, f"{folder}404.html")
        links = re.findall(r'<(?:a|link)[^>]* href="([^"]+)"', page)
        assert links and all(href.startswith("/") for href in links), (folder, links)
        body = page[page.index('<main'):]
        own = [h for h in re.findall(r'<a[^>]* href="([^"]+)"', body)
               if "lisible-languages" not in h]
        assert f'href="{root}"' in body and f"{root}status/" in own, (folder, own)
        scripts = re.findall(r'<script src="([^"]+)"', page)
        assert scripts == ["/assets/lisible/lisible.js"]


def test_no_reference_to_another_host_in_any_page(built) -> None:
    config, _ = built
    for path in config.site_dir.rglob("*.html"):
        text = path.read_text("utf-8")
        loaded = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', text)
        assert not [u for u in loaded if u.startswith(("http:", "https:", "//"))], path
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
    fonts = config.site_dir / "assets" / "fonts"
    assert {p.name for p in fonts.glob("*.woff2")} == {
        f"AtkinsonHyperlegible-{face}.woff2" for face in siteassets.FONT_FACES}


def test_unreviewed_passages_are_marked_and_announced(built) -> None:
    config, _ = built
    page = _html(config, f"nl/{SLUG}/index.html")
    assert 'class="lisible-notice" role="note"' in page
    assert "2 van de 4 passages zijn machinaal vertaald" in page
    assert "1 van de 4 passages is nog niet vertaald" in page  # before: "zijn"
    assert re.search(r'<span class="lisible-fallback" lang="fr"><span class="lisible-sr">'
                     r"In het Frans: </span>Nous demandons", page)
    assert 'class="lisible-notice"' not in _html(config, f"en/{SLUG}/index.html")


def test_language_marks_from_the_catalogues_carry_lang(built) -> None:
    config, _ = built
    page = _html(config, f"nl/{SLUG}/index.html")
    assert '(<span lang="en">digital by default</span>)' in page
    assert "{lang=" not in page


@pytest.mark.parametrize(("text", "expected"), [
    ("“[Pas question]{lang=fr}”", '“<span lang="fr">Pas question</span>”'),
    ("[*a* b]{lang=fr-BE}", '<span lang="fr-BE">*a* b</span>'),
    ("[x]{lang=fr onclick=y}", "[x]{lang=fr onclick=y}"),  # not a mark: left as text
    ('[x]{lang="fr"}', '[x]{lang="fr"}'),
    ("[link](https://a.b){lang=fr}", "[link](https://a.b){lang=fr}"),
])
def test_only_plain_language_marks_become_spans(text: str, expected: str) -> None:
    assert site.mark_languages(text) == expected


def test_easy_read_pages_get_their_own_stylesheet(built) -> None:
    config, _ = built
    assert "easy-read.css" in _html(config, f"facile/{SLUG}/index.html")
    assert "easy-read.css" not in _html(config, f"{SLUG}/index.html")
    css = (config.site_dir / "assets" / "lisible" / "easy-read.css").read_text()
    assert "hyphens: none" in css and "text-align: left" in css


def test_pages_link_their_pdfs_with_size_and_pages(built) -> None:
    config, _ = built
    page = _html(config, f"nl/{SLUG}/index.html")
    links = re.findall(r'<a href="([^"]+\.pdf)"', page)
    assert links == [f"../../downloads/{SLUG}-nl-a4.pdf", f"../../downloads/{SLUG}-fr-a4.pdf"]
    assert page.index("<summary>In de andere talen</summary>") < page.index(f"{SLUG}-fr-a4.pdf")
    assert "(pdf, 1 kB, 1 pagina)" in page
    for link in links:
        assert (config.site_dir / "nl" / SLUG / link).resolve().is_file()


def test_status_page_has_numbers_and_a_bar(built) -> None:
    config, _ = built
    page = _html(config, "nl/status/index.html")
    row = re.search(r'<tr><th scope="row"><span lang="nl-BE">Nederlands</span></th>(.*?)</tr>',
                    page)
    cells = re.sub(r"<td [^>]*>", "<td>", row[1]) if row else ""
    assert "<td>1</td><td>2</td><td>0</td><td>1</td>" in cells
    assert "25 % nagelezen" in row[1] and 'class="lisible-bar" aria-hidden="true"' in row[1]


def test_status_page_sets_easy_read_figures_beside_the_source(built) -> None:
    config, _ = built
    page = _html(config, "status/index.html")
    table = re.search(r'<table class="lisible-status lisible-readability">(.*?)</table>',
                      page, re.S)
    assert table and "Mots par phrase" in table[1]
    assert "LIX" not in page and "Kandel" not in page  # no jargon on the reader's page
    words = re.search(r'<dl class="lisible-words">(.*?)</dl>', page, re.S)
    assert words and "<dt>Relu</dt>" in words[1] and "<dt>Testé</dt>" in words[1]
    dutch = _html(config, "nl/status/index.html")
    assert '<span lang="fr">Facile à lire</span> (eenvoudig Frans)' in dutch
    longest = re.search(r"Mots dans la phrase la plus longue</th><td>(\d+)</td><td>(\d+)</td>",
                        table[1])
    assert longest and int(longest[2]) < int(longest[1])  # the easy-read fixture is shorter
    assert re.search(r"<td>\d+,\d</td>", table[1])  # French decimal comma


def test_site_builds_before_pdfs_exist(tmp_path: Path) -> None:
    config = make_project(tmp_path, with_pdfs=False)
    report = site.build_site(config)
    assert report.downloads == 0
    assert not (config.site_dir / "downloads").exists()
    assert "Les fichiers PDF ne sont pas encore prêts." in _html(config, "pdf/index.html")
    assert ".pdf" not in _html(config, f"{SLUG}/index.html")


def test_manifest_written_by_the_pdf_stage_is_read(tmp_path: Path) -> None:
    config = make_project(tmp_path, with_pdfs=False)
    folder = config.build_dir / "downloads"
    folder.mkdir(parents=True)
    (folder / "x-nl-a5.pdf").write_bytes(tiny_pdf("x"))
    counts = document.Counts(reviewed=2, draft=1)
    info = document.Download("x", "nl", "nl", "a5", "x-nl-a5.pdf", 2048, 3, "Titel", counts)
    gone = document.Download("y", "nl", "nl", "a5", "y-nl-a5.pdf", 1024, 1, "Weg", None)
    (folder / document.MANIFEST).write_text(document.manifest_json([info, gone]), "utf-8")
    assert document.read_manifest(config) == (info,)  # a listed file that is gone is left out


def test_mark_unreviewed_keeps_text_and_attributes() -> None:
    body = 'A <span class="lisible-fallback" lang="fr">*b*[^1]</span> c'
    out = site.mark_unreviewed(body, STRINGS)
    assert out == ('A <span class="lisible-fallback" lang="fr"><span class="lisible-sr">'
                   'In het Frans: </span>*b*[^1]<span class="lisible-sr"> (einde van de passage)'
                   "</span></span> c")


def test_notice_only_when_something_is_unreviewed() -> None:
    assert site.notice_markdown(None, STRINGS) == ""
    assert site.notice_markdown(site.Counts(reviewed=3), STRINGS) == ""
    notice = site.notice_markdown(site.Counts(reviewed=1, stale=1, untranslated=2), STRINGS)
    # Before: "1 van de 4 passages zijn" (strings.yml had no plural forms).
    assert "1 van de 4 passages is machinaal" in notice and "2 van de 4 passages zijn" in notice
    assert "(status.md)" in notice
    nothing = site.notice_markdown(site.Counts(untranslated=13), STRINGS)
    assert "Deze tekst is nog niet vertaald." in nothing and "13" not in nothing


def test_easy_read_pages_always_say_readers_have_not_tested_them() -> None:
    falc = words_for(config_from_dict(REPO, {}).language("fr@falc"))[0]
    notice = site.notice_markdown(site.Counts(reviewed=13), falc, easy_read=True)
    assert "pas encore testé" not in site.notice_markdown(site.Counts(reviewed=13), falc)
    assert "des lecteurs n’ont pas encore testé ce texte" in notice
    assert "programme" not in notice  # nothing machine-made to announce
    drafted = site.notice_markdown(site.Counts(reviewed=12, draft=1), falc, easy_read=True)
    assert "pas encore testé" in drafted and "Un programme a écrit" in drafted


def test_bad_front_matter_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text('---\ntitle: "unclosed\n---\n\nText\n', "utf-8")
    with pytest.raises(LisibleError) as error:
        document.read_published(path, config_from_dict(tmp_path, {}).source, "x")
    assert str(error.value).startswith(str(path))


def test_nothing_to_publish_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(site.SiteError, match=r"build\.py convert"):
        site.discover_slugs(config_from_dict(tmp_path, {}))


def test_site_command_is_registered() -> None:
    from lisible import cli

    assert cli._parser().parse_args(["site"]).func is cli.cmd_site


def test_alternates_are_absolute_with_a_site_url_and_claim_each_tag_once() -> None:
    config = config_from_dict(REPO, {"site_url": "https://example.org/carte/"})
    links = site.alternates(config, config.language("nl"))
    assert [(a["code"], a["hreflang"], a["absolute"], a["prefix"]) for a in links] == [
        ("fr", "fr-BE", "https://example.org/carte/", "../"),
        ("nl", "nl-BE", "https://example.org/carte/nl/", ""),
        ("en", "en-GB", "https://example.org/carte/en/", "../en/"),
        ("fr@falc", "", "https://example.org/carte/facile/", "../facile/"),
    ]
    assert [a["current"] for a in links] == [False, True, False, False]


def test_settings_derive_from_the_root_mkdocs_yml(tmp_path: Path) -> None:
    config = config_from_dict(REPO, {"site_url": "https://example.org/"})
    base = site.load_base_settings(config)
    lang = config.language("fr@falc")
    settings = site.language_settings(config, base, lang, STRINGS, [], "Name", "Desc",
                                      tmp_path / "theme", tmp_path / "docs")
    assert settings["theme"]["font"] is False and settings["theme"]["language"] == "fr"
    assert settings["site_url"] == "https://example.org/facile/"
    assert settings["site_dir"] == str(config.site_dir / "facile")
    assert {"search": {"lang": ["fr"]}} in settings["plugins"]
    assert settings["extra"]["lisible"]["html_lang"] == "fr"
    assert settings["extra"]["generator"] is False
    assert base["theme"]["custom_dir"] == "overrides"  # the root file is left as it is


def test_with_a_site_url_hreflang_is_absolute_and_language_links_stay_relative(
        tmp_path: Path) -> None:
    from dataclasses import replace

    config = replace(make_project(tmp_path, with_pdfs=False), site_url="https://example.org/c/")
    site.build_site(config)
    page = _html(config, f"nl/{SLUG}/index.html")
    assert (f'<link rel="alternate" hreflang="en-GB" '
            f'href="https://example.org/c/en/{SLUG}/">') in page
    assert f'<meta property="og:url" content="https://example.org/c/nl/{SLUG}/">' in page
    assert f'<a href="../../en/{SLUG}/" lang="en-GB" hreflang="en-GB">English</a>' in page
    missing = _html(config, "nl/404.html")
    assert 'rel="alternate" hreflang' not in missing
    assert '<a href="https://example.org/c/en/" lang="en-GB"' in missing
    assert f'<link rel="canonical" href="https://example.org/c/nl/{SLUG}/">' in page
    sitemap = (config.site_dir / "sitemap.xml").read_text("utf-8")
    listed = re.findall(r"<loc>(.*?)</loc>", sitemap)
    expected = {f"https://example.org/c/{folder}{page}" for folder in ("", "nl/", "en/", "facile/")
                for page in ("", f"{SLUG}/", "pdf/", "status/")}
    assert set(listed) == expected and len(listed) == len(expected)


def test_same_inputs_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    config = make_project(tmp_path)

    def digest() -> dict[str, str]:
        site.build_site(config)
        return {str(p.relative_to(config.site_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(config.site_dir.rglob("*")) if p.is_file()}

    first = digest()
    assert digest() == first and len(first) > 20


def test_check_accepts_language_marks_and_nothing_else() -> None:
    from lisible import check

    nl = config_from_dict(REPO, {}).language("nl")
    source = "« Pas question », dit-il (digital par défaut)."
    marked = "“[Pas question]{lang=fr}”, zegt hij ([digital by default]{lang=en})."
    assert check.check_message(source, marked, nl) == []
    for bad in ("[Pas question]{.x}", "[Pas question]{lang=fr onclick=x}", "[x]{lang=}"):
        codes = [f.code for f in check.check_message(source, f"“{bad}”, zegt hij.", nl)]
        assert "LANG-MARK" in codes, bad


def test_pdf_filter_sets_the_language_of_marked_passages() -> None:
    import pypandoc

    from lisible import pdf

    lua = Path(pdf.__file__).parent / "templates" / "lisible-spans.lua"
    typst = pypandoc.convert_text("Zo ([digital by default]{lang=en}), “[Pas]{lang=fr-BE}”.",
                                  "typst", format=pdf.READER, filters=[str(lua)])
    assert '#text(lang: "en", region: none)[digital by default]' in typst
    assert '#text(lang: "fr", region: "BE")[Pas]' in typst


def test_manifest_has_one_spelling(tmp_path: Path) -> None:
    """The manifest is the PDF stage's, read as it writes it: another key is an error that
    names the file, never a guess."""
    config = make_project(tmp_path, with_pdfs=False)
    folder = config.build_dir / "downloads"
    folder.mkdir(parents=True)
    (folder / "x-nl-a5.pdf").write_bytes(tiny_pdf("x"))
    (folder / document.MANIFEST).write_text(json.dumps(
        [{"slug": "x", "code": "nl", "filename": "x-nl-a5.pdf", "size": 2048}]), "utf-8")
    with pytest.raises(document.DocumentError) as error:
        document.read_manifest(config)
    assert str(error.value).startswith(str(folder / document.MANIFEST))
