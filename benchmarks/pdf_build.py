"""Time the pdf stage on the project's real Markdown; list every PDF's size, pages, line length.

Usage: ``.venv/bin/python benchmarks/pdf_build.py [--root .] [--runs 3] [--site-url URL]``

Characters a line: every full line of running text (pdftotext -bbox-layout:
lines of the body's height that are not the last of their block, so footnotes,
headings and paragraph ends are left out), median and range.

The Markdown in ``<root>/build/markdown`` (run ``python build.py catalogs``
first) is copied into a temporary project, so the project's own build/ and
site/ are not touched. Each run starts from an empty output folder (a full
build of every language x format); one more run on the unchanged inputs shows
the cost of the up-to-date check.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lisible import pdf
from lisible.config import load_config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site-url", default="https://example.org/",
                        help="site_url for the run, so QR codes are printed (%(default)s)")
    args = parser.parse_args()
    source = load_config(args.root)
    markdown = source.build_dir / "markdown"
    if not markdown.is_dir():
        print(f"{markdown}: missing; run `python build.py catalogs` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(args.root / "pyproject.toml", root / "pyproject.toml")
        shutil.copy(args.root / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(markdown, root / "build" / "markdown")
        config = load_config(root)
        if args.site_url:
            config = replace(config, site_url=args.site_url)
        times = []
        for _ in range(args.runs):
            shutil.rmtree(root / "build" / "downloads", ignore_errors=True)
            shutil.rmtree(root / "build" / "pdf", ignore_errors=True)
            started = time.perf_counter()
            infos = pdf.build_pdfs(config)
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        pdf.build_pdfs(config)
        unchanged = time.perf_counter() - started
        lines = {info.file: line_lengths(root / "build" / "downloads" / info.file)
                 for info in infos}
    print(f"full build of {len(infos)} PDFs: median {statistics.median(times):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)})")
    print(f"rebuild with unchanged inputs: {unchanged * 1000:.0f} ms")
    print(f"{'file':54} {'pages':>5} {'KiB':>6}  characters a line (median, min-max)")
    for info in infos:
        found = lines[info.file]
        shown = (f"{statistics.median(found):.0f} ({min(found)}-{max(found)})"
                 if found else "-")
        print(f"{info.file:54} {info.pages:5d} {info.bytes / 1024:6.1f}  {shown}")
    return 0


def line_lengths(path: Path) -> list[int]:
    """Characters of every full line of running text on the rendered pages."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    rows = []
    for block in ElementTree.fromstring(re.sub(r'xmlns="[^"]+"', "", xml)).iter("block"):
        found = block.findall("line")
        for i, line in enumerate(found):
            height = round(float(line.get("yMax")) - float(line.get("yMin")), 1)
            text = " ".join(word.text or "" for word in line.findall("word"))
            rows.append((height, len(text), i == len(found) - 1))
    if not rows:
        return []
    body = statistics.mode(height for height, _, _ in rows)
    return [length for height, length, last in rows if height == body and not last]


if __name__ == "__main__":
    sys.exit(main())
