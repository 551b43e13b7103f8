"""Time the site stage and weigh what a reader downloads, in Chromium.

    .venv/bin/python benchmarks/bench_site.py [--runs 3] [--no-build]

Builds the real site from build/markdown/ (run ``python build.py convert`` /
the catalogues first) a few times and prints the wall time of
``lisible.site.build_site``; then serves site/ on 127.0.0.1 and, for each
language, loads a document page in Debian's Chromium with an empty cache
(first visit), then follows the language list to the same page in the next
language (switch). The server counts what it sends, compressed with gzip
where a server with gzip on would (HTML, CSS, JS, JSON, SVG, XML; fonts and
images are already compressed), so cached files count for nothing, as they
cost a reader nothing. The browser test asserts the budgets with the same
code (``weigh_article``): first visit <= 50 kB, switch <= 10 kB.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lisible import site  # noqa: E402
from lisible.config import load_config  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BUDGET_FIRST_VISIT = 50_000  # bytes, HTML + CSS + JS + fonts
BUDGET_SWITCH = 10_000  # bytes more for the same page in another language
COMPRESSED = {".html": "html", ".css": "css", ".js": "js", ".json": "other",
              ".svg": "other", ".xml": "other"}
FONTS = {".woff2", ".woff", ".ttf", ".otf"}


@dataclass
class Served:
    """What the server sent: (kind, bytes on the wire) per response with a body."""

    items: list[tuple[str, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, body: bytes) -> None:
        suffix = Path(path).suffix.lower() or ".html"
        if suffix in COMPRESSED:
            kind, size = COMPRESSED[suffix], len(gzip.compress(body, 6, mtime=0))
        else:
            kind, size = ("fonts" if suffix in FONTS else "other"), len(body)
        with self.lock:
            self.items.append((path, kind, size))

    def take(self) -> list[tuple[str, str, int]]:
        with self.lock:
            items, self.items = self.items, []
        return items


class _Recording(SimpleHTTPRequestHandler):
    """A static host as cheap hosting configures one: pages revalidated, assets cached."""

    served: Served

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        page = self.path.split("?")[0].endswith(("/", ".html"))
        self.send_header("Cache-Control", "no-cache" if page else "max-age=86400")
        super().end_headers()

    def send_head(self):
        body = super().send_head()
        if body is not None and hasattr(body, "read"):
            data = body.read()
            body.close()
            self.served.add(self.path.split("?")[0], data)
            return io.BytesIO(data)
        return body

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """A missing page gets its language's 404.html, as a static host is set up to do."""
        folder = Path(self.directory)
        first = self.path.lstrip("/").split("/", 1)[0]
        page = folder / first / "404.html" if first else folder / "404.html"
        page = page if page.is_file() and first else folder / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        data = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def serve(folder: Path) -> tuple[str, Served, ThreadingHTTPServer]:
    """Serve ``folder`` on 127.0.0.1; the base URL, the record, the server (to shut down)."""
    record = Served()
    handler = functools.partial(type("Handler", (_Recording,), {"served": record}),
                                directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", record, server


def totals(items: list[tuple[str, str, int]]) -> dict[str, int]:
    """Bytes per kind, ``core`` (HTML + CSS + JS + fonts) and ``all``."""
    sums: dict[str, int] = {}
    for _, kind, size in items:
        sums[kind] = sums.get(kind, 0) + size
    sums["core"] = sum(v for k, v in sums.items() if k in ("html", "css", "js", "fonts"))
    sums["all"] = sum(size for _, _, size in items)
    return sums


def weigh_article(browser, base: str, record: Served, folders: list[str],
                  slug: str) -> Iterator[tuple[str, dict[str, int], dict[str, int]]]:
    """(folder, first visit, switch) for each language's page ``slug``.

    First visit: an empty cache. Switch: the same page in the previous
    language first, then a click on this language in the language list.
    """
    for i, folder in enumerate(folders):
        context = browser.new_context()
        page = context.new_page()
        record.take()
        page.goto(f"{base}{folder}{slug}/", wait_until="networkidle")
        page.wait_for_timeout(300)
        first = totals(record.take())
        context.close()
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}{folders[i - 1]}{slug}/", wait_until="networkidle")
        page.wait_for_timeout(300)
        record.take()
        link = page.locator(f'nav.lisible-languages a[href$="{folder}{slug}/"]').first
        with page.expect_navigation(wait_until="networkidle"):
            link.click()
        page.wait_for_timeout(300)
        switch = totals(record.take())
        context.close()
        yield folder, first, switch


def time_builds(runs: int) -> list[float]:
    config = load_config(ROOT)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        report = site.build_site(config)
        times.append(time.perf_counter() - started)
    print(report.describe())
    return times


def a_document(site_dir: Path) -> str:
    """The first document page's folder name."""
    skip = {"pdf", "status", "search", "assets", "downloads", "nl", "en", "facile"}
    return sorted(p.parent.name for p in site_dir.glob("*/index.html")
                  if p.parent.name not in skip)[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-build", action="store_true", help="weigh site/ as it is")
    args = parser.parse_args()
    if not args.no_build:
        times = time_builds(args.runs)
        print(f"site step: median {statistics.median(times):.2f} s over {len(times)} runs "
              f"(min {min(times):.2f}, max {max(times):.2f})")
    config = load_config(ROOT)
    base, record, server = serve(config.site_dir)
    folders = [f"{lang.path}/" if lang.path else "" for lang in config.languages]
    from playwright.sync_api import sync_playwright

    print(f"{'page':<12} {'visit':<7} {'html':>6} {'css':>6} {'js':>6} {'fonts':>6} "
          f"{'core':>6} {'all':>6}  (kB on the wire, gzip)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for folder, first, switch in weigh_article(browser, base, record, folders,
                                                   a_document(config.site_dir)):
            for name, sums in (("first", first), ("switch", switch)):
                cells = " ".join(f"{sums.get(k, 0) / 1000:>6.1f}"
                                 for k in ("html", "css", "js", "fonts", "core", "all"))
                print(f"{'/' + folder:<12} {name:<7} {cells}")
        browser.close()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
