"""Time the site stage and weigh each language's home page.

    .venv/bin/python benchmarks/bench_site.py [--runs 3]

Builds the real site from build/markdown/ (run ``python build.py convert`` /
the catalogues first) a few times and prints the wall time of
``lisible.site.build_site``; then serves site/ on 127.0.0.1, loads each
language's home page in Debian's Chromium with an empty cache and prints what
it received (HTML, CSS, JS, fonts, other), uncompressed and gzip-compressed
(as a server with gzip on would send it).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import statistics
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lisible import site  # noqa: E402
from lisible.config import load_config  # noqa: E402

KINDS = {"document": "html", "stylesheet": "css", "script": "js", "font": "fonts"}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def time_builds(runs: int) -> list[float]:
    config = load_config(ROOT)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        report = site.build_site(config)
        times.append(time.perf_counter() - started)
    print(report.describe())
    return times


def weigh(base: str, folders: list[str]) -> dict[str, dict[str, tuple[int, int]]]:
    from playwright.sync_api import sync_playwright

    result = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--no-sandbox", "--disable-gpu",
                                           "--disable-background-networking"])
        for folder in folders:
            context = browser.new_context()
            page = context.new_page()
            responses: list = []
            page.on("response", lambda r, seen=responses: seen.append(r))
            page.goto(base + folder, wait_until="networkidle")
            page.wait_for_timeout(300)
            sizes: dict[str, tuple[int, int]] = {}
            for response in responses:
                body = response.body()
                kind = KINDS.get(response.request.resource_type, "other (search, icon)")
                raw, packed = sizes.get(kind, (0, 0))
                sizes[kind] = (raw + len(body), packed + len(gzip.compress(body, 6)))
            result[folder or "/"] = sizes
            context.close()
        browser.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = time_builds(args.runs)
    print(f"site step: median {statistics.median(times):.2f} s over {len(times)} runs "
          f"(min {min(times):.2f}, max {max(times):.2f})")
    config = load_config(ROOT)
    handler = functools.partial(_Quiet, directory=str(config.site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    folders = [f"{lang.path}/" if lang.path else "" for lang in config.languages]
    print(f"{'home page':<10} {'kind':<22} {'kB':>8} {'kB gzip':>8}")
    for folder, sizes in weigh(base, folders).items():
        for kind, (raw, packed) in sorted(sizes.items()):
            print(f"{folder:<10} {kind:<22} {raw / 1000:>8.1f} {packed / 1000:>8.1f}")
        core = [v for k, v in sizes.items() if k in KINDS.values()]
        print(f"{folder:<10} {'HTML+CSS+JS+fonts':<22} {sum(r for r, _ in core) / 1000:>8.1f} "
              f"{sum(p for _, p in core) / 1000:>8.1f}")
        print(f"{folder:<10} {'everything':<22} "
              f"{sum(r for r, _ in sizes.values()) / 1000:>8.1f} "
              f"{sum(p for _, p in sizes.values()) / 1000:>8.1f}")
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
