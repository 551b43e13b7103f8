"""Markup set aside while words are rewritten (lisible.placeholders); number words, once."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from lisible import numberwords, placeholders

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\[[^\]^][^\]]*\]\([^()\s]*\)|<https?://[^>\s]+>")
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Co")), max_size=60)
LINKS = st.sampled_from(["[le site](https://example.org/a)", "<https://example.org/b>"])


@given(st.lists(st.one_of(TEXT, LINKS), max_size=6))
def test_mask_then_unmask_gives_the_text_back(parts: list[str]) -> None:
    text = "".join(parts)
    masked, pieces = placeholders.mask(text, LINK)
    assert "https://" not in masked or not pieces
    assert placeholders.unmask(masked, pieces) == text


@given(st.lists(st.one_of(TEXT, LINKS, st.just("[^1]"), st.just("**gras**")), max_size=6))
def test_protect_then_restore_gives_the_text_back(parts: list[str]) -> None:
    text = "".join(parts)
    protected = placeholders.protect(text)
    restored, findings = placeholders.restore(protected.text, protected)
    assert (restored, findings) == (text, ())


def test_the_easy_read_drafter_and_the_translator_share_the_module() -> None:
    for module in ("translate.py", "easyread/draft.py"):
        source = (ROOT / "lisible" / module).read_text("utf-8")
        assert "from lisible.placeholders import" in source, module
        assert "\\ue000" not in source and "_ATOMIC_RE" not in source, module


def test_french_number_words_are_listed_once() -> None:
    """Before: in consistency.py, easyread/lint.py and easyread/draft.py."""
    homes = [path.relative_to(ROOT).as_posix() for path in (ROOT / "lisible").rglob("*.py")
             if re.search(r"\bquatorze\b", path.read_text("utf-8"))]
    assert homes == ["lisible/numberwords.py"]
    assert numberwords.UP_TO_TWENTY["fr"]["dix-sept"] == 17
    assert "un" not in numberwords.FRENCH_IN_WORDS and "mille" in numberwords.FRENCH_IN_WORDS
