"""The pdf stage, tested by reading the PDFs it writes.

A small project is built once per module in a temporary folder: a French
source with two footnotes and a link, a Dutch translation with a machine
draft and an untranslated passage, a fully reviewed English one, and an
easy-read French one with a draft. Real pandoc, real Typst, real fonts; the
PDFs are read back with pypdf, pikepdf and poppler (pdffonts, pdftotext,
pdftoppm). Page 1 of every PDF is rendered to ``tests/output/pdf/`` for a
person to look at.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import pdfua
import pikepdf
import pypdf
import pytest

from lisible import document, pdf
from lisible.config import load_config

SLUG = "essai"
OUTPUT = Path(__file__).parent / "output" / "pdf"
MM = 72 / 25.4

# The French source. Regular spaces before ":" and "?" on purpose: the stage
# must set them as narrow no-break spaces.
FR_TEXT = {
    "p1": "Dans quelques jours, le gouvernement bruxellois va présenter au parlement "
          "une ordonnance intitulée « Bruxelles numérique ».",
    "p2": "Selon le baromètre, deux Bruxellois sur cinq sont en difficulté avec le "
          "numérique, en ce compris des jeunes.",
    "p3": "Mais sous quelle forme ? Des campagnes de sensibilisation, des formations "
          "ou une orientation vers les espaces publics numériques.",
    "p4": "Nous demandons aux autorités régionales et communales de garantir un "
          "service de qualité.",
    "n1": "Baromètre de l’inclusion numérique, Bruxelles : Fondation Roi Baudouin, 2022",
    "n2": "« Pas question d’abandonner le citoyen face au numérique », Bernard Clerfayt",
}

FRONT = """---
title: {title}
kicker: "Carte blanche"
description: {description}
lang: "{tag}"
sources: [{{"note": 1, "title": "Baromètre de l’inclusion numérique", "publisher": "Fondation Roi Baudouin", "year": 2022, "url": "https://kbs-frb.be/fr/barometre-inclusion-numerique-2022"}}]
{lisible}---
"""  # noqa: E501

FR_MD = FRONT.format(
    title='"« Bruxelles numérique » : une mesure discriminatoire"',
    description='"Des associations bruxelloises s’opposent à l’ordonnance."',
    tag="fr-BE", lisible="",
) + f"""
{FR_TEXT["p1"]} Voir [le site de la Région](https://be.brussels/fr).

{FR_TEXT["p2"]}[^1]

## Une mesure qui exclut

{FR_TEXT["p3"]}[^2]

{FR_TEXT["p4"]}

[^1]: {FR_TEXT["n1"]}, <https://kbs-frb.be/fr/barometre-inclusion-numerique-2022>

[^2]: {FR_TEXT["n2"]}, <https://clerfayt.brussels/fr/pas-question-dabandonner-citoyen-face-numerique>
"""

NL_TEXT = {
    "p1": "Over enkele dagen legt de Brusselse regering het parlement een ordonnantie "
          "voor met de titel ‘Digitaal Brussel’.",
    "p2": "Volgens de barometer hebben twee op de vijf Brusselaars moeite met digitale "
          "diensten, ook jongeren.",
    "p4": "Wij vragen de gewestelijke en gemeentelijke overheden een kwaliteitsvolle "
          "dienstverlening te garanderen.",
    "n1": "Barometer digitale inclusie, Brussel: Koning Boudewijnstichting, 2022",
    "n2": "‘Geen sprake van de burger in de steek te laten’, Bernard Clerfayt",
}

NL_MD = FRONT.format(
    title='"‘Digitaal Brussel’: een discriminerende maatregel"',
    description='"Brusselse verenigingen verzetten zich tegen de ordonnantie."',
    tag="nl-BE",
    lisible='lisible: {"language": "nl", "reviewed": 3, "draft": 1, "stale": 0, '
            '"untranslated": 1, "easy_read": false}\n',
) + f"""
{NL_TEXT["p1"]}

<span class="lisible-draft">{NL_TEXT["p2"]}[^1]</span>

## Een maatregel die uitsluit

<span class="lisible-fallback" lang="fr">{FR_TEXT["p3"]}[^2]</span>

{NL_TEXT["p4"]}

[^1]: {NL_TEXT["n1"]}, <https://kbs-frb.be/fr/barometre-inclusion-numerique-2022>

[^2]: {NL_TEXT["n2"]}, <https://clerfayt.brussels/fr/pas-question-dabandonner-citoyen-face-numerique>
"""

EN_TEXT = {
    "p1": "In a few days, the Brussels government will put an ordinance called "
          "‘Digital Brussels’ before parliament.",
    "p2": "According to the barometer, two in five people in Brussels struggle with "
          "digital services, young people included.",
    "n1": "Digital inclusion barometer, Brussels: King Baudouin Foundation, 2022",
}

EN_MD = FRONT.format(
    title='"‘Digital Brussels’: a discriminatory measure"',
    description='"Brussels associations oppose the ordinance."',
    tag="en-GB",
    lisible='lisible: {"language": "en", "reviewed": 3, "draft": 0, "stale": 0, '
            '"untranslated": 0, "easy_read": false}\n',
) + f"""
{EN_TEXT["p1"]}

{EN_TEXT["p2"]}[^1]

[^1]: {EN_TEXT["n1"]}, <https://kbs-frb.be/fr/barometre-inclusion-numerique-2022>
"""

EASY_SENTENCES = [
    "Le gouvernement de Bruxelles prépare une nouvelle loi.",
    "Cette loi s’appelle « Bruxelles numérique ».",
    "Avec cette loi, les services publics travaillent surtout sur internet.",
    "Les services publics sont par exemple le CPAS, Actiris et les communes.",
    "À Bruxelles, 2 personnes sur 5 ont des difficultés avec internet.",
    "Ces personnes ont besoin d’un guichet avec une personne pour les aider.",
    "Nous demandons des guichets dans tous les services publics.",
]
EASY_GLOSSARY = [
    "Un guichet : un endroit où une personne vous accueille et vous aide.",
    "Le CPAS : le centre public d’action sociale.",
    "Actiris : le service public qui aide les personnes à trouver un travail.",
]

EASY_MD = FRONT.format(
    title='"« Bruxelles numérique » : une loi injuste"',
    description='"Des associations de Bruxelles sont contre une nouvelle loi."',
    tag="fr-BE",
    lisible='lisible: {"language": "fr@falc", "reviewed": 8, "draft": 2, "stale": 0, '
            '"untranslated": 0, "easy_read": true}\n',
) + "\n" + "\n\n".join(
    f'<span class="lisible-draft">{s}</span>' if i in (3, 5) else s
    for i, s in enumerate(EASY_SENTENCES)
) + "\n\n## Les mots difficiles\n\n" + "\n\n".join(EASY_GLOSSARY) + "\n"

MARKDOWN = {"fr": FR_MD, "nl": NL_MD, "en": EN_MD, "fr@falc": EASY_MD}
TEXTS = {  # paragraphs of the running text
    "fr": [FR_TEXT[k] for k in ("p1", "p2", "p3", "p4")],
    "nl": [NL_TEXT["p1"], NL_TEXT["p2"], FR_TEXT["p3"], NL_TEXT["p4"]],
    "en": [EN_TEXT["p1"], EN_TEXT["p2"]],
    "fr@falc": EASY_SENTENCES + EASY_GLOSSARY,
}
NOTES = {  # footnote texts, by "<code>:<n>"
    "fr:1": FR_TEXT["n1"], "fr:2": FR_TEXT["n2"],
    "nl:1": NL_TEXT["n1"], "nl:2": NL_TEXT["n2"],
    "en:1": EN_TEXT["n1"],
}
LABELS = {"fr": "fr", "nl": "nl", "en": "en", "fr@falc": "facile"}
SIZES = {"a4": (210, 297), "a5": (148, 210), "a4-bleed": (230, 317)}  # bleed 3 + marks 7 mm
URL = "https://example.org/lisible"
AUTHOR = "Collectif Essai"
# The publication's settings, as a team writes them in mkdocs.yml.
SETTINGS = f"""site_name: Essai
site_url: {URL}
site_author: {AUTHOR}
extra:
  generator: false
  lisible:
    publisher:
      name: Jeanne Exemple
      address: rue de l’Essai 1, 1000 Bruxelles
    contact: contact@example.org
    date: 2026-12-01
    signatories: []
"""


def make_project(root: Path, site_url: str = "", settings: str | None = None,
                 only: tuple[str, ...] = ()) -> pdf.Config:
    """A project with the test Markdown; ``settings`` is its mkdocs.yml (default: none);
    ``only``: these languages' Markdown and the source's, to keep a test quick."""
    if settings is None and site_url:
        settings = f"site_url: {site_url}\n"
    if settings is not None:
        (root / "mkdocs.yml").write_text(settings, "utf-8")
    config = load_config(root)
    for lang in config.languages:
        if only and lang.code not in only and lang != config.source:
            continue
        path = config.markdown_path(lang, SLUG)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MARKDOWN[lang.code], "utf-8")
    return config


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[pdf.Config, list[document.Download]]:
    config = make_project(tmp_path_factory.mktemp("project"), settings=SETTINGS)
    infos = pdf.build_pdfs(config, report=lambda line: None)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for info in infos:
        stem = OUTPUT / Path(info.file).stem
        subprocess.run(["pdftoppm", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-png",
                        str(config.build_dir / "downloads" / info.file), str(stem)], check=True)
    return config, infos


def path_of(config: pdf.Config, code: str, fmt: str) -> Path:
    return config.build_dir / "downloads" / f"{SLUG}-{LABELS[code]}-{fmt}.pdf"


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def squash(text: str) -> str:
    """Text without spaces or hyphens, so line breaks and hyphenation don't matter."""
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


FOOTER = re.compile(r"\s*(Page|Pagina) \d+ (sur|van|of) \d+\s*$")


def flow_text(text: str, notes: list[str]) -> str:
    """The running text of every page, joined: footnotes and page footers removed,
    so a paragraph that crosses a page reads as one."""
    starts = tuple(squash(note)[:12] for note in notes)
    pages = []
    for page in text.split("\f"):
        kept = []
        for line in page.splitlines():
            number = re.match(r"\s*\d+", line)
            if number and squash(line[number.end():]).startswith(starts):
                break  # the footnote area runs to the foot of the page
            if not FOOTER.match(line):
                kept.append(line)
        pages.append("\n".join(kept))
    return "\n".join(pages)


def hyphenated_breaks(text: str, source: str) -> list[str]:
    """Words a line break cut with a hyphen that the source does not have there.

    Typst writes a soft hyphen (U+00AD) where it hyphenates, always a cut; a
    plain hyphen at a line end is a cut unless the source has the compound.
    """
    found = []
    lines = text.splitlines()
    for line, following in itertools.pairwise(lines):
        end = re.search(r"(\w+)([-\u00ad\u2010])$", line.rstrip())
        start = re.match(r"\s*(\w+)", following)
        if end and (end.group(2) != "-" or not start
                    or f"{end.group(1)}-{start.group(1)}" not in source):
            found.append(f"{end.group(1)}-|{start.group(1) if start else ''}")
    return found


# --- The files ----------------------------------------------------------------------------


def test_one_pdf_per_language_and_format_in_build_not_in_the_live_site(built):
    config, infos = built
    names = sorted(info.file for info in infos)
    expected = sorted(f"{SLUG}-{label}-{fmt}.pdf" for label in LABELS.values() for fmt in SIZES)
    assert names == expected
    for name in names:
        assert (config.build_dir / "downloads" / name).is_file()
    assert not config.site_dir.exists()  # published by the site stage, with its pages


def test_manifest_lists_every_pdf_with_its_real_size_and_pages(built):
    config, _ = built
    manifest = json.loads((config.build_dir / "downloads" / "manifest.json").read_text("utf-8"))
    assert [entry["file"] for entry in manifest] == sorted(entry["file"] for entry in manifest)
    for entry in manifest:
        path = config.build_dir / "downloads" / entry["file"]
        assert entry["bytes"] == path.stat().st_size
        assert entry["pages"] == len(pypdf.PdfReader(path).pages)
        assert entry["slug"] == SLUG and entry["label"] == LABELS[entry["language"]]
    nl = next(e for e in manifest if e["language"] == "nl")
    assert nl["status"]["draft"] == 1 and nl["status"]["untranslated"] == 1
    assert next(e for e in manifest if e["language"] == "fr")["status"] is None


@pytest.mark.parametrize("fmt", sorted(SIZES))
def test_page_size_is_exact(built, fmt):
    config, _ = built
    width, height = SIZES[fmt]
    for code in LABELS:
        for page in pypdf.PdfReader(path_of(config, code, fmt)).pages:
            assert float(page.mediabox.width) == pytest.approx(width * MM, abs=0.01)
            assert float(page.mediabox.height) == pytest.approx(height * MM, abs=0.01)


def test_bleed_variant_declares_a4_trim_box_and_bleed_box(built):
    config, _ = built
    with pikepdf.open(path_of(config, "fr", "a4-bleed")) as doc:
        assert doc.check_pdf_syntax() == []  # the boxes are an incremental update
        assert doc.trailer.Info.Title == doc.docinfo.Title  # the update keeps Info and ID
        assert "/ID" in doc.trailer
        for page in doc.pages:
            left, bottom, right, top = (float(v) for v in page.TrimBox)
            assert (left, bottom) == pytest.approx((10 * MM, 10 * MM), abs=0.01)
            assert (right - left, top - bottom) == pytest.approx((210 * MM, 297 * MM), abs=0.01)
            left, bottom, right, top = (float(v) for v in page.BleedBox)
            assert (left, bottom) == pytest.approx((7 * MM, 7 * MM), abs=0.01)
            assert (right - left, top - bottom) == pytest.approx((216 * MM, 303 * MM), abs=0.01)


def pixels(path: Path, page: int = 1, dpi: int = 72):
    """One page rendered in colour, as a PIL image (1 px = 1 pt at 72 dpi)."""
    from PIL import Image

    stem = path.parent / f"{path.stem}-p{page}-{dpi}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    "-png", str(path), str(stem)], check=True, capture_output=True)
    return Image.open(f"{stem}.png").convert("RGB")


def test_bleed_is_real_a_band_runs_into_it_and_crop_marks_stay_outside(built):
    """Before: nothing ran to the edge and the crop marks sat inside the bleed."""
    config, _ = built
    image = pixels(path_of(config, "fr", "a4-bleed"))
    accent = (0x1D, 0x3B, 0x6E)

    def at(x_mm, y_mm):
        return image.getpixel((round(x_mm * MM), round(y_mm * MM)))

    assert at(8, 8) == pytest.approx(accent, abs=8)  # in the bleed, above the cut's corner
    assert at(115, 8) == pytest.approx(accent, abs=8)  # the band spans the page
    assert at(115, 15) == pytest.approx(accent, abs=8)  # and runs below the top cut
    assert at(5, 5) == (255, 255, 255)  # no artwork beyond the bleed
    marks = [at(10, y) for y in (1, 3, 5)] + [at(x, 10) for x in (1, 3, 5)]
    assert all(sum(pixel) < 600 for pixel in marks), marks  # crop marks on the cut lines
    assert at(10, 8.5) == pytest.approx(accent, abs=8)  # ... that stop before the bleed
    plain = pixels(path_of(config, "fr", "a4"))
    assert plain.getpixel((5, 5)) == (255, 255, 255)  # a home printer can't print edges


def test_every_font_is_embedded_and_is_atkinson_hyperlegible(built):
    config, infos = built
    for info in infos:
        lines = subprocess.run(["pdffonts", str(config.build_dir / "downloads" / info.file)],
                               check=True, capture_output=True, text=True).stdout.splitlines()
        fonts = [line.split() for line in lines[2:]]
        assert fonts, info.file
        for name, *rest in fonts:
            assert "AtkinsonHyperlegible" in name
            assert rest[-5] == "yes", f"{info.file}: {name} not embedded"  # the "emb" column


def test_tagged_with_language_title_subject_and_standards(built):
    config, _ = built
    expected = {"fr": ("fr-BE", "« Bruxelles numérique »"), "nl": ("nl-BE", "‘Digitaal Brussel’"),
                "en": ("en-GB", "‘Digital Brussels’"), "fr@falc": ("fr-BE", "une loi injuste")}
    for code, (lang, title) in expected.items():
        with pikepdf.open(path_of(config, code, "a4")) as doc:
            assert str(doc.Root.Lang) == lang
            assert "/StructTreeRoot" in doc.Root
            assert bool(doc.Root.MarkInfo.Marked) is True
            assert bool(doc.Root.ViewerPreferences.DisplayDocTitle) is True
            with doc.open_outline() as outline:  # bookmarks from headings
                marks = [item.title for item in outline.root]
                marks += [kid.title for item in outline.root for kid in item.children]
            assert title in marks[0].replace("\u202f", " ")
            info = doc.docinfo
            assert title in str(info.Title).replace("\u202f", " ")
            assert str(info.Subject)
            assert str(info.Author) == AUTHOR
            meta = doc.open_metadata()
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
            assert meta.get("pdfuaid:part") == "1"


def test_untranslated_passage_is_tagged_french_in_a_dutch_pdf(built):
    config, _ = built
    found = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if "/Lang" in node:
                found.append(str(node.Lang))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    with pikepdf.open(path_of(config, "nl", "a4")) as doc:
        walk(doc.Root.StructTreeRoot)
    assert "fr" in found


# --- The text -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(LABELS))
def test_every_paragraph_and_footnote_is_in_the_text(built, code):
    config, _ = built
    for fmt in SIZES:
        text = pdftotext(path_of(config, code, fmt))
        notes = [value for key, value in NOTES.items() if key.startswith(code + ":")]
        flow = squash(flow_text(text, notes))
        for paragraph in TEXTS[code]:
            assert squash(paragraph) in flow, f"{code} {fmt}: missing {paragraph!r}"
        for note in notes:
            assert squash(note) in squash(text), f"{code} {fmt}: missing note {note!r}"


def test_footnotes_are_real_footnotes_at_the_foot_of_the_page(built):
    config, _ = built
    with pikepdf.open(path_of(config, "fr", "a4")) as doc:
        kinds = set()

        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    kinds.add(str(node.S))
                kids = node.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                    walk(kid)

        walk(doc.Root.StructTreeRoot)
    assert "/FENote" in kinds or "/Note" in kinds
    words = pdftotext(path_of(config, "fr", "a4"), "-bbox")
    note = re.search(r'yMin="([\d.]+)"[^>]*>Clerfayt,?<', words)  # only in note 2
    last = re.search(r'yMin="([\d.]+)"[^>]*>qualité\.<', words)  # the last paragraph's end
    assert note and last
    assert float(note.group(1)) > float(last.group(1)) > 0


def test_french_spacing_never_breaks_before_high_punctuation(built):
    config, _ = built
    for code in ("fr", "fr@falc"):
        for fmt in SIZES:
            for line in pdftotext(path_of(config, code, fmt)).splitlines():
                assert not re.match(r"\s*[;:!?»]", line), f"{code} {fmt}: {line!r}"
                assert not line.rstrip().endswith("«"), f"{code} {fmt}: {line!r}"
    words = pdftotext(path_of(config, "fr", "a4"), "-bbox")
    # "forme ?" in the source has a regular space; the PDF must set a narrower one.
    forme = re.search(r'xMax="([\d.]+)"[^>]*>forme</word>\s*<word xMin="([\d.]+)"', words)
    sous = re.search(r'xMax="([\d.]+)"[^>]*>sous</word>\s*<word xMin="([\d.]+)"', words)
    assert forme and sous
    narrow = float(forme.group(2)) - float(forme.group(1))
    normal = float(sous.group(2)) - float(sous.group(1))
    assert 0 < narrow < normal * 0.75
    # The front matter's title had plain spaces too.
    with pikepdf.open(path_of(config, "fr", "a4")) as doc:
        title = str(doc.docinfo.Title)
    assert "«\u202fBruxelles numérique\u202f»\u202f:" in title


def test_link_address_is_printed_after_its_text(built):
    config, _ = built
    text = pdftotext(path_of(config, "fr", "a4"))  # Typst may break the address at a dot
    assert squash("le site de la Région (https://be.brussels/fr)") in squash(text)


# --- Honest status ------------------------------------------------------------------------


def page_one(config, code, fmt="a4") -> str:
    """Page 1's words, with words Typst cut with a (soft) hyphen joined again."""
    text = re.sub(r"\u00ad\s*", "", pdftotext(path_of(config, code, fmt), "-l", "1"))
    return " ".join(text.split())


def test_draft_and_untranslated_passages_are_announced_on_page_one_in_dutch(built):
    config, _ = built
    text = page_one(config, "nl")
    assert "Let op: deze vertaling is nog niet volledig door een mens nagelezen." in text
    assert "1 passage is automatisch vertaald" in text
    assert "1 passage is nog niet vertaald en staat in het Frans" in text
    assert "Een gestreepte streep in de marge duidt het aan." in text
    assert "https://example.org/lisible/nl/essai/" in text


def test_reviewed_translation_carries_no_notice_and_no_status_line(built):
    """Before: "Translation status: 3 passages: 3 reviewed." on a reviewed text."""
    config, _ = built
    text = page_one(config, "en")
    assert "Please note" not in text and "machine" not in text
    assert "Translation status" not in text and "reviewed" not in text
    assert "Online version: https://example.org/lisible/en/essai/" in text
    assert "Stand van de vertaling: 5 passages" in page_one(config, "nl")  # drafts: it stays


def test_source_text_carries_no_status_line(built):
    config, _ = built
    text = page_one(config, "fr")
    assert "Attention" not in text and "Texte original" not in text


def test_easy_read_says_it_is_not_yet_tested_with_readers(built):
    config, _ = built
    for fmt in SIZES:
        text = page_one(config, "fr@falc", fmt)
        assert "ce texte n’est pas encore testé par des lecteurs" in text.replace("'", "’")
        if fmt == "a5":  # the booklet's cover has the first line, page 2 the whole notice
            text = " ".join(pdftotext(path_of(config, "fr@falc", fmt), "-f", "2").split())
        assert "Une personne doit encore relire cette partie." in text


def test_draft_passages_get_a_bar_in_the_margin(built):
    """The reviewed English PDF draws no line beside the text; the Dutch one does."""
    config, _ = built

    def margin_strokes(path: Path) -> int:
        reader = pypdf.PdfReader(path)
        strokes = 0
        for page in reader.pages:
            content = page.get_contents().get_data().decode("latin-1")
            strokes += len(re.findall(r"\b2 w\b", content))  # the bars are 2 pt wide
        return strokes

    assert margin_strokes(path_of(config, "nl", "a4")) >= 2  # draft and fallback
    assert margin_strokes(path_of(config, "en", "a4")) == 0


# --- Easy-read layout ---------------------------------------------------------------------


def test_easy_read_has_no_hyphenation(built):
    config, _ = built
    meta = pdf.page_meta(
        document.read_published(config.markdown_path(config.language("fr@falc"), SLUG),
                          config.language("fr@falc"), SLUG),
        pdf.FORMATS[0], pdf.publication_of(config))
    source = EASY_MD + " ".join(meta["notice"] + meta["colophon"])
    for fmt in SIZES:
        text = pdftotext(path_of(config, "fr@falc", fmt))
        assert hyphenated_breaks(text, source + config.site_url + "/facile/essai/") == []


def test_hyphenation_check_sees_a_cut_word():
    assert hyphenated_breaks("les gouver-\nnements", "les gouvernements") == ["gouver-|nements"]
    assert hyphenated_breaks("peut-\nêtre", "peut-être") == []
    assert hyphenated_breaks("for\u00ad\nmations", "formations") == ["for-|mations"]


@pytest.mark.parametrize("fmt", ["a4", "a5"])
def test_easy_read_type_is_large_left_aligned_within_3_cm_margins(built, fmt):
    config, _ = built
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"',
                       pdftotext(path_of(config, "fr@falc", fmt), "-bbox"))
    width, height = SIZES[fmt]
    margin = 30 * MM
    boxes = [tuple(map(float, word)) for word in words]
    assert boxes
    for x0, y0, x1, y1 in boxes:
        assert x0 >= margin - 0.01 and x1 <= width * MM - margin + 0.01
        # The box is the font's ascent + descent (1.24 em for this font, so 14 pt
        # gives 17.4): its top rises a little above the first line's top edge.
        assert y1 - y0 >= 14 * 1.2
        assert y0 >= margin - 0.2 * (y1 - y0)
        # Only the page number sits in the bottom margin.
        assert y1 <= height * MM - margin + 0.25 * (y1 - y0) or y0 > height * MM - margin
    lefts = {round(x0, 1) for x0, *_ in boxes}
    assert min(lefts) == pytest.approx(margin, abs=0.1)  # the text starts at the margin


