"""The site stage against a bare ``mkdocs build`` of the same pages.

    .venv/bin/python benchmarks/site_vs_mkdocs.py --root PROJECT [--runs 3]

PROJECT must have been built once (``python build.py --root PROJECT``), so
``build/site-src/<code>.yml`` and the pages exist. Each run, in this one
process (MkDocs and the theme already imported, as in a build):

- lisible: ``site.build_site`` into a temporary folder (pages generated from
  ``build/markdown/``, status, theme, every language's MkDocs build, shared
  assets, sitemap, PDFs copied);
- bare: MkDocs' own ``build`` of each language's generated configuration,
  pages as they are, into another temporary folder.

Prints the medians of wall and CPU time and their ratio (target: <= 1.2).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lisible import site  # noqa: E402
from lisible.config import load_config  # noqa: E402


def timed(run) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def bare(config, out: Path) -> None:
    """MkDocs alone on the configurations lisible wrote, each into its own folder."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config as mkdocs_config

    for lang in config.languages:
        path = config.build_dir / "site-src" / f"{lang.code}.yml"
        settings = json.loads(path.read_text("utf-8"))
        target = out / (lang.path or "_root")
        build(mkdocs_config(str(path), site_dir=str(target), docs_dir=settings["docs_dir"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    config = load_config(args.root)
    ours, theirs = [], []
    for run in range(args.runs + 1):  # the first run imports MkDocs and the theme: not counted
        with tempfile.TemporaryDirectory() as tmp:
            staged = dataclasses.replace(config, site_dir=Path(tmp) / "site")
            mine = timed(lambda s=staged: site.build_site(s))
            other = timed(lambda t=Path(tmp) / "bare": bare(config, t))
            if run:
                ours.append(mine)
                theirs.append(other)
            shutil.rmtree(tmp, ignore_errors=True)
    for name, runs in (("lisible site stage", ours), ("bare mkdocs build", theirs)):
        print(f"{name:20} wall {statistics.median(r[0] for r in runs):6.2f} s   "
              f"CPU {statistics.median(r[1] for r in runs):6.2f} s")
    wall = statistics.median(r[0] for r in ours) / statistics.median(r[0] for r in theirs)
    cpu = statistics.median(r[1] for r in ours) / statistics.median(r[1] for r in theirs)
    print(f"ratio: wall {wall:.2f}x, CPU {cpu:.2f}x (target <= 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
