"""Score a conversion against a truth file: progress on real layouts as numbers.

Each measure is (found, expected). Used by ``tests/test_corpus.py`` (which
asserts the thresholds of issue 14) and ``benchmarks/pdf_corpus.py`` (which
prints them with the time per page).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

LIGATURE_CHARS = re.compile("[\ufb00-\ufb06]")


@dataclass(frozen=True)
class Score:
    paragraphs: tuple[int, int]
    headings: tuple[int, int]
    notes: tuple[int, int]
    hyphens: tuple[int, int]
    furniture: tuple[int, int]  # strings kept out of the text / strings to keep out
    table: tuple[int, int]
    ligatures: int  # ligature characters left

    def line(self, name: str) -> str:
        parts = [f"{key} {found}/{expected}" for key, (found, expected) in (
            ("paragraphs", self.paragraphs), ("headings", self.headings),
            ("notes", self.notes), ("hyphens", self.hyphens), ("furniture", self.furniture),
            ("table", self.table))]
        return f"{name:14} " + ", ".join(parts) + f", ligatures left {self.ligatures}"


def _plain(text: str) -> str:
    """Markdown inline text as read: no escapes, autolink brackets, note references."""
    text = re.sub(r"\[\^\d+\]", "", text)
    text = re.sub(r"<(https?://[^>]+|[^>@\s]+@[^>\s]+)>", r"\1", text)
    text = re.sub(r"\\(.)", r"\1", text)
    text = text.replace("\u202f", " ").replace("\u00a0", " ")
    return " ".join(text.split())


def _blocks(markdown: str) -> tuple[list[str], list[str], dict[str, str], list[str], str]:
    body = markdown.split("\n---\n", 1)[1] if markdown.startswith("---\n") else markdown
    headings, paragraphs, notes, rows = [], [], {}, []
    for block in re.split(r"\n\s*\n", body.strip()):
        first = block.lstrip()
        if first.startswith("#"):
            headings.append(_plain(first.lstrip("#")))
        elif match := re.match(r"\[\^(\d+)\]:\s*(.*)", first, re.S):
            notes[match.group(1)] = _plain(match.group(2))
        elif first.startswith("|"):
            rows += [[_plain(c) for c in line.strip().strip("|").split("|")]
                     for line in first.splitlines() if not re.fullmatch(r"[|:\- ]+", line)]
        else:
            paragraphs.append(_plain(re.sub(r"^(?:[-*]|\d+[.)])\s+", "", first)))
    return headings, paragraphs, notes, rows, body


def score(markdown: str, truth: dict) -> Score:
    headings, paragraphs, notes, rows, body = _blocks(markdown)
    text = _plain(body)
    starts = sum(any(p.startswith(_plain(s)) for p in paragraphs) for s in truth["paragraphs"])
    heads = sum(_plain(h) in headings for h in truth["headings"])
    expected_heads = len(truth["headings"])
    if truth.get("title"):  # as the front matter's title, or a heading
        title = re.search(r'^title: (".*")$', markdown, re.M)
        found = {_plain(json.loads(title.group(1)))} if title else set()
        heads += _plain(truth["title"]) in found | set(headings)
        expected_heads += 1
    referenced = {n for n in notes if f"[^{n}]" in body.replace(f"[^{n}]:", "")}
    found_notes = sum(any(notes[n] == _plain(t) for n in referenced) for t in truth["notes"])
    hyphens = sum(_whole_word(word, text) for word in truth["hyphens"])
    furniture = sum(not re.search(rf"(?<!\w){re.escape(_plain(f))}(?!\w)", text)
                    for f in truth["furniture"])
    table = truth.get("table") or []
    table_found = sum(row in rows for row in table)
    return Score((starts, len(truth["paragraphs"])), (heads, expected_heads),
                 (found_notes, len(truth["notes"])), (hyphens, len(truth["hyphens"])),
                 (furniture, len(truth["furniture"])), (table_found, len(table)),
                 len(LIGATURE_CHARS.findall(markdown)))


def _whole_word(word: str, text: str) -> bool:
    """The word is read whole, and never in a broken form (``ana-lyse``, ``ana lyse``)."""
    whole = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w])", text)
    return bool(whole) and not _broken(word, text)


def _broken(word: str, text: str) -> bool:
    if "-" in word:
        return False
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        if re.search(rf"(?<![\w-]){re.escape(head)}[-\u00ad ]\s?{re.escape(tail)}(?!\w)", text):
            return True
    return False