def test_easy_read_pages_are_numbered(built):
    config, _ = built
    pages = len(pypdf.PdfReader(path_of(config, "fr@falc", "a5")).pages)
    text = pdftotext(path_of(config, "fr@falc", "a5"))
    for number in range(1, pages + 1):
        assert f"Page {number} sur {pages}" in text


# --- Reproducible and incremental ---------------------------------------------------------


def test_two_builds_are_byte_identical(built, tmp_path):
    config, _ = built
    other = make_project(tmp_path, settings=SETTINGS)
    for info in pdf.build_pdfs(other):
        first = (config.build_dir / "downloads" / info.file).read_bytes()
        assert (other.build_dir / "downloads" / info.file).read_bytes() == first, info.file


def test_creation_date_comes_from_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    config = make_project(tmp_path)
    pdf.build_pdfs(config, formats=pdf.FORMATS[:1])
    info = pypdf.PdfReader(path_of(config, "fr", "a4")).metadata
    assert info.creation_date.isoformat().startswith("2023-11-14T22:13:20")


def test_only_changed_inputs_are_rebuilt(tmp_path, monkeypatch):
    config = make_project(tmp_path)
    formats = pdf.FORMATS[:1]
    pdf.build_pdfs(config, formats=formats)
    compiled = []
    real = pdf.compile_typst
    monkeypatch.setattr(pdf, "compile_typst", lambda *a: compiled.append(a[3]) or real(*a))
    pdf.build_pdfs(config, formats=formats)
    assert compiled == []
    nl = config.markdown_path(config.language("nl"), SLUG)
    nl.write_text(NL_MD.replace("Wij vragen", "Wij eisen"), "utf-8")
    infos = pdf.build_pdfs(config, formats=formats)
    assert compiled == [nl]
    assert "eisen" in pdftotext(path_of(config, "nl", "a4"))
    assert len(infos) == 4


