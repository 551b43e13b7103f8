"""Time conversion, extraction + merge, and reassembly for every document in content/.

Runs on a temporary copy of the project, so the real build/ and locales/ are
not touched. Prints the median of several runs for each step.

    .venv/bin/python benchmarks/catalog_steps.py [--runs 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lisible import catalogs, convert, reassemble, segment  # noqa: E402
from lisible.config import config_from_dict  # noqa: E402


def timed(function, runs: int) -> float:
    """Median wall time of ``function()`` in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(ROOT / "content", root / "content")
        shutil.copytree(ROOT / "locales", root / "locales")
        config = config_from_dict(root, {})
        sources = convert.find_sources(config)
        convert.convert_all(config)
        documents = list(catalogs.documents(config))
        slugs = [d.slug for d in documents]

        def extract_and_merge() -> None:
            for document in documents:
                template = catalogs.build_template(document)
                for lang in config.targets:
                    catalogs.merge(catalogs.read_catalog(config.catalog_path(lang, document.slug)),
                                   template)

        def reassemble_all() -> None:
            for slug in slugs:
                markdown = config.markdown_path(config.source, slug).read_text("utf-8")
                for lang in config.targets:
                    reassemble.reassemble(markdown, catalogs.read_catalog(
                        config.catalog_path(lang, slug)), lang)

        def locate(size_kb: int):
            """Units of a long source (the first document repeated) found in its text."""
            document = documents[0]
            front, body = document.markdown.split("\n---\n", 1)
            times = max(1, size_kb * 1024 // len(document.source_text.encode("utf-8")))
            long = catalogs.SourceDocument(document.slug, front + "\n---\n" + body * times,
                                           document.source, document.source_text * times)
            units = segment.extract(long.markdown)
            return lambda: catalogs._locate(units, long)

        rows = [
            ("convert (pandoc normalisation included)",
             timed(lambda: [convert.convert_source(s) for s in sources], runs)),
            ("extract + merge, 3 catalogues", timed(extract_and_merge, runs)),
            ("update_all (extract, merge, write if changed)",
             timed(lambda: catalogs.update_all(config), runs)),
            ("reassemble 3 languages", timed(reassemble_all, runs)),
            ("locate units in a 262 KB source", timed(locate(262), max(1, runs // 10))),
            ("locate units in a 524 KB source", timed(locate(524), max(1, runs // 10))),
        ]
    print(f"{len(sources)} document(s): {', '.join(slugs)}; median of {runs} runs")
    for label, ms in rows:
        print(f"  {label:<48} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
