"""Time the pdf stage on the project's real Markdown, and list every PDF's size and pages.

Usage: ``.venv/bin/python benchmarks/pdf_build.py [--root .] [--runs 3]``

The Markdown in ``<root>/build/markdown`` (run ``python build.py catalogs``
first) is copied into a temporary project, so the project's own build/ and
site/ are not touched. Each run starts from an empty output folder (a full
build of every language x format); one more run on the unchanged inputs shows
the cost of the up-to-date check.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lisible import pdf
from lisible.config import load_config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = load_config(args.root)
    markdown = source.build_dir / "markdown"
    if not markdown.is_dir():
        print(f"{markdown}: missing; run `python build.py catalogs` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(args.root / "pyproject.toml", root / "pyproject.toml")
        shutil.copytree(markdown, root / "build" / "markdown")
        config = load_config(root)
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
    print(f"full build of {len(infos)} PDFs: median {statistics.median(times):.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in times)})")
    print(f"rebuild with unchanged inputs: {unchanged * 1000:.0f} ms")
    print(f"{'file':58} {'pages':>5} {'KiB':>6}")
    for info in infos:
        print(f"{info.file:58} {info.pages:5d} {info.bytes / 1024:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