def test_a_deleted_pdf_is_made_again(tmp_path):
    config = make_project(tmp_path)
    formats = pdf.FORMATS[:1]
    pdf.build_pdfs(config, formats=formats)
    target = path_of(config, "en", "a4")
    before = target.read_bytes()
    target.unlink()
    pdf.build_pdfs(config, formats=formats)
    assert target.read_bytes() == before


# --- Failures a person can fix ------------------------------------------------------------


def test_a_glyph_missing_from_the_font_fails_with_the_file_named(tmp_path):
    config = make_project(tmp_path)
    fr = config.markdown_path(config.source, SLUG)
    fr.write_text(FR_MD.replace("Nous demandons", "Nous ✓ demandons"), "utf-8")
    with pytest.raises(pdf.PdfError) as error:
        pdf.build_pdfs(config, formats=pdf.FORMATS[:1])
    assert str(fr) in str(error.value) and "✓" in str(error.value)


def test_markdown_without_front_matter_is_reported(tmp_path):
    config = make_project(tmp_path)
    config.markdown_path(config.language("en"), SLUG).write_text("Just text.\n", "utf-8")
    with pytest.raises(document.DocumentError, match="no front matter"):
        pdf.build_pdfs(config)


def test_pdf_command_is_registered_and_reports_missing_languages(tmp_path, capsys):

    config = make_project(tmp_path)
    shutil.rmtree(config.markdown_path(config.language("en"), SLUG).parent)
    from lisible import cli

    args = cli._parser().parse_args(["pdf"])
    assert args.func(config, args) == 0
    out = capsys.readouterr().out
    assert "en/essai.md: missing" in out
    assert "9 PDFs in" in out


