"""Time ``convert`` on large extracted texts (0.125 to 5 MB): it must stay linear.

Usage: ``.venv/bin/python benchmarks/convert_large.py [--sizes 0.125 0.5 2 5]``

The text is the carte blanche (tests/golden/convert) repeated, each copy under
a heading in capitals, so every stage of the text reader has work to do:
headings to put in sentence case, notes, URLs, page breaks. Issue 14 asks
for 2 MB in under 5 s (it took 121 s when ``_sentence_case`` was quadratic).
CPU times are printed beside the wall time, since a shared machine's load
shows in the latter: lisible's own (this process, all threads) and pandoc's
(the child processes, run two at a time on two cores). On an idle two-core
machine the wall time is about lisible's CPU time plus half of pandoc's.

With ``--notes`` each copy's two notes are numbered on from the copy before
(as in one long document), so the reader lifts every note it can (up to 99)
and finds its marker: a text with many notes must stay linear too.
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lisible import convert  # noqa: E402

SAMPLE = ROOT / "tests" / "golden" / "convert" / "carte-blanche-bruxelles-numerique.txt"


def large_text(megabytes: float, notes: bool = False) -> str:
    sample = SAMPLE.read_text("utf-8")
    copies = []
    size = 0
    number = 0
    while size < megabytes * 1_000_000:
        number += 1
        text = _numbered_notes(sample, 2 * number - 1) if notes else sample
        copy = f"PARTIE NUMÉRO {number} DU DOSSIER\n\n{text}\n\f\n"
        copies.append(copy)
        size += len(copy.encode("utf-8"))
    return "".join(copies)


def _numbered_notes(sample: str, first: int) -> str:
    """The sample with its notes 1 and 2 numbered ``first`` and ``first + 1``."""
    second = first + 1
    text = sample.replace("20221 [1]", f"2022{first} [{first}]").replace("»2 et", f"»{second} et")
    text = re.sub(r"^1 Baro", f"{first} Baro", text, flags=re.M)
    return re.sub(r"^2 « Pas", f"{second} « Pas", text, flags=re.M)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.125, 0.5, 2, 5])
    parser.add_argument("--notes", action="store_true", help="notes numbered across copies")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in args.sizes:
            path = Path(tmp) / "grand.txt"
            path.write_text(large_text(megabytes, args.notes), "utf-8")
            source = convert.Source(path, "content/grand.txt", "grand", "text")
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            started, cpu = time.perf_counter(), time.process_time()
            convert.convert_source(source)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            pandoc = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
            print(f"{path.stat().st_size / 1e6:6.2f} MB  {seconds:7.2f} s wall"
                  f"  (CPU: lisible {cpu:6.2f} s, pandoc {pandoc:6.2f} s,"
                  f" total {cpu + pandoc:6.2f} s; idle 2 cores ~{cpu + pandoc / 2:5.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
