"""Measure the easy-read stage on the carte blanche.

    .venv/bin/python benchmarks/easyread_lint.py [--show]

Prints: spaCy load time; the linter's time on the whole French document
(model already loaded; target < 5 s); the drafter's time and the mean
sentence length of its drafts (target <= 12 words); readability of the
source and the drafts side by side; the linter errors left in the drafts,
by rule. ``--show`` also prints every draft. Reads the canonical Markdown
(``build/markdown/fr/<slug>.md``, made by ``python build.py convert``).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lisible.easyread import draft, lint, load_resources, readability, side_by_side  # noqa: E402
from lisible.easyread.catalog import PROSE_KINDS  # noqa: E402
from lisible.easyread.draft import document_definitions  # noqa: E402
from lisible.easyread.text import nlp, split_sentences, words  # noqa: E402
from lisible.segment import extract  # noqa: E402

SLUG = "carte-blanche-bruxelles-numerique"


def main(show: bool = False) -> None:
    markdown = (ROOT / "build" / "markdown" / "fr" / f"{SLUG}.md").read_text("utf-8")
    units = extract(markdown)
    resources = load_resources(ROOT / "content", SLUG)

    start = time.perf_counter()
    nlp()
    print(f"spaCy fr_core_news_sm load: {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    findings = lint(markdown, resources.glossary, abbreviations=resources.short_forms)
    elapsed = time.perf_counter() - start
    print(f"linter, whole French document ({len(markdown.split())} words): {elapsed:.2f} s, "
          f"{len(findings)} findings")

    start = time.perf_counter()
    definitions = document_definitions(u.text for u in units)
    explained: set[str] = set()
    drafts = []
    for unit in units:
        result = draft(unit.text, unit.kind, resources, explained, definitions)
        explained.update(result.explained)
        drafts.append((unit, result))
    print(f"drafter, {len(units)} units: {time.perf_counter() - start:.2f} s")

    prose = [r.text for u, r in drafts if u.kind in PROSE_KINDS]
    every = [r.text for _, r in drafts]
    print(f"mean words per sentence, prose drafts: {_mean(prose):.2f} "
          f"(all units, notes and titles included: {_mean(every):.2f}); target <= 12")

    source = "\n".join(u.text for u, _ in drafts if u.kind in PROSE_KINDS)
    print()
    print(side_by_side(readability(source, glossary=resources.glossary),
                       readability("\n".join(prose), glossary=resources.glossary)))
    errors = Counter(f.rule for _, r in drafts for f in r.findings if f.severity == "error")
    warnings = Counter(f.rule for _, r in drafts for f in r.findings if f.severity == "warning")
    print("\nerrors left in the drafts, by rule:", dict(errors.most_common()))
    print("warnings left in the drafts, by rule:", dict(warnings.most_common()))
    if show:
        for unit, result in drafts:
            print(f"\n== {unit.kind} [{result.rules}]\n{result.text}")
            for finding in result.findings:
                if finding.severity == "error":
                    print("   ", finding.describe())


def _mean(texts: list[str]) -> float:
    sentences = [s for text in texts for line in text.split("\n") for s in split_sentences(line)]
    counts = [len(words(s)) for s in sentences if words(s)]
    return sum(counts) / len(counts)


if __name__ == "__main__":
    main(show="--show" in sys.argv)