def test_raw_typst_in_the_markdown_is_printed_as_text_not_run(tmp_path):
    config = make_project(tmp_path)
    en = config.markdown_path(config.language("en"), SLUG)
    en.write_text(EN_MD.replace("[^1]\n", "[^1]\n\n`#set page(width: 1cm)`{=typst}\n", 1), "utf-8")
    pdf.build_pdfs(config, formats=pdf.FORMATS[:1])
    page = pypdf.PdfReader(path_of(config, "en", "a4")).pages[0]
    assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=0.01)
    assert "#set page" in pdftotext(path_of(config, "en", "a4"))


# --- A leaflet that can be handed out (issue 17) ------------------------------------------

REPO = Path(__file__).resolve().parent.parent
GOLDEN_FR = REPO / "tests" / "golden" / "convert" / "carte-blanche-bruxelles-numerique.expect.md"


def test_every_pdf_passes_pdfua(built):
    """PyPI's pdfua (PDF/UA-1 and WCAG checks nobody here wrote) finds nothing in any PDF."""
    config, infos = built
    for info in infos:
        report = pdfua.validate(str(config.build_dir / "downloads" / info.file))
        findings = [f"{f.rule_id} {f.severity.name}: {f.message}" for f in report.findings]
        assert report.exit_code == 0 and findings == [], f"{info.file}: {findings}"
        assert len(report.outcomes) - len(report.skipped) >= 10  # the checks really ran
        # pdfua 0.1.3 can't run UA-14-001 (empty headings) on a heading whose /K is an
        # array: getattr(pikepdf.Array, "is_integer") raises. Any other skip is news.
        assert {o.rule_id for o in report.skipped} <= {"UA-14-001"}, info.file
        assert empty_headings(config.build_dir / "downloads" / info.file) == []


