"""The words readers see around the text: one gettext catalogue per language.

Why gettext: lisible's translators already work in Poedit or Weblate on the
text's catalogues; the site's and the PDFs' own words (notices, labels,
footers) are then translated in the same tools, with the language's real
plural forms ("1 passage", "2 passages"; French says "0 passage").

Layout, shipped inside the package (not under the project's ``locales/``,
which holds the text's catalogues)::

    lisible/locale/lisible.pot                       the template
    lisible/locale/<code>/LC_MESSAGES/lisible.po     one per language

Each entry's ``msgctxt`` is the key the code looks up (``notice_draft``); its
``msgid`` is the English wording, so an entry nobody translated reads in
English, and a language with no catalogue at all falls back to English with a
warning (:func:`words_for`). Plural forms come from Babel's locale data for the
language's BCP 47 tag, never from a header a translator could get wrong.
"""

from __future__ import annotations

import datetime
import functools
import gettext
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lisible.config import Language
from lisible.errors import LisibleError

LOCALE_DIR = Path(__file__).parent / "locale"
TEMPLATE = LOCALE_DIR / "lisible.pot"
DOMAIN = "lisible"


def catalogue_path(code: str) -> Path:
    """``lisible/locale/<code>/LC_MESSAGES/lisible.po``."""
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def _english_plural(count: int) -> int:
    """gettext's own rule for an untranslated entry: msgid for 1, msgid_plural otherwise."""
    return 0 if count == 1 else 1


@dataclass(frozen=True)
class Words(Mapping[str, str]):
    """One language's interface words.

    As a mapping it holds the entries without plural forms (what the MkDocs
    templates read as ``config.extra.lisible.strings``); entries with plural
    forms are read with :meth:`n`, so no count is ever shown with the wrong form.
    """

    code: str
    forms: Mapping[str, tuple[str, ...]]  # key -> its forms; plural entries have several
    plural: Callable[[int], int] = field(compare=False)  # count -> index of the form
    untranslated: frozenset[str] = frozenset()  # keys shown in English (gettext's fallback)

    def __getitem__(self, key: str) -> str:
        forms = self.forms[key]
        if len(forms) > 1:
            raise KeyError(f"{key} has plural forms: use Words.n()")
        return forms[0]

    def __iter__(self) -> Iterator[str]:
        return (key for key, forms in self.forms.items() if len(forms) == 1)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def n(self, key: str, count: int, **values: object) -> str:
        """The form of ``key`` for ``count``, with ``{n}`` (and any ``values``) filled in."""
        forms = self.forms[key]
        rule = _english_plural if key in self.untranslated else self.plural
        return forms[min(rule(count), len(forms) - 1)].format(n=count, **values)

    def lines(self, key: str, count: int | None = None) -> list[str]:
        """An entry written as paragraphs (``"\\n\\n"`` between them), one line each."""
        text = self[key] if count is None else self.n(key, count)
        return text.split("\n\n")


def plural_rule(language: Language) -> Callable[[int], int]:
    """The language's gettext plural rule, from Babel's CLDR data for its tag."""
    from babel.messages.plurals import get_plural

    return gettext.c2py(get_plural(language.tag.replace("-", "_")).plural_expr)


def plural_forms_header(language: Language) -> str:
    """The ``Plural-Forms`` header the language's catalogue must carry (checked by a test)."""
    from babel.messages.plurals import get_plural

    rule = get_plural(language.tag.replace("-", "_"))
    return f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"


def _read(path: Path) -> dict[str, tuple[str, ...]]:
    """``{msgctxt: forms}`` of one interface catalogue; empty forms for untranslated entries."""
    from babel.messages.pofile import PoFileError

    from lisible import pofile

    try:
        catalog, _ = pofile.parse_catalog(path.read_bytes().splitlines(keepends=True))
    except PoFileError as error:
        raise LisibleError(f"bad interface catalogue: {error}", path,
                           getattr(error, "lineno", 0) + 1) from None
    entries: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id:
            continue
        string = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        forms = tuple(string) if not message.fuzzy and all(string) else ()
        entries[message.context or str(message.id)] = forms
    return entries


def _template() -> dict[str, tuple[str, ...]]:
    """``{msgctxt: English forms}`` from the template's msgids."""
    from lisible import pofile

    catalog, _ = pofile.parse_catalog(TEMPLATE.read_bytes().splitlines(keepends=True))
    return {str(m.context): (tuple(m.id) if isinstance(m.id, (list, tuple)) else (m.id,))
            for m in catalog if m.id}


@functools.cache
def words_for(language: Language) -> tuple[Words, str | None]:
    """The interface words of ``language``, and a warning when they fall back to English.

    Entries a catalogue leaves untranslated (or fuzzy) read in English, as
    gettext does; a language with no catalogue reads wholly in English.
    """
    english = _template()
    path = catalogue_path(language.code)
    warning = None
    own: dict[str, tuple[str, ...]] = {}
    if path.is_file():
        own = _read(path)
    else:
        warning = (f"no interface words for {language.code} ({path.relative_to(LOCALE_DIR.parent)})"
                   ": the site's and PDFs' own words are in English")
    forms = {key: own.get(key) or source for key, source in english.items()}
    untranslated = frozenset(key for key in english if not own.get(key))
    return Words(language.code, forms, plural_rule(language), untranslated), warning


__all__ = ["Words", "catalogue_path", "plural_forms_header", "plural_rule", "words_for"]


def long_date(day: datetime.date, language: Language) -> str:
    """``day`` as the language writes it (``1 mars 2024``, ``1 maart 2024``), by Babel.

    The language's full tag first (``fr_BE``), then its primary subtag for a
    tag Babel lacks (a language a team added), else the ISO date: a date is
    never worth a failed build. The site's home and the PDFs' colophon share it.
    """
    from babel.core import UnknownLocaleError
    from babel.dates import format_date

    for locale in (language.tag.replace("-", "_"), language.base):
        try:
            return format_date(day, format="long", locale=locale)
        except (UnknownLocaleError, ValueError):
            continue
    return day.isoformat()
