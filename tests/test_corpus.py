"""Our own PDF corpus (tests/corpus/): typst layouts the reader was not tuned on, scored.

Each ``tests/corpus/<name>.typ`` is typeset here by typst, converted like
``content/<name>.pdf``, compared with its golden Markdown and scored against
``<name>.truth.json`` (see ``tests/corpus/score.py``). The thresholds are the
"Done when" of issue 14.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from lisible import convert

CORPUS = Path(__file__).parent / "corpus"
sys.path.insert(0, str(CORPUS))

from score import Score, score  # noqa: E402

NAMES = sorted(p.stem for p in CORPUS.glob("*.typ"))


def typeset(name: str, directory: Path) -> Path:
    import typst

    pdf = directory / f"{name}.pdf"
    typst.compile(str(CORPUS / f"{name}.typ"), output=str(pdf))
    return pdf


def convert_pdf(pdf: Path) -> str:
    source = convert.Source(pdf, f"content/{pdf.name}", pdf.stem, "pdf")
    return convert.convert_source(source).markdown


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    directory = tmp_path_factory.mktemp("corpus")
    return {name: convert_pdf(typeset(name, directory)) for name in NAMES}


def test_corpus_is_big_enough() -> None:
    truths = [json.loads((CORPUS / f"{n}.truth.json").read_text("utf-8")) for n in NAMES]
    assert len(NAMES) >= 8
    assert {t["lang"] for t in truths} == {"fr", "nl"}


@pytest.mark.parametrize("name", NAMES)
def test_corpus_golden(name: str, converted: dict[str, str], golden) -> None:
    golden(CORPUS / f"{name}.expect.md", converted[name])


def _ratio(pair: tuple[int, int]) -> float:
    return pair[0] / pair[1] if pair[1] else 1.0


def test_corpus_scores(converted: dict[str, str], capsys) -> None:
    """Sums over the corpus; printed so progress is a number (pytest -s shows them)."""
    scores: dict[str, Score] = {}
    for name in NAMES:
        truth = json.loads((CORPUS / f"{name}.truth.json").read_text("utf-8"))
        scores[name] = score(converted[name], truth)
    with capsys.disabled():
        print()
        for name, result in scores.items():
            print(result.line(name))

    def total(field: str) -> tuple[int, int]:
        pairs = [getattr(s, field) for s in scores.values()]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    assert _ratio(total("paragraphs")) >= 0.95
    assert _ratio(total("headings")) >= 0.90
    assert total("notes")[0] == total("notes")[1]
    assert total("hyphens")[0] == total("hyphens")[1]
    assert total("furniture")[0] == total("furniture")[1]
    assert total("table")[0] == total("table")[1]
    assert sum(s.ligatures for s in scores.values()) == 0