def empty_headings(path: Path) -> list[str]:
    """UA-14-001 by hand: heading elements that reach no marked content."""

    def marks(node) -> bool:
        kid = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        kids = list(kid) if isinstance(kid, pikepdf.Array) else [kid]
        return any(isinstance(k, int) or (isinstance(k, pikepdf.Object)
                                          and k._type_code == pikepdf.ObjectType.integer)
                   or (isinstance(k, pikepdf.Dictionary) and (k.get("/Type") == "/MCR"
                                                               or marks(k)))
                   for k in kids if k is not None)

    empty = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            role = str(node.get("/S", ""))
            if re.fullmatch(r"/H\d", role) and not marks(node):
                empty.append(role)
            kid = node.get("/K")
            for k in kid if isinstance(kid, pikepdf.Array) else [kid]:
                walk(k)

    with pikepdf.open(path) as doc:
        walk(doc.Root.StructTreeRoot)
    return empty


def qr_codes(path: Path, page: int) -> list[str]:
    """What zbarimg decodes on one page rendered by poppler."""
    stem = path.parent / f"{path.stem}-qr{page}"
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-f", str(page), "-l", str(page),
                    "-singlefile", "-png", str(path), str(stem)], check=True, capture_output=True)
    result = subprocess.run(["zbarimg", "--quiet", "--nodbus", "--raw", f"{stem}.png"],
                            capture_output=True, text=True)
    return result.stdout.split()


