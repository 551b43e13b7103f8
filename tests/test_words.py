"""The words readers see around the text: one gettext catalogue per language (lisible.words).

Checked with the real tools: GNU ``msgfmt -c`` accepts every catalogue, Babel's
locale data gives the plural forms, and the PDF and site notices pick the form
the count needs (before, the site said "1 van de 4 passages zijn" and the
French PDF "0 passages relus").
"""

from __future__ import annotations

import re
import string
import subprocess
from pathlib import Path

import pytest

from lisible import pdf, pofile, site, words
from lisible.config import Language, config_from_dict
from lisible.document import Counts

REPO = Path(__file__).resolve().parent.parent
CONFIG = config_from_dict(REPO, {})
GERMAN = Language(code="de", tag="de-DE", name="Deutsch", path="de")


def _catalogue(path: Path):
    catalog, header = pofile.parse_catalog(path.read_bytes().splitlines(keepends=True))
    return catalog, dict(header)


@pytest.mark.parametrize("lang", CONFIG.languages, ids=lambda lang: lang.code)
def test_every_language_has_a_catalogue_gnu_msgfmt_accepts(lang: Language) -> None:
    path = words.catalogue_path(lang.code)
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert words.words_for(lang)[1] is None


@pytest.mark.parametrize("lang", CONFIG.languages, ids=lambda lang: lang.code)
def test_catalogue_has_the_templates_entries_and_babels_plural_forms(lang: Language) -> None:
    template, _ = _catalogue(words.TEMPLATE)
    catalog, header = _catalogue(words.catalogue_path(lang.code))
    assert [m.context for m in catalog if m.id] == [m.context for m in template if m.id]
    assert [m.id for m in catalog if m.id] == [m.id for m in template if m.id]
    assert header["Plural-Forms"] == words.plural_forms_header(lang)
    assert header["Language"] == lang.code


def _marks(text: str) -> set[str]:
    """``{name}`` marks; ``[text]{lang=fr}`` is a language mark, not filled in."""
    return {name for _, name, _, _ in string.Formatter().parse(text)
            if name is not None and "=" not in name}


@pytest.mark.parametrize("lang", CONFIG.languages, ids=lambda lang: lang.code)
def test_translations_use_only_the_marks_their_english_has(lang: Language) -> None:
    """A translation may drop ``{n}`` (easy-read says "a part"), never invent a mark."""
    english = words._template()
    own = words.words_for(lang)[0]
    for key, forms in own.forms.items():
        allowed = set().union(*(_marks(form) for form in english[key]))
        for form in forms:
            assert _marks(form) <= allowed, (key, form)


def test_plural_forms_follow_the_language() -> None:
    nl, fr, en = (words.words_for(CONFIG.language(code))[0] for code in ("nl", "fr", "en"))
    assert nl.n("notice_draft", 1, total=4).startswith("1 van de 4 passages is ")
    assert nl.n("notice_draft", 2, total=4).startswith("2 van de 4 passages zijn ")
    assert en.n("notice_fallback", 1, total=3).startswith("1 of 3 passages is not")
    assert fr.n("notice_fallback", 1, total=3).startswith("1 passage sur 3 n’est pas")
    assert fr.n("pages", 1, pages=1) == "1 page" and fr.n("pages", 7, pages=7) == "7 pages"
    # CLDR: French counts 0 as singular ("0 passage relu"), English and Dutch as plural.
    assert fr.n("pdf_status_reviewed", 0) == "0 passage relu par une personne"
    assert en.n("pdf_status_draft", 0) == "0 machine drafts"


def test_plural_entries_are_not_readable_as_plain_words() -> None:
    nl = words.words_for(CONFIG.language("nl"))[0]
    with pytest.raises(KeyError):
        nl["notice_draft"]
    assert "notice_draft" not in dict(nl) and dict(nl)["home_title"] == "Home"


def test_a_language_without_a_catalogue_reads_in_english_with_a_warning() -> None:
    german, warning = words.words_for(GERMAN)
    assert warning is not None and "de" in warning and "English" in warning
    assert german["home_title"] == "Home"
    assert german.n("notice_draft", 1, total=2).startswith("1 of 2 passages is ")
    assert german.plural(0) == 1  # German's own rule, from Babel


def test_pdf_notices_in_dutch_and_easy_read() -> None:
    nl = words.words_for(CONFIG.language("nl"))[0]
    notice = pdf.notice_lines(nl, Counts(reviewed=2, draft=1, untranslated=2), easy_read=False)
    assert notice == [
        "Let op: deze vertaling is nog niet volledig door een mens nagelezen.",
        "1 passage is automatisch vertaald en nog niet nagelezen. Een volle streep in de marge "
        "duidt het aan.",
        "2 passages zijn nog niet vertaald en staan in het Frans. Een gestreepte streep in de "
        "marge duidt ze aan."]
    assert pdf.status_line(nl, Counts(reviewed=2, draft=1), easy_read=False) == (
        "Stand van de vertaling: 3 passages: 2 nagelezen, 1 automatisch vertaald.")
    falc = words.words_for(CONFIG.language("fr@falc"))[0]
    assert pdf.notice_lines(falc, Counts(reviewed=3), easy_read=True) == [
        "Attention : ce texte n’est pas encore testé par des lecteurs."]
    assert pdf.notice_lines(falc, Counts(reviewed=3), easy_read=False) == []
    assert pdf.status_line(falc, Counts(reviewed=1, draft=2), easy_read=True) == (
        "1 passage relu par une personne. 2 passages à relire.")


def test_easy_read_notice_comes_from_the_language_not_from_the_words() -> None:
    """Before: a page was easy-read when its strings had a ``notice_untested`` key."""
    falc_words = words.words_for(CONFIG.language("fr@falc"))[0]
    assert site.notice_markdown(Counts(reviewed=3), falc_words) == ""
    assert "pas encore testé" in site.notice_markdown(Counts(reviewed=3), falc_words,
                                                      easy_read=True)


def test_no_reader_facing_sentence_is_left_in_pdf_and_site_code() -> None:
    """The words live in the catalogues: no notice sentence in pdf.py or site.py."""
    for module in (pdf, site):
        text = Path(module.__file__).read_text("utf-8")
        assert not re.search(r"passages? (sur|van de|of) ", text), module.__name__
        assert "Les mots difficiles" not in text


def test_dates_are_written_in_every_language_and_never_fail_the_build() -> None:
    """One Babel date for the site's home and the PDFs' colophon; a tag Babel lacks
    (a language a team added by hand) falls back to its primary subtag, then to ISO."""
    import datetime

    day = datetime.date(2024, 3, 1)
    config = config_from_dict(Path("."), {})
    written = {lang.code: words.long_date(day, lang) for lang in config.languages}
    assert written == {"fr": "1 mars 2024", "nl": "1 maart 2024", "en": "1 March 2024",
                       "fr@falc": "1 mars 2024"}
    german = Language(code="de", tag="de-DE", name="Deutsch", path="de")
    assert words.long_date(day, german) == "1. März 2024"
    unknown_region = Language(code="nl_XQ", tag="nl-XQ", name="Nederlands", path="xq")
    assert words.long_date(day, unknown_region) == "1 maart 2024"
    unknown = Language(code="qaa", tag="qaa", name="?", path="qaa")
    assert words.long_date(day, unknown) == "2024-03-01"
