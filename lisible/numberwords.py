"""Numbers written in words: one list per language, for every stage that reads them.

The easy-read drafter turns French number words into digits
(:func:`lisible.easyread.draft.numbers_to_digits`), the easy-read linter asks
for digits where it finds one (:mod:`lisible.easyread.lint`), and the FACT
check counts the numbers a translation must keep (:mod:`lisible.consistency`).
Each reads the same words; each takes the part it needs. Pure data.
"""

from __future__ import annotations

from types import MappingProxyType

# Every French number word and its value; compounds ("quatre-vingt-dix") are
# read from their parts. Belgian French counts in septante, octante, nonante.
FRENCH = MappingProxyType({
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19,
    "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "septante": 70, "octante": 80, "nonante": 90, "cent": 100,
    "cents": 100, "mille": 1000, "un": 1, "une": 1,
})
# Plural forms only met inside compounds ("quatre-vingts", "deux cents").
FRENCH_PLURALS = frozenset({"vingts", "cents"})

# Single words the linter asks to write in digits ("un", "une" are also articles).
FRENCH_IN_WORDS = frozenset(word for word, value in FRENCH.items()
                            if value >= 2 and "-" not in word)


def _counting(words: str) -> MappingProxyType[str, int]:
    return MappingProxyType({word: value for value, word in enumerate(words.split(), start=2)})


# Two to twenty, where every language has one word per number: what the FACT
# check counts, so "deux personnes sur cinq" keeps its numbers as "two people in five".
UP_TO_TWENTY: MappingProxyType[str, MappingProxyType[str, int]] = MappingProxyType({
    "fr": MappingProxyType({word: value for word, value in FRENCH.items()
                            if 2 <= value <= 20 and word not in FRENCH_PLURALS}),
    "nl": _counting("twee drie vier vijf zes zeven acht negen tien elf twaalf dertien "
                    "veertien vijftien zestien zeventien achttien negentien twintig"),
    "en": _counting("two three four five six seven eight nine ten eleven twelve thirteen "
                    "fourteen fifteen sixteen seventeen eighteen nineteen twenty"),
})