def test_qr_code_on_first_and_last_page_decodes_to_the_pages_full_address(built):
    """Before: "page /essai/ du site de la publication", a path with no domain, no QR code."""
    config, infos = built
    for info in infos:
        path = config.build_dir / "downloads" / info.file
        language = config.language(info.language)
        url = pdf.online_address(config.site_url, language, SLUG)[1]
        assert url.startswith(URL + "/")
        for page in sorted({1, info.pages}):
            assert qr_codes(path, page) == [url], f"{info.file} page {page}"
            words = squash(pdftotext(path, "-f", str(page), "-l", str(page)))
            assert squash(url) in words, f"{info.file} page {page}: address not printed"


def test_without_site_url_no_address_no_qr_code_and_a_warning(tmp_path):
    config = make_project(tmp_path)
    said: list[str] = []
    pdf.build_pdfs(config, formats=pdf.FORMATS[:1], report=said.append)
    assert any("no site_url" in line for line in said)
    text = pdftotext(path_of(config, "fr", "a4"))
    assert "Version en ligne" not in text and "/essai/" not in text
    assert qr_codes(path_of(config, "fr", "a4"), 1) == []


def last_page(config, code, fmt="a4") -> str:
    path = path_of(config, code, fmt)
    pages = len(pypdf.PdfReader(path).pages)
    return " ".join(pdftotext(path, "-f", str(pages), "-l", str(pages)).split())


def test_last_page_names_publisher_contact_and_date_from_the_settings(built):
    """Before: no éditeur responsable, contact or date anywhere."""
    config, _ = built
    fr = last_page(config, "fr")
    assert ("Éditeur responsable : Jeanne Exemple, rue de l’Essai 1, 1000 Bruxelles"
            in fr)
    assert "Contact : contact@example.org" in fr and "Date : 1 décembre 2026" in fr
    nl = last_page(config, "nl")
    assert "Verantwoordelijke uitgever: Jeanne Exemple" in nl and "Datum: 1 december 2026" in nl
    assert "Date: 1 December 2026" in last_page(config, "en")
    for code in LABELS:
        assert "Signataires" not in last_page(config, code)  # none given: none printed


