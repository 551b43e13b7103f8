"""Time the translation memory at many texts: index once, then look up every unit of a new text.

    .venv/bin/python benchmarks/memory_lookup.py [--texts 50] [--units 100]

Generates ``--texts`` reviewed texts of ``--units`` French paragraphs each
(20–80 words, seeded, so every run is the same). Words are drawn with Zipf's
law over ``--vocabulary`` word types, as in prose: the carte blanche's words,
most frequent first, then made-up words for the rarer ranks (50 texts of
French prose hold some 15–20 thousand types). ``--vocabulary 0`` draws from
the carte blanche's ~700 types only: the worst case, every word common.

It then looks up a new text of the same size in which a tenth of the
paragraphs repeat an earlier one, a tenth are close to one (two words
changed) and the rest are new. Prints the index build time, the
lookup time per unit with the prefilter, and the same lookups scoring every
entry (what a naive memory does) on a sample, for comparison. Times are CPU
time of this process (``time.process_time``), so a busy machine does not
inflate them.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lisible import catalogs, memory  # noqa: E402
from lisible.config import config_from_dict  # noqa: E402


def vocabulary(size: int) -> tuple[list[str], list[float] | None]:
    """Word types, most frequent first, and Zipf cumulative weights (None: as in the text)."""
    text = (ROOT / "content" / "carte-blanche-bruxelles-numerique.txt").read_text("utf-8")
    tokens = re.findall(r"[^\W\d_]+(?:[’'][^\W\d_]+)?", text)
    if not size:
        return tokens, None
    types = [word for word, _ in Counter(tokens).most_common()]
    syllables = ["ba", "ri", "ton", "lé", "mu", "sa", "cor", "di", "ven", "que"]
    rank = len(types)
    while len(types) < size:
        rank += 1
        types.append("".join(syllables[int(d)] for d in str(rank)))
    return types, list(itertools.accumulate(1 / (r + 1) for r in range(size)))


def paragraph(rng: random.Random, words: tuple[list[str], list[float] | None]) -> str:
    types, weights = words
    count = rng.randint(20, 80)
    drawn = rng.choices(types, cum_weights=weights, k=count) if weights else [
        rng.choice(types) for _ in range(count)]
    return " ".join(drawn).capitalize() + "."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=50)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--vocabulary", type=int, default=20000)
    parser.add_argument("--naive-sample", type=int, default=10)
    args = parser.parse_args()
    rng, words = random.Random(15), vocabulary(args.vocabulary)
    texts = [[paragraph(rng, words) for _ in range(args.units)] for _ in range(args.texts)]
    entries = [memory.Entry(source, source.upper(), memory.CATALOGUES, f"text-{n}")
               for n, units in enumerate(texts) for source in units]
    earlier = [s for units in texts for s in units]
    queries = []
    for i in range(args.units):
        if i % 10 == 0:
            queries.append(rng.choice(earlier))
        elif i % 10 == 1:
            tokens = rng.choice(earlier).split()
            for _ in range(2):
                tokens[rng.randrange(len(tokens))] = paragraph(rng, words).split()[0]
            queries.append(" ".join(tokens))
        else:
            queries.append(paragraph(rng, words))
    lang = config_from_dict(ROOT, {}).language("nl")

    start = time.process_time()
    tm = memory.build({"nl": entries})
    built = time.process_time() - start
    start = time.process_time()
    found = [tm.lookup(lang, q, "new") for q in queries]
    looked = time.process_time() - start
    exact = sum(1 for m in found if m and m.exact)
    close = sum(1 for m in found if m and not m.exact)

    sample = queries[:args.naive_sample]
    start = time.process_time()
    for query in sample:
        max(catalogs.similarity(query, e.source) for e in entries)
    naive = (time.process_time() - start) / len(sample)

    print(f"{args.texts} texts x {args.units} units = {len(entries)} memory entries (one language),"
          f" {len({w for e in entries for w in e.source.split()})} word types")
    print(f"index built in {built:.3f} s CPU")
    print(f"lookup of {len(queries)} units: {looked:.3f} s ({1000 * looked / len(queries):.2f} ms"
          f"/unit); {exact} exact, {close} close, {len(queries) - exact - close} left to MT")
    print(f"scoring every entry instead: {1000 * naive:.1f} ms/unit "
          f"({naive * len(queries):.1f} s for the text)")


if __name__ == "__main__":
    main()
