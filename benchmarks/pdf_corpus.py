"""Score the PDF reader on tests/corpus and time it per page, against other extractors.

Usage: ``.venv/bin/python benchmarks/pdf_corpus.py``

For each corpus document: typeset with typst, convert like ``content/<name>.pdf``
and print the scores against its truth file (see tests/corpus/score.py), then
the time per page of lisible's reader (pdfminer.six with layout analysis,
then our own decisions and pandoc) next to the bare extraction time of
poppler's ``pdftotext -bbox-layout`` and pypdf's ``extract_text``: the numbers
behind the choice written in :mod:`lisible.pdfreader`.
"""

from __future__ import annotations

import json
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


def main() -> int:
    import typst
    from pypdf import PdfReader

    pages = 0
    timings = {"lisible (convert)": 0.0, "pdfminer extraction": 0.0,
               "pdftotext -bbox-layout": 0.0, "pypdf extract_text": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        for typ in sorted(CORPUS.glob("*.typ")):
            pdf = Path(tmp) / f"{typ.stem}.pdf"
            typst.compile(str(typ), output=str(pdf))
            truth = json.loads((CORPUS / f"{typ.stem}.truth.json").read_text("utf-8"))
            pages += truth["pages"]
            started = time.perf_counter()
            markdown = convert.convert_source(
                convert.Source(pdf, f"content/{pdf.name}", typ.stem, "pdf")).markdown
            timings["lisible (convert)"] += time.perf_counter() - started
            print(score(markdown, truth).line(typ.stem))
            started = time.perf_counter()
            pdfreader.extract(pdf)
            timings["pdfminer extraction"] += time.perf_counter() - started
            started = time.perf_counter()
            subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                           capture_output=True)
            timings["pdftotext -bbox-layout"] += time.perf_counter() - started
            started = time.perf_counter()
            [page.extract_text() for page in PdfReader(pdf).pages]
            timings["pypdf extract_text"] += time.perf_counter() - started
    print(f"\n{pages} pages")
    for name, seconds in timings.items():
        print(f"{name:24} {seconds / pages * 1000:7.1f} ms a page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