def test_empty_settings_print_nothing_and_warn_about_the_publisher(tmp_path):
    config = make_project(tmp_path, URL)
    said: list[str] = []
    pdf.build_pdfs(config, formats=pdf.FORMATS[:1], report=said.append)
    assert any("warning: no éditeur responsable" in line and "mkdocs.yml:" in line
               for line in said)
    text = pdftotext(path_of(config, "fr", "a4"))
    for word in ("Éditeur", "Contact", "Date", "Licence"):
        assert word not in text


def test_no_repeated_list_of_sources_the_footnotes_suffice(built):
    """Before: a "Sources"/"Bronnen" list in French under the footnotes that repeat it."""
    config, _ = built
    for code in LABELS:
        for fmt in SIZES:
            text = pdftotext(path_of(config, code, fmt))
            assert not re.search(r"^\s*(Sources|Bronnen|Les sources)\s*$", text, re.M), code
    nl = squash(pdftotext(path_of(config, "nl", "a4")))
    assert nl.count(squash(NL_TEXT["n1"])) == 1  # the note keeps the catalogue's title
    assert "Fondation Roi Baudouin" not in pdftotext(path_of(config, "nl", "a4"))


def body_line_lengths(path: Path) -> list[int]:
    """Characters of every full line of running text: lines of the body's size that are not
    the last of their paragraph (pdftotext's blocks), footnotes and headings left out."""
    import statistics

    xml = re.sub(r'xmlns="[^"]+"', "", pdftotext(path, "-bbox-layout"))
    from xml.etree import ElementTree

    lines = []
    for block in ElementTree.fromstring(xml).iter("block"):
        rows = block.findall("line")
        for i, row in enumerate(rows):
            height = round(float(row.get("yMax")) - float(row.get("yMin")), 1)
            text = " ".join(word.text or "" for word in row.findall("word"))
            lines.append((height, len(text), i == len(rows) - 1))
    body = statistics.mode(height for height, _, _ in lines)
    return [length for height, length, last in lines if height == body and not last]


@pytest.mark.parametrize("fmt", ["a4", "a5"])
def test_body_has_60_to_75_characters_a_line(tmp_path, fmt):
    """Before: 11.5 pt at 85-90 characters a line in the A4 handout."""
    import statistics

    config = make_project(tmp_path, only=("fr",))
    fr = config.markdown_path(config.source, SLUG)
    fr.write_text(GOLDEN_FR.read_text("utf-8"), "utf-8")
    pdf.build_pdfs(config, formats=tuple(f for f in pdf.FORMATS if f.name == fmt),
                   report=lambda line: None)
    lengths = body_line_lengths(path_of(config, "fr", fmt))
    assert len(lengths) > 40
    assert 60 <= statistics.median(lengths) <= 75
    assert sum(60 <= n <= 78 for n in lengths) >= 0.9 * len(lengths)


def test_the_french_carte_blanche_fits_one_sheet_printed_on_both_sides(tmp_path):
    """Before: 3 pages. The real French text, with every setting filled in (longest colophon)."""
    config = make_project(tmp_path, settings=SETTINGS, only=("fr",))
    config.markdown_path(config.source, SLUG).write_text(GOLDEN_FR.read_text("utf-8"), "utf-8")
    infos = pdf.build_pdfs(config, formats=(pdf.FORMATS[0], pdf.FORMATS[2]))
    for info in infos:
        if info.language == "fr":
            assert info.pages == 2, info.file


