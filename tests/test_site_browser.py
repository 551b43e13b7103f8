"""The built site in a real browser: Debian's Chromium driven by Playwright, axe-core injected.

A site is built from the fixture Markdown into a temporary folder (and the
real ``site/`` is checked too when it has been built), served on 127.0.0.1 by
the benchmark's recording server (pages revalidated, assets cached, each
language's 404 page for a missing address, bytes counted as sent with gzip),
and crawled from its home page. On every page: no serious or critical
axe-core violation (AAA contrast too on easy-read pages), the language list
leads to the same document in each language, every internal and PDF link
answers 200, no request leaves 127.0.0.1, no console error, no sideways
scroll at 320 px. Per language: a document page weighs at most 50 kB on a
first visit and 10 kB more on a language switch; a keyboard walk at 390 and
1280 px meets only visible stops, the language list within three stops after
the skip link. Screenshots at phone and desktop widths go to
``tests/output/site/``, the weights to ``tests/output/site/weight.json``.
"""

from __future__ import annotations

import functools
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from test_site import REPO, SLUG, make_project

from benchmarks.bench_site import BUDGET_FIRST_VISIT, BUDGET_SWITCH, serve, weigh_article
from lisible import site
from lisible.words import words_for

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
OUTPUT = REPO / "tests" / "output" / "site"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
LANG_PATHS = {"fr": "", "nl": "nl", "en": "en", "fr@falc": "facile"}



