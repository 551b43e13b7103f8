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

import pikepdf
import pypdf
import pytest

from lisible import pdf
from lisible.config import config_from_dict

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
SIZES = {"a4": (210, 297), "a5": (148, 210), "a4-bleed": (216, 303)}


def make_project(root: Path, site_url: str = "") -> pdf.Config:
    config = config_from_dict(root, {"site_url": site_url})
    for lang in config.languages:
        path = config.markdown_path(lang, SLUG)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MARKDOWN[lang.code], "utf-8")
    return config


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[pdf.Config, list[pdf.PdfInfo]]:
    config = make_project(tmp_path_factory.mktemp("project"), "https://example.org/lisible")
    infos = pdf.build_pdfs(config)
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
            assert (left, bottom) == pytest.approx((3 * MM, 3 * MM), abs=0.01)
            assert (right - left, top - bottom) == pytest.approx((210 * MM, 297 * MM), abs=0.01)
            assert [float(v) for v in page.BleedBox] == [float(v) for v in page.MediaBox]


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
            assert {"Sources", "Bronnen", "Les sources"} & set(marks)
            info = doc.docinfo
            assert title in str(info.Title).replace("\u202f", " ")
            assert str(info.Subject)
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
    sources = re.search(r'yMin="([\d.]+)"[^>]*>Sources<', words)  # after the last paragraph
    assert note and sources
    assert float(note.group(1)) > float(sources.group(1)) > 0


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


def test_reviewed_translation_carries_no_notice(built):
    config, _ = built
    text = page_one(config, "en")
    assert "Please note" not in text and "machine" not in text
    assert "Translation status: 3 passages: 3 reviewed." in text
    assert "Online version: https://example.org/lisible/en/essai/" in text


def test_source_text_says_it_is_the_original(built):
    config, _ = built
    text = page_one(config, "fr")
    assert "Attention" not in text
    assert "Texte original." in text


def test_easy_read_says_it_is_not_yet_tested_with_readers(built):
    config, _ = built
    for fmt in SIZES:
        text = page_one(config, "fr@falc", fmt)
        assert "ce texte n’est pas encore testé par des lecteurs" in text.replace("'", "’")
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
    source = EASY_MD + " ".join(pdf.page_meta(
        pdf.read_document(config.markdown_path(config.language("fr@falc"), SLUG),
                          config.language("fr@falc"), SLUG),
        pdf.FORMATS[0], config.site_url)["notice"])
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
    other = make_project(tmp_path, config.site_url)
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
    with pytest.raises(pdf.PdfError, match="no front matter"):
        pdf.build_pdfs(config)


def test_pdf_command_is_registered_and_reports_missing_languages(tmp_path, capsys):
    import argparse

    config = make_project(tmp_path)
    shutil.rmtree(config.markdown_path(config.language("en"), SLUG).parent)
    parser = argparse.ArgumentParser()
    pdf.add_commands(parser.add_subparsers())
    args = parser.parse_args(["pdf"])
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