def test_easy_read_a5_is_a_booklet_with_a_cover(built):
    """Before: 21 pages, which can't be folded; no cover."""
    config, _ = built
    path = path_of(config, "fr@falc", "a5")
    pages = len(pypdf.PdfReader(path).pages)
    assert pages % 4 == 0 and pages >= 4
    cover = " ".join(pdftotext(path, "-l", "1").split())
    assert "une loi injuste" in cover and "Le gouvernement" not in cover  # title, no text
    assert "Le gouvernement" in pdftotext(path, "-f", "2", "-l", "2")
    # The cover's picture: dark pixels in the middle of the page, where there is no word.
    image = pixels(path).convert("L")
    width, height = image.size
    middle = image.crop((width // 3, int(height * 0.45), 2 * width // 3, int(height * 0.6)))
    assert middle.getextrema()[0] < 128
    assert qr_codes(path, pages) == [pdf.online_address(URL, config.language("fr@falc"),
                                                        SLUG)[1]]
    assert "OpenMoji" in last_page(config, "fr@falc", "a5")  # the cover picture is credited
    for fmt in ("a4", "a4-bleed"):  # the A4 stays a handout, no cover
        assert "Le gouvernement" in pdftotext(path_of(config, "fr@falc", fmt), "-l", "1")


EASY_FRONT = FRONT.format(title='"Essai"', description='"Essai."', tag="fr-BE",
                          lisible='lisible: {"language": "fr@falc", "reviewed": 1, "draft": 0, '
                                  '"stale": 0, "untranslated": 0, "easy_read": true}\n')


@pytest.mark.parametrize("filler", [8, 9, 10, 11])
def test_a_glossary_entry_is_never_split_across_pages(tmp_path, filler):
    """Before: a word at the foot of page 11, its explanation on page 12."""
    config = make_project(tmp_path, only=("fr@falc",))
    sentences = [f"Phrase numéro {n} du texte facile à lire." for n in range(filler)]
    entries = [(f"mot{n}", f"Le mot{n} veut dire : une chose simple et claire.",
                "Par exemple une chose de tous les jours.") for n in range(4)]
    markdown = EASY_FRONT + "\n" + "\n\n".join(sentences) + "\n\n## Les mots difficiles\n\n"
    markdown += "\n\n".join(f"**{word}**\n\n{meaning}\n\n{example}"
                            for word, meaning, example in entries) + "\n"
    config.markdown_path(config.language("fr@falc"), SLUG).write_text(markdown, "utf-8")
    pdf.build_pdfs(config, formats=pdf.FORMATS[:1], report=lambda line: None)
    pages = pdftotext(path_of(config, "fr@falc", "a4")).split("\f")
    assert len(pages) > 2  # the entries do cross a page boundary somewhere
    for word, meaning, example in entries:
        holding = [page for page in pages if re.search(rf"^{word}$", page, re.M)]
        assert len(holding) == 1
        assert squash(meaning) in squash(holding[0]) and squash(example) in squash(holding[0])


def test_pictogram_stands_left_of_its_sentence_and_a_missing_one_only_warns(tmp_path):
    config = make_project(tmp_path, only=("fr@falc",))
    markdown = EASY_FRONT + (
        "\n![](pictograms/1F4F1.svg){.lisible-picto} Le téléphone sert à tout.\n\n"
        "![](pictograms/absent.svg){.lisible-picto} Cette image manque.\n\n"
        "Une phrase sans image.\n")
    config.markdown_path(config.language("fr@falc"), SLUG).write_text(markdown, "utf-8")
    said: list[str] = []
    pdf.build_pdfs(config, formats=pdf.FORMATS[:1], report=said.append)
    line = next(n for n, row in enumerate(markdown.splitlines(), 1) if "absent" in row)
    assert [line for line in said if "absent.svg" in line] == [
        f"{config.markdown_path(config.language('fr@falc'), SLUG)}:{line}: warning: picture "
        "pictograms/absent.svg not found (only SVG files are printed); the PDF shows the "
        "sentence without it"]
    words = pdftotext(path_of(config, "fr@falc", "a4"), "-bbox")

    def left(word):
        return float(re.search(rf'xMin="([\d.]+)"[^>]*>{word}<', words).group(1))

    margin = 30 * MM
    assert left("téléphone") > margin + 12 * MM  # after a picture about 2.6 em wide
    assert left("Cette") == pytest.approx(margin, abs=0.5)  # no picture, no gap
    assert left("Une") == pytest.approx(margin, abs=0.5)
    assert "OpenMoji" in pdftotext(path_of(config, "fr@falc", "a4"))  # credited
    assert pdfua.validate(str(path_of(config, "fr@falc", "a4"))).exit_code == 0


def test_a_picture_typst_cannot_read_costs_the_pictures_not_the_leaflet(tmp_path):
    config = make_project(tmp_path, only=("fr@falc",))
    folder = config.markdown_path(config.language("fr@falc"), SLUG).parent
    (folder / "pictograms").mkdir(parents=True)
    (folder / "pictograms" / "broken.svg").write_text("<svg this is not xml", "utf-8")
    markdown = EASY_FRONT + "\n![](pictograms/broken.svg){.lisible-picto} Une phrase.\n"
    config.markdown_path(config.language("fr@falc"), SLUG).write_text(markdown, "utf-8")
    said: list[str] = []
    pdf.build_pdfs(config, formats=pdf.FORMATS[:1], report=said.append)
    assert any("a picture could not be read" in line for line in said)
    assert "Une phrase." in pdftotext(path_of(config, "fr@falc", "a4"))


def test_an_explained_word_gets_its_box_on_the_same_page_as_its_sentence(tmp_path):
    """The easy-read markup: a word in bold, then <span class="lisible-explain">."""
    config = make_project(tmp_path, only=("fr@falc",))
    blocks = []
    for n in range(14):
        blocks += [f"Phrase {n} avec un mot **difficile{n}** dedans.",
                   f'<span class="lisible-explain">Le mot difficile{n} veut dire : une chose '
                   f'simple, expliquée ici en une phrase.</span>']
    markdown = EASY_FRONT + "\n" + "\n\n".join(blocks) + "\n"
    config.markdown_path(config.language("fr@falc"), SLUG).write_text(markdown, "utf-8")
    pdf.build_pdfs(config, formats=pdf.FORMATS[:1], report=lambda line: None)
    path = path_of(config, "fr@falc", "a4")
    pages = pdftotext(path).split("\f")
    assert len([page for page in pages if page.strip()]) > 2
    for n in range(14):
        sentence = [i for i, page in enumerate(pages) if f"difficile{n} dedans" in page]
        box = [i for i, page in enumerate(pages) if f"Le mot difficile{n} veut" in page]
        assert sentence == box and len(box) == 1, n
    words = pdftotext(path, "-bbox")
    box_left = float(re.search(r'xMin="([\d.]+)"[^>]*>Le</word>', words).group(1))
    assert box_left > 30 * MM + 3  # inset in its box, right of the bar
    assert pdfua.validate(str(path)).exit_code == 0


def test_a_missing_image_is_a_warning_and_its_description_is_printed(tmp_path):
    """Typst stops on a missing file: the leaflet is printed without the picture instead."""
    config = make_project(tmp_path, only=("fr",))
    path = config.markdown_path(config.source, SLUG)
    markdown = path.read_text("utf-8").rstrip("\n") + (
        "\n\n![Une photo du guichet](media/essai/absent.png)\n")
    path.write_text(markdown, "utf-8")
    said: list[str] = []
    infos = pdf.build_pdfs(config, formats=pdf.FORMATS[:1], report=said.append)
    line = len(markdown.rstrip("\n").splitlines())
    assert f"{path}:{line}: warning: image media/essai/absent.png not found; the PDF prints " \
           "its description instead" in said
    assert [info.file for info in infos] == [path_of(config, "fr", "a4").name]
    assert "Une photo du guichet" in pdftotext(path_of(config, "fr", "a4"))