@pytest.fixture(scope="module", autouse=True)
def _browser_installed() -> None:
    """The browser test fails, never skips, without its tools: make test installs them."""
    missing = [str(path) for path in (CHROMIUM, AXE) if not path.exists()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run make system-deps")


@functools.cache
def _serve(folder: str):
    """Serve ``folder`` on 127.0.0.1 for the rest of the session; (base URL, record)."""
    base, record, _ = serve(Path(folder))
    return base, record


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = make_project(tmp_path_factory.mktemp("project"))
    site.build_site(config)
    return config.site_dir


@pytest.fixture(scope="module", params=["fixture", "real"])
def site_dir(request: pytest.FixtureRequest) -> Path:
    if request.param == "real":
        real = REPO / "site"
        if not (real / "index.html").exists() or not (real / "nl" / "index.html").exists():
            pytest.skip("no real site built (python build.py site)")
        return real
    return request.getfixturevalue("fixture_site")


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> str:
    return _serve(str(site_dir))[0]


@pytest.fixture(scope="module")
def record(site_dir: Path):
    return _serve(str(site_dir))[1]


@pytest.fixture(scope="session")
def playwright() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright) -> Iterator:
    """A plain Chromium whose contexts start with an empty cache, for JS-off and weights."""
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def browser_context(playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """Chromium with a fresh profile; any request to another host is aborted (and seen)."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM),
        args=ARGS, headless=True, viewport={"width": 1280, "height": 900})
    context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    context.add_init_script(path=str(AXE))  # axe-core in every page, before its own scripts
    yield context
    context.close()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _lang_of(path: str) -> tuple[str, str]:
    """(catalogue code, path inside that language) of a site path such as ``nl/x/``."""
    first, _, rest = path.partition("/")
    for code, folder in LANG_PATHS.items():
        if folder and first == folder:
            return code, rest
    return "fr", path


def _html_lang(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        match = re.search(r'<html lang="([^"]+)"', response.read().decode("utf-8"))
    return match[1] if match else ""


class Visit:
    """What one page load showed: requests, console errors, axe violations, links."""

    def __init__(self, page, url: str, base: str):
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        response = page.goto(url, wait_until="load")
        self.status = response.status if response else 0
        path = url[len(base):]
        tags = AXE_TAGS + (["wcag2aaa"] if path.startswith("facile/") else [])
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
        self.violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in result["violations"]]  # any impact: the site has none
        self.links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        self.switcher = page.eval_on_selector_all(
            "nav.lisible-languages a",
            "els => els.map(e => [e.href, e.lang, e.getAttribute('aria-current')])")
        self.alternates = page.eval_on_selector_all(
            "link[rel=alternate]", "els => els.map(e => [e.href, e.hreflang])")
        self.html_lang = page.evaluate("document.documentElement.lang")


def crawl(context, base: str) -> dict[str, Visit]:
    """Every page reachable from the home page, plus each language's 404 page."""
    page = context.new_page()
    todo = [base] + [f"{base}{folder + '/' if folder else ''}404.html"
                     for folder in LANG_PATHS.values()]
    seen: dict[str, Visit] = {}
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen[url] = Visit(page, url, base)
        for link in seen[url].links:
            target = urldefrag(link)[0]
            if target.startswith(base) and target.endswith("/") and target not in seen:
                todo.append(target)
    page.close()
    return seen


@pytest.fixture(scope="module")
def visits(browser_context, base_url: str) -> dict[str, Visit]:
    return crawl(browser_context, base_url)


def test_every_language_and_page_is_reached(visits: dict[str, Visit], base_url: str) -> None:
    paths = {url[len(base_url):] for url in visits}
    for folder in LANG_PATHS.values():
        prefix = f"{folder}/" if folder else ""
        assert {prefix, f"{prefix}pdf/", f"{prefix}status/"} <= paths, sorted(paths)
    assert all(v.status == 200 for u, v in visits.items() if not u.endswith("404.html"))


def test_no_axe_violation(visits: dict[str, Visit]) -> None:
    found = {url: v.violations for url, v in visits.items() if v.violations}
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_no_request_leaves_localhost(visits: dict[str, Visit]) -> None:
    outside = {url: [r for r in v.requests
                     if urlsplit(r).scheme not in ("data", "blob")
                     and urlsplit(r).hostname != "127.0.0.1"]
               for url, v in visits.items()}
    assert not {u: r for u, r in outside.items() if r}


def test_no_console_error(visits: dict[str, Visit]) -> None:
    errors = {url: v.errors for url, v in visits.items() if v.errors}
    assert not errors, json.dumps(errors, indent=1)


def test_every_internal_and_pdf_link_answers_200(visits: dict[str, Visit],
                                                   base_url: str) -> None:
    targets = {urldefrag(link)[0] for v in visits.values() for link in v.links}
    targets |= {href for v in visits.values() for href, _ in v.alternates}
    internal = sorted(t for t in targets if t.startswith(base_url))
    broken = [t for t in internal if _status(t) != 200]
    assert not broken
    assert any(t.endswith(".pdf") for t in internal) or "real" in base_url


def test_language_list_leads_to_the_same_document(visits: dict[str, Visit],
                                                  base_url: str) -> None:
    for url, visit in visits.items():
        code, inner = _lang_of(url[len(base_url):])
        assert visit.html_lang == ("fr" if code == "fr@falc" else
                                   {"fr": "fr-BE", "nl": "nl-BE", "en": "en-GB"}[code])
        assert len(visit.switcher) == len(LANG_PATHS), url
        for href, lang, current in visit.switcher:
            other_code, other_inner = _lang_of(href[len(base_url):])
            # a 404 page may be served at any address: it leads to each language's home
            assert other_inner == ("" if inner == "404.html" else inner), (url, href)
            assert (current == "page") == (other_code == code), (url, href)
            assert _html_lang(href) == lang, (url, href)


def test_hreflang_alternates_name_each_regional_tag_once(visits: dict[str, Visit],
                                                         base_url: str) -> None:
    doc = visits.get(f"{base_url}nl/{SLUG}/")
    if doc is None:
        pytest.skip("fixture document not in this site")
    tags = [tag for _, tag in doc.alternates]
    assert sorted(tags) == ["en-GB", "fr-BE", "nl-BE", "x-default"]
    assert all(href.endswith(f"/{SLUG}/") for href, _ in doc.alternates)


def test_missing_page_gets_a_404_in_each_language(base_url: str) -> None:
    assert _status(f"{base_url}nl/no-such-page/") == 404
    for folder in LANG_PATHS.values():
        assert _status(f"{base_url}{folder + '/' if folder else ''}404.html") == 200


def _language(folder: str):
    from lisible.config import config_from_dict

    code = next(c for c, f in LANG_PATHS.items() if (f"{f}/" if f else "") == folder)
    return config_from_dict(REPO, {}).language(code)


def _output_name(site_dir: Path) -> str:
    return "real" if site_dir == REPO / "site" else "fixture"


def _a_document(site_dir: Path) -> str:
    """A document page's folder name: the fixture's, or the real site's first."""
    if _output_name(site_dir) == "fixture":
        return SLUG
    skip = {"pdf", "status", "search", "assets", "downloads", *LANG_PATHS.values()}
    return sorted(p.parent.name for p in site_dir.glob("*/index.html")
                  if p.parent.name not in skip)[0]


def test_readable_with_javascript_off(browser, base_url: str, site_dir: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}en/{_a_document(site_dir)}/")
    assert page.locator("article h1").first.is_visible()
    assert page.locator("nav.lisible-languages a").count() == len(LANG_PATHS)
    assert not page.locator(".md-search").is_visible()  # no dead search box
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "md-skip" in focused
    assert page.locator(".md-skip").is_visible()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")  # focus is visible
    page.keyboard.press("Tab")  # the next stop is a header link, also outlined
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    context.close()


def test_screenshots_at_phone_and_desktop_widths(browser_context, base_url: str,
                                                 site_dir: Path) -> None:
    out = OUTPUT / _output_name(site_dir)
    out.mkdir(parents=True, exist_ok=True)
    slug = _a_document(site_dir)
    page = browser_context.new_page()
    for folder in LANG_PATHS.values():
        prefix = f"{folder}/" if folder else ""
        for name, path in (("home", ""), (slug, f"{slug}/")):
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
                page.goto(f"{base_url}{prefix}{path}", wait_until="networkidle")
                page.screenshot(path=str(out / f"{folder or 'fr'}-{name}-{width}.png"),
                                full_page=name != "home")
    page.close()
    for folder in LANG_PATHS.values():
        shots = [out / f"{folder or 'fr'}-{name}-{width}.png"
                 for width in (390, 1280) for name in ("home", slug)]
        assert all(shot.stat().st_size > 10_000 for shot in shots), shots


def test_a_document_weighs_50_kB_first_and_10_kB_more_per_language(
        browser, base_url: str, record, site_dir: Path) -> None:
    folders = [f"{folder}/" if folder else "" for folder in LANG_PATHS.values()]
    weights = {folder or "/": {"first": first, "switch": switch} for folder, first, switch
               in weigh_article(browser, base_url, record, folders, _a_document(site_dir))}
    out = OUTPUT / _output_name(site_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "weight.json").write_text(json.dumps(weights, indent=1) + "\n", "utf-8")
    for folder, weight in weights.items():
        assert {"html", "css", "js", "fonts"} <= set(weight["first"]), (folder, weight)
        assert weight["first"]["core"] <= BUDGET_FIRST_VISIT, (folder, weight)
        assert weight["switch"]["core"] <= BUDGET_SWITCH, (folder, weight)


FOCUSED = """() => {
  const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
  return {name: (e.getAttribute('aria-label') || e.textContent || e.value || e.tagName).trim(),
          tag: e.tagName, role: e.getAttribute('role') || (e.tagName === 'BUTTON' ? 'button' : ''),
          language: !!e.closest('nav.lisible-languages'), skip: e.classList.contains('md-skip'),
          visible: e !== document.body && e.checkVisibility(
              {visibilityProperty: true, opacityProperty: true}) && r.width > 0 && r.height > 0,
          onScreen: r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2};
}"""


def keyboard_walk(page, stops: int) -> list[dict]:
    """What each Tab press lands on, from the top of the page."""
    walk = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        page.wait_for_timeout(30)
        stop = page.evaluate(FOCUSED)
        if stop["tag"] == "BODY":  # past the last stop
            break
        walk.append(stop)
    return walk


@pytest.mark.parametrize("width", [390, 1280])
def test_keyboard_walk_meets_only_visible_stops_and_the_languages_early(
        browser, base_url: str, site_dir: Path, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    for folder in LANG_PATHS.values():
        page.goto(f"{base_url}{folder + '/' if folder else ''}{_a_document(site_dir)}/",
                  wait_until="networkidle")
        record = page.evaluate("document.querySelectorAll('a[href], input, [tabindex]').length")
        walk = keyboard_walk(page, min(record, 60))
        hidden = [stop for stop in walk if not (stop["visible"] and stop["onScreen"]
                                                 and stop["outline"])]
        assert not hidden, (folder, width, hidden)
        assert walk[0]["skip"], walk[0]
        assert any(stop["language"] for stop in walk[1:4]), (folder, width, walk[:4])
        if width == 390:  # the menu and search buttons are stops, named, before the languages
            buttons = [stop for stop in walk[1:3] if stop["role"] == "button"]
            assert len(buttons) == 2 and all(b["name"] for b in buttons), walk[:3]
    context.close()


def test_menu_and_search_open_from_the_keyboard_on_a_phone(browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{base_url}nl/", wait_until="networkidle")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the menu button
    page.wait_for_timeout(400)
    stop = page.evaluate(FOCUSED)
    assert page.evaluate("document.getElementById('__drawer').checked")
    assert stop["visible"] and stop["onScreen"] and stop["tag"] == "A", stop
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert not page.evaluate("document.getElementById('__drawer').checked")
    assert page.evaluate("document.activeElement.dataset.for") == "__drawer"
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.classList.contains('md-search__input')")
    # the search field fades in (Material's transition): wait for it, up to 3 s
    page.wait_for_function(f"({FOCUSED})().visible", timeout=3000)
    context.close()


def test_no_sideways_scroll_at_320_px(browser, visits: dict[str, Visit], base_url: str) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    wide = {}
    for url in [*visits, f"{base_url}nl/oude-pagina/"]:
        page.goto(url, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[url] = width
    context.close()
    assert not wide


def test_a_404_served_at_any_address_links_to_its_own_language(browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    for folder in ("nl/", "facile/", ""):
        response = page.goto(f"{base_url}{folder}oude-pagina/deeper/", wait_until="load")
        assert response and response.status == 404
        assert page.evaluate("document.documentElement.lang") == _html_lang(f"{base_url}{folder}")
        links = page.eval_on_selector_all(
            "a[href]:not(nav.lisible-languages a)", "els => els.map(e => e.href)")
        assets = page.eval_on_selector_all("link[href], script[src]",
                                           "els => els.map(e => e.href || e.src)")
        assert links and all(_status(link) == 200 for link in links + assets), links
        own = [link for link in links if link.startswith(base_url)]
        if folder:
            assert all(link.startswith(f"{base_url}{folder}") for link in own), own
        switcher = page.eval_on_selector_all("nav.lisible-languages a",
                                             "els => els.map(e => e.href)")
        assert {urlsplit(href).path for href in switcher} == {
            f"/{f}/" if f else "/" for f in LANG_PATHS.values()}
        assert page.title() != _title(f"{base_url}{folder}")
    context.close()


def _title(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return re.search(r"<title>(.*?)</title>", response.read().decode("utf-8"))[1]


@pytest.mark.parametrize(("folder", "query", "expected"), [
    ("nl/", "loket", "/nl/"),  # Dutch stemming: "loket" finds "loketten"
    ("", "guichet", "/"),  # French: "guichet" finds "guichets"
])
def test_search_stays_in_its_language_and_stems(browser, base_url: str, site_dir: Path,
                                                folder: str, query: str, expected: str) -> None:
    if _output_name(site_dir) != "fixture":
        pytest.skip("queries are written for the fixture text")
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base_url}{folder}", wait_until="networkidle")
    page.set_viewport_size({"width": 1280, "height": 900})  # the search box is in the header
    results = page.locator(".md-search-result__item a")
    box = page.locator("input.md-search__input")
    for _ in range(20):  # as a person does: click, type; again if the index was not ready
        box.click()
        box.fill("")
        page.keyboard.type(query, delay=30)
        page.wait_for_timeout(250)
        if results.count():
            break
    hrefs = results.evaluate_all("els => els.map(e => new URL(e.href).pathname)")
    documents = page.locator("li.md-search-result__item").count()
    meta = page.locator(".md-search-result__meta")
    said = meta.inner_text().strip()
    live = (meta.get_attribute("role"), meta.get_attribute("aria-live"))
    context.close()
    assert live == ("status", "polite")  # screen readers hear how many results there are
    words = words_for(_language(folder))[0]
    assert said == (words["search.result.one"] if documents == 1 else
                    words["search.result.other"].replace("#", str(documents))), said
    assert not errors
    assert hrefs and all(h.startswith(expected) for h in hrefs)
    assert not any(h.startswith(("/nl/", "/en/", "/facile/")) for h in hrefs) or folder
    assert any(f"/{SLUG}/" in h for h in hrefs), hrefs


def test_marked_passages_carry_their_language(browser, base_url: str, site_dir: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}nl/{_a_document(site_dir)}/")
    marks = page.eval_on_selector_all(
        "article span[lang]:not(.lisible-fallback)",
        "els => els.filter(e => !e.closest('.lisible-downloads'))"
        "          .map(e => [e.lang, e.innerText])")
    page.goto(f"{base_url}nl/status/")
    label = page.eval_on_selector_all("article th span[lang]", "els => els.map(e => e.lang)")
    context.close()
    expected = ({"en"} if _output_name(site_dir) == "fixture" else {"en", "fr"})
    assert {lang for lang, _ in marks} >= expected, marks
    assert all(text.strip() and "{lang=" not in text for _, text in marks)
    assert "fr" in label  # "Facile à lire" in the Dutch readability table


def test_print_has_no_blank_page_and_each_address_once(browser, base_url: str,
                                                     site_dir: Path, tmp_path: Path) -> None:
    import subprocess

    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url, wait_until="networkidle")
    page.pdf(path=str(tmp_path / "home.pdf"), format="A4")
    page.goto(f"{base_url}{_a_document(site_dir)}/", wait_until="networkidle")
    addresses = page.eval_on_selector_all(".footnote a[href^='http']",
                                          "els => els.map(e => e.href)")
    page.pdf(path=str(tmp_path / "doc.pdf"), format="A4")
    context.close()
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "home.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout.split("\f")
    assert all(text.strip() for text in pages[:-1]), [len(t) for t in pages]
    text = subprocess.run(["pdftotext", str(tmp_path / "doc.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = re.sub(r"[\s-]", "", text)  # pdftotext joins a hyphen broken at a line's end
    for address in addresses:
        assert flat.count(re.sub(r"[\s-]", "", address.rstrip("/"))) == 1, address


SMALL_TEXT = """() => {
  const small = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (!node.textContent.trim() || !element.checkVisibility({visibilityProperty: true})
        || !element.getBoundingClientRect().width) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < 18) small.push([node.textContent.trim().slice(0, 30), size]);
  }
  return small;
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_easy_read_pages_have_no_text_under_18_px(browser, visits: dict[str, Visit],
                                                   base_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    small = {}
    for url in (u for u in visits if u.startswith(f"{base_url}facile/")):
        page.goto(url, wait_until="load")
        page.keyboard.press("Tab")  # the skip link shows itself
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        small[url] = page.evaluate(SMALL_TEXT)
    context.close()
    assert not {url: found for url, found in small.items() if found}
