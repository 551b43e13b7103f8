"""Score the PDF reader on tests/corpus and time it per page, against other extractors.

Usage: ``.venv/bin/python benchmarks/pdf_corpus.py``

For each corpus document: typeset with typst, convert like ``content/<name>.pdf``
and print the scores against its truth file (see tests/corpus/score.py), then
the time per page of lisible's reader (pdfminer.six with layout analysis,
then our own decisions and pandoc) next to the bare extraction time of
poppler's ``pdftotext -bbox-layout`` and pypdf's ``extract_text``: the numbers
behind the choice written in :mod:`lisible.pdfreader`. Each time is given as
wall time and as CPU time (this process and its children: pandoc, pdftotext),
since a shared machine's load shows in the former; then the corpus totals.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "corpus"))

from score import score  # noqa: E402

from lisible import convert, pdfreader  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Timings:
    """Wall and CPU seconds by extractor."""

    def __init__(self) -> None:
        self.seconds: dict[str, tuple[float, float]] = {}

    def run(self, name: str, work) -> object:
        wall, cpu = time.perf_counter(), _cpu()
        result = work()
        before = self.seconds.get(name, (0.0, 0.0))
        self.seconds[name] = (before[0] + time.perf_counter() - wall, before[1] + _cpu() - cpu)
        return result


def main() -> int:
    import typst
    from pypdf import PdfReader

    pages = 0
    timings = Timings()
    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for typ in sorted(CORPUS.glob("*.typ")):
            pdf = Path(tmp) / f"{typ.stem}.pdf"
            typst.compile(str(typ), output=str(pdf))
            truth = json.loads((CORPUS / f"{typ.stem}.truth.json").read_text("utf-8"))
            pages += truth["pages"]
            source = convert.Source(pdf, f"content/{pdf.name}", typ.stem, "pdf")
            markdown = timings.run("lisible (convert)",
                                   lambda s=source: convert.convert_source(s).markdown)
            found = score(markdown, truth)
            print(found.line(typ.stem))
            for key in ("paragraphs", "headings", "notes", "hyphens", "furniture", "table"):
                total = totals.setdefault(key, [0, 0])
                total[0] += getattr(found, key)[0]
                total[1] += getattr(found, key)[1]
            totals.setdefault("ligatures left", [0, 0])[0] += found.ligatures
            timings.run("pdfminer extraction", lambda p=pdf: pdfreader.extract(p))
            timings.run("pdftotext -bbox-layout", lambda p=pdf: subprocess.run(
                ["pdftotext", "-bbox-layout", str(p), "-"], check=True, capture_output=True))
            timings.run("pypdf extract_text",
                        lambda p=pdf: [page.extract_text() for page in PdfReader(p).pages])
    print("\ncorpus  " + ", ".join(
        f"{key} {found}" if key == "ligatures left" else
        f"{key} {found}/{expected} ({100 * found / max(expected, 1):.0f} %)"
        for key, (found, expected) in totals.items()))
    print(f"\n{pages} pages{'':14}   wall a page   CPU a page")
    for name, (wall, cpu) in timings.seconds.items():
        print(f"{name:24} {wall / pages * 1000:8.1f} ms  {cpu / pages * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
