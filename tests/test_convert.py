"""Conversion to canonical Markdown: golden files, every pandoc format, bad input."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pypandoc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lisible import cli, convert
from lisible.config import config_from_dict
from lisible.errors import ConversionError

GOLDEN = Path(__file__).parent / "golden" / "convert"
TEXT_CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))
# Made with pandoc in the test. RTF is not: pandoc's RTF reader loses characters of its own
# writer's output, so the RTF case is a file as a word processor writes it.
PANDOC_FORMATS = ["docx", "odt", "html", "epub", "md"]


def project(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    return tmp_path


def convert_one(path: Path) -> str:
    """Canonical Markdown of one file, as if it were content/<name>."""
    fmt = convert.PANDOC_FORMATS.get(path.suffix) or convert.TEXT_FORMATS[path.suffix]
    source = convert.Source(path, f"content/{path.name}", convert.slugify(path.stem), fmt)
    return convert.convert_source(source).markdown


@pytest.mark.parametrize("case", TEXT_CASES)
def test_text_reader_golden(case: str, golden) -> None:
    golden(GOLDEN / f"{case}.expect.md", convert_one(GOLDEN / f"{case}.txt"))


def test_carte_blanche_structure() -> None:
    markdown = convert_one(GOLDEN / "carte-blanche-bruxelles-numerique.txt")
    body = markdown.split("---\n", 2)[2].strip()
    blocks = body.split("\n\n")
    paragraphs = [b for b in blocks if not b.startswith("[^")]
    notes = [b for b in blocks if b.startswith("[^")]
    assert len(paragraphs) == 8
    assert all(p.rstrip().endswith((".", "…)")) for p in paragraphs)  # none cut mid-sentence
    assert "numérique 2022[^1], aujourd’hui" in body
    assert "aux droits.\u202f»[^2] et elles" in body
    assert "<https://kbs-frb.be/fr/barometre-inclusion-numerique-2022>" in notes[0]
    assert "<https://clerfayt.brussels/fr/pas-question-dabandonner-citoyen-face-numerique>" in (
        notes[1])
    assert "[1]" not in body and "20221" not in body
    assert 'title: "«\u202fBruxelles numérique\u202f»\u202f: une mesure discriminatoire"' in (
        markdown)
    assert 'kicker: "Carte blanche"' in markdown


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"[\w’-]+|[«»:;!?.,()…]", text))


def test_words_are_unchanged() -> None:
    """Every word of the source is in the Markdown, once; only note markers are split off."""
    source = (GOLDEN / "carte-blanche-bruxelles-numerique.txt").read_text("utf-8")
    markdown = convert_one(GOLDEN / "carte-blanche-bruxelles-numerique.txt")
    body = markdown.split("---\n", 2)[2]
    expected = source.replace("20221 [1]", "2022").replace("»2", "»").replace("-\nfrb", "-frb")
    expected = re.sub(r"^\d ", "", expected, flags=re.M)  # the number opening each note
    found = re.sub(r"\[\^\d+\]:?|[<>]", " ", body)
    title_line = source.splitlines()[1]
    assert _words(expected) == _words(found) + _words(title_line)


@pytest.mark.parametrize("fmt", PANDOC_FORMATS)
def test_pandoc_formats_golden(fmt: str, tmp_path: Path, golden) -> None:
    source = GOLDEN / "pandoc-source.md"
    target = tmp_path / f"pandoc-{fmt}.{fmt}"
    if fmt == "md":
        shutil.copy(source, target)
    else:
        pypandoc.convert_file(str(source), fmt, outputfile=str(target), format="markdown",
                              extra_args=["--standalone"])
    markdown = convert_one(target).replace(f"pandoc-{fmt}.{fmt}", "SOURCE")
    golden(GOLDEN / f"pandoc-{fmt}.expect.md", markdown)
    assert "[^1]" in markdown and "kbs-frb.be" in markdown


def test_rtf_golden(golden) -> None:
    markdown = convert_one(GOLDEN / "word-processor.rtf")
    golden(GOLDEN / "word-processor.expect.md", markdown)
    assert "d’égalité.[^1]" in markdown and "[^1]: Articles 10 et 11" in markdown


def test_convert_writes_once(tmp_path: Path) -> None:
    root = project(tmp_path)
    shutil.copy(GOLDEN / "single-spaced.txt", root / "content" / "Un Guichet.txt")
    config = config_from_dict(root, {})
    convert.convert_all(config)
    target = root / "build" / "markdown" / "fr" / "un-guichet.md"
    first = target.stat().st_mtime_ns
    os.utime(target, ns=(first - 10**9, first - 10**9))
    convert.convert_all(config)
    assert target.stat().st_mtime_ns == first - 10**9  # not rewritten


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings(encoding: str, tmp_path: Path) -> None:
    path = project(tmp_path) / "content" / "ancien.txt"
    path.write_bytes("Un texte élémentaire, déjà « ancien ».\n".encode(encoding))
    markdown = convert_one(path)
    assert "élémentaire, déjà «\u202fancien\u202f»." in markdown


BAD_INPUTS = {
    "notes.xyz": (b"hello", "unknown extension '.xyz'"),
    "vide.txt": (b"", "the file is empty"),
    "blancs.txt": (b"  \n\n ", "the file is empty"),
    "image.txt": (bytes(range(256)) * 4, "binary file"),
    "casse.docx": (b"PK\x03\x04 not really a zip", "pandoc cannot read this docx file"),
    "page.pdf": (b"<!DOCTYPE html><html><body>Bonjour</body></html>", "not a PDF"),
    "coupe.pdf": (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "cannot read this PDF"),
    "vide.pdf": (b"", "the file is empty"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_line(name: str, tmp_path: Path, capsys) -> None:
    root = project(tmp_path)
    shutil.copy(GOLDEN / "single-spaced.txt", root / "content" / "bon.txt")
    data, expected = BAD_INPUTS[name]
    (root / "content" / name).write_bytes(data)
    existing = root / "build" / "markdown" / "fr" / "ancien.md"
    existing.parent.mkdir(parents=True)
    existing.write_text("kept\n")
    code = cli.main(["--root", str(root), "convert"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(str(root / "content" / name)) and expected in err
    assert existing.read_text() == "kept\n"
    assert not (root / "build" / "markdown" / "fr" / "bon.md").exists()  # nothing written


def _damaged(name: str, folder: Path) -> bytes:
    """A real document made here, then damaged as files arrive damaged."""
    import io
    import zipfile

    import pikepdf
    import typst

    source = folder / "source.md"
    source.write_text("# Titre\n\nUn paragraphe de texte.\n", "utf-8")
    if name.endswith(".pdf"):
        (folder / "source.typ").write_text("= Titre\n\n" + "Un paragraphe de texte. " * 60)
        pdf = typst.compile(str(folder / "source.typ"))
        if name == "secret.pdf":
            with pikepdf.open(io.BytesIO(pdf)) as document:
                document.save(folder / "secret.pdf",
                              encryption=pikepdf.Encryption(user="u", owner="o"))
            return (folder / "secret.pdf").read_bytes()
        return pdf[:len(pdf) // 2] if name == "moitie.pdf" else pdf[:-40]
    made = folder / f"made{Path(name).suffix}"
    pypandoc.convert_file(str(source), made.suffix[1:], outputfile=str(made), format="markdown")
    data = made.read_bytes()
    if name.startswith("coupe"):
        return data[:len(data) // 2]
    out = io.BytesIO()  # a whole zip whose main part is cut short
    with zipfile.ZipFile(made) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            part = old.read(item.filename)
            new.writestr(item, part[:len(part) // 2] if item.filename in (
                "content.xml", "word/document.xml") else part)
    return out.getvalue()


DAMAGED = {"moitie.pdf": "the file is cut short", "sans-fin.pdf": "cannot read this PDF",
           "secret.pdf": "protected by a password", "coupe.odt": "cannot read this odt",
           "xml-casse.odt": "cannot read this odt", "coupe.docx": "cannot read this docx",
           "xml-casse.docx": "cannot read this docx"}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_damaged_document_is_one_line_and_exit_1_from_build_py(name: str, tmp_path: Path
                                                                ) -> None:
    """Through ``build.py convert`` in its own process: pdfminer, pypdf and pandoc print nothing."""
    import subprocess
    import sys

    (tmp_path / "projet").mkdir()
    root = project(tmp_path / "projet")
    (root / "content" / name).write_bytes(_damaged(name, tmp_path))
    done = subprocess.run([sys.executable, str(Path(__file__).parent.parent / "build.py"),
                           "--root", str(root), "convert"], capture_output=True, text=True)
    assert done.returncode == 1 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(f"{root / 'content' / name}: "), done.stderr
    assert DAMAGED[name] in done.stderr and "Pandoc died" not in done.stderr


def test_same_slug_twice(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "content" / "texte.txt").write_text("Bonjour.\n")
    (root / "content" / "Texte.md").write_text("Bonjour.\n")
    with pytest.raises(ConversionError, match="same slug"):
        convert.find_sources(config_from_dict(root, {}))


def test_every_command_has_help(capsys) -> None:
    parser = cli._parser()
    actions = [a for a in parser._actions if a.dest == "command"]
    for name, sub in actions[0].choices.items():
        assert sub.description or actions[0]._name_parser_map[name], name
    helps = {a.dest: a.help for a in actions[0]._choices_actions}
    assert all(helps.values()), helps


FIRST = ("Le guichet doit rester ouvert pour toutes les personnes qui en ont bes"
         "oin, chaque jour ouvrable de la semaine, avec des horaires adaptés aux"
         " personnes qui travaillent et une vraie personne pour écouter.")
SECOND = ("Une deuxième idée tient en une phrase un peu plus longue que la ligne,"
          " pour que le texte revienne à la ligne.")


def test_pdf_source_goes_through_the_text_reader(tmp_path: Path) -> None:
    """A real PDF (typeset here by typst) is extracted by pypdf, then read like a .txt."""
    import typst

    source = tmp_path / "source.typ"
    source.write_text(
        '#set page(width: 12cm, height: 10cm)\n#set text(lang: "fr")\n'
        + FIRST + "\n\n" + SECOND + "\n",
        "utf-8",
    )
    path = project(tmp_path) / "content" / "tract.pdf"
    typst.compile(str(source), output=str(path))
    markdown = convert_one(path)
    body = markdown.split("---\n", 2)[2].strip().split("\n\n")
    assert body == [FIRST, SECOND]


# ------------------------------------------------------------ issue 14: faithful readers


def convert_text(tmp_path: Path, text: str, name: str = "texte.txt", meta: str = "") -> str:
    path = project(tmp_path) / "content" / name
    path.write_text(text, "utf-8")
    if meta:
        path.with_name(path.stem + ".meta.yml").write_text(meta, "utf-8")
    return convert_one(path)


LONG = ("Ce paragraphe est assez long pour remplir une ligne entière de texte extrait, comme"
        " le ferait un vrai document, et il se termine par un point.")


def test_numero_is_not_a_note_marker(tmp_path: Path) -> None:
    """"n°1, n°2 et n°3" then a numbered list: a list, not three footnotes."""
    text = (f"Titre du texte\n\n{LONG}\nIl faut les formulaires n°1, n°2 et n°3 :\n\n"
            "1 le formulaire de demande\n2 la preuve de revenus\n3 la composition de ménage\n")
    markdown = convert_text(tmp_path, text)
    assert "[^" not in markdown
    assert "le formulaire de demande" in markdown and "la composition de ménage" in markdown


def test_year_is_not_a_marker_and_a_lone_note_is_kept(tmp_path: Path) -> None:
    """"19001" is a number, not 1900 + note 1; a note with no marker stays as text."""
    text = (f"Titre du texte\n\n{LONG}\nLa norme 19001 s’applique depuis longtemps.\n\n"
            "1 Une note dont le renvoi a disparu.\n")
    markdown = convert_text(tmp_path, text)
    assert "19001" in markdown and "Une note dont le renvoi a disparu." in markdown
    assert "[^" not in markdown


def test_note_not_used_fails_instead_of_losing_text() -> None:
    with pytest.raises(ConversionError, match="a note would be lost"):
        convert.normalise("Un texte.\n\n[^1]: Une note sans renvoi.\n")


def test_table_numbers_are_not_page_numbers(tmp_path: Path) -> None:
    """pdftotext gives a table one cell a line: numbers between text lines are data."""
    text = (f"Titre du texte\n\n{LONG}\n\nCommune\nPermanences\nAnderlecht\n12\nIxelles\n8\n"
            "Molenbeek\n10\nTotal des permanences.\n")
    markdown = convert_text(tmp_path, text)
    assert "Anderlecht 12 Ixelles 8 Molenbeek 10 Total" in markdown


def test_lone_acronym_is_not_a_heading(tmp_path: Path) -> None:
    text = f"Titre du texte\n\n{LONG}\n\nCPAS\n\n{LONG}\n"
    markdown = convert_text(tmp_path, text)
    assert "## Cpas" not in markdown and "CPAS" in markdown


def test_short_first_paragraph_kept_when_meta_sets_title(tmp_path: Path) -> None:
    text = f"Bruxelles, le 3 mars 2025\n\n{LONG}\n"
    markdown = convert_text(tmp_path, text, meta='title: "Un guichet pour tous"\n')
    assert 'title: "Un guichet pour tous"' in markdown
    assert "Bruxelles, le 3 mars 2025" in markdown.split("---\n", 2)[2]


def test_renumbered_list_is_written_as_it_was(tmp_path: Path) -> None:
    """Items 1, 3, 4 (one lost in extraction): pandoc must not make them 1, 2, 3."""
    text = f"Titre du texte\n\n{LONG}\n\n1. premier point\n3. troisième point\n4. dernier point\n"
    markdown = convert_text(tmp_path, text)
    assert "3\\. troisième point" in markdown and "4\\. dernier point" in markdown


@pytest.mark.parametrize("name", ["texte.txt", "texte.md"])
def test_dutch_gets_no_french_spacing(tmp_path: Path, name: str) -> None:
    text = (f"Titel van de tekst\n\n{LONG}\n"
            "Wat willen de burgers? Een « Brussel Digitaal » voor iedereen.\n")
    markdown = convert_text(tmp_path, text, name, meta="lang: nl-BE\n")
    assert "burgers? Een « Brussel Digitaal » voor" in markdown
    assert "\u202f" not in markdown


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "odt"])
def test_guillemets_get_one_narrow_space(tmp_path: Path, fmt: str) -> None:
    """Typed with ordinary spaces, or none, or already narrow: always exactly one U+202F."""
    source = tmp_path / "source.md"
    source.write_text("Le « digital par défaut », le «tout numérique» et « en\u202fligne ».\n",
                      "utf-8")
    target = project(tmp_path) / "content" / f"texte.{fmt}"
    pypandoc.convert_file(str(source), fmt, outputfile=str(target), format="markdown",
                          extra_args=["--standalone", "--metadata", "title=T"])
    markdown = convert_one(target)
    assert ("«\u202fdigital par défaut\u202f», le «\u202ftout numérique\u202f» et"
            " «\u202fen\u202fligne\u202f»") in markdown


def test_sentence_case_is_linear() -> None:
    """Many headings over a large body: the body's words are collected once (was quadratic)."""
    from lisible import textreader

    body = frozenset({"CPAS", "Bruxelles"})
    assert textreader._sentence_case("LE CPAS DE BRUXELLES", body) == "Le CPAS de bruxelles"


def _png(width: int, height: int) -> bytes:
    """A small red PNG, written by hand (no imaging library needed)."""
    import struct
    import zlib

    raw = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def docx_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    """content/affiche.docx with an image (and a comment and a tracked change), converted."""
    root = tmp_path_factory.mktemp("docx")
    (root / "content").mkdir()
    (root / "plan.png").write_bytes(_png(40, 20))
    (root / "source.md").write_text(
        "Le plan du guichet est ci-dessous.\n\n![Plan du guichet de la commune](plan.png)\n\n"
        "Un [texte commenté]{.comment-start id=\"1\" author=\"A\"}[]{.comment-end id=\"1\"}"
        " et [un ajout]{.insertion author=\"A\" date=\"2025-01-01T00:00:00Z\"}.\n", "utf-8")
    pypandoc.convert_file(str(root / "source.md"), "docx",
                          outputfile=str(root / "content" / "affiche.docx"), format="markdown",
                          extra_args=["--standalone", "--metadata", "title=Une affiche",
                                      f"--resource-path={root}"])
    results = convert.convert_all(config_from_dict(root, {}))
    return root, results


def test_docx_images_are_extracted_into_the_build(docx_project) -> None:
    root, _ = docx_project
    markdown = (root / "build" / "markdown" / "fr" / "affiche.md").read_text("utf-8")
    match = re.search(r"!\[Plan du guichet de la commune\]\((media/affiche/[^)]+)\)", markdown)
    assert match, markdown
    assert (root / "build" / match.group(1)).read_bytes() == _png(40, 20)


def test_comments_and_tracked_changes_are_announced(docx_project) -> None:
    _, results = docx_project
    lines = results[0].describe().splitlines()
    assert any("warning: tracked changes were present" in line for line in lines)
    assert any("warning: comments were present" in line for line in lines)


def test_docx_images_reach_the_pdf_and_the_site(docx_project) -> None:
    import pikepdf

    from lisible import pdf, site

    root, _ = docx_project
    config = config_from_dict(root, {})
    infos = pdf.build_pdfs(config, formats=pdf.FORMATS[:1])
    with pikepdf.open(config.build_dir / "downloads" / infos[0].file) as document:
        images = [image for page in document.pages for image in page.get_images()]
    assert images
    repo = Path(__file__).resolve().parent.parent
    shutil.copy(repo / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(repo / "overrides", root / "overrides")
    site.build_site(config)
    published = list(config.site_dir.rglob("media/affiche/*.png"))
    assert published and published[0].read_bytes() == _png(40, 20)
    page = next(config.site_dir.rglob("affiche/index.html")).read_text("utf-8")
    assert 'alt="Plan du guichet de la commune"' in page


def test_a_document_without_title_still_builds(tmp_path: Path) -> None:
    """No title in the .docx nor in .meta.yml: the file name, and a warning saying so."""
    root = project(tmp_path)
    (tmp_path / "source.md").write_text("Un texte sans titre.\n", "utf-8")
    pypandoc.convert_file(str(tmp_path / "source.md"), "docx",
                          outputfile=str(root / "content" / "affiche_sans-titre.docx"),
                          format="markdown")
    result = convert.convert_all(config_from_dict(root, {}))[0]
    assert 'title: "Affiche sans titre"' in result.markdown
    assert "warning: no title found" in result.describe()


COMPLEX_TABLE = """<table><tr><th>Commune</th><th>Aide</th></tr>
<tr><td><p>Anderlecht</p><p>centre</p></td><td><strong>oui</strong> et <em>non</em></td></tr>
<tr><td colspan="2">Total des deux</td></tr>
<tr><td rowspan="2"><ul><li>un</li><li>deux</li></ul></td><td>3</td></tr>
<tr><td>4</td></tr></table>
"""


@pytest.mark.parametrize("fmt", ["html", "docx", "odt"])
def test_complex_tables_are_pipe_tables_never_raw_html(tmp_path: Path, fmt: str) -> None:
    """Paragraphs, lists and merged cells in a table: a pipe table, every word in its column."""
    source = tmp_path / "table.html"
    source.write_text(COMPLEX_TABLE, "utf-8")
    target = project(tmp_path) / "content" / f"tableau.{fmt}"
    pypandoc.convert_file(str(source), fmt, outputfile=str(target), format="html",
                          extra_args=["--standalone", "--metadata", "title=T"])
    body = convert_one(target).split("---\n", 2)[2]
    assert "<" not in body and "{=html}" not in body
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in body.strip().splitlines()
            if line.startswith("|") and not set(line) <= set("|-: ")]
    assert rows[0] == ["Commune", "Aide"]
    assert ["Anderlecht centre", "**oui** et *non*"] in rows
    assert ["Total des deux", ""] in rows
    assert ["un; deux", "3"] in rows and ["", "4"] in rows


def test_large_texts_are_normalised_in_pieces_exactly_as_in_one_run() -> None:
    """Pieces written in parallel give the same bytes as one pandoc run: notes, lists, tables."""
    blocks = []
    for n in range(1, 41):
        blocks.append(f"## Partie {n}" if n % 7 == 0 else
                      f"Paragraphe {n} avec une note[^{n}] et *un mot* « cité » : voilà.")
        if n % 9 == 0:
            blocks.append("- un\n- deux")
        if n % 13 == 0:
            blocks.append("| a | b |\n|---|---|\n| 1 | 2 |")
    blocks.append("Le même renvoi encore[^3].")
    notes = [f"[^{n}]: Note {n}, <https://example.org/{n}>." for n in range(1, 41) if n % 7]
    markdown = "\n\n".join(blocks + notes) + "\n"
    body, _ = convert._split_notes(convert._blocks(markdown))
    assert len(convert._pieces(body, 300)) > 3
    assert convert.normalise(markdown, chunk=300) == convert.normalise(markdown)


def test_text_route_unbreaks_words_the_text_writes_whole(tmp_path: Path) -> None:
    """"de-" + "puis" is "depuis" when the text writes "depuis" elsewhere; compounds stay."""
    text = ("Titre du texte\n\n"
            "Depuis des années, rien ne change et la situation reste la même de-\n"
            "puis le début. Le micro-biote est un mot composé que le texte écrit, et le micro-\n"
            "biote reste composé ici aussi, comme le mot depuis reste entier dans la phrase.\n")
    markdown = convert_text(tmp_path, text)
    assert "même depuis le début" in markdown and "le micro-biote reste" in markdown


# ------------------------------------------------ paragraphs pandoc need not read

_RISKY = st.lists(st.sampled_from(
    [*"aZé19²,.;:!?'’«»\"()%/–—…-*_#|\\^`~<>[]{}&@$+=", " ", " ", "  ", "\u00a0", "\u202f",
     "\u0301", "\t", "😀", "[^1]", "<https://x.org/a>", "<http://e.x->", "<https://a.b/?q=1>",
     "<http://x.org:80>", "<mailto:a@b.c>", "<https://x.org/é>"]), max_size=14).map("".join)
_SAFE = st.lists(st.sampled_from(["mot", "É", "2022", "²", " ", "\u00a0", "\u202f", ",", ".", ";",
                                  ":", "!", "?", "’", "«", "»", "(", ")", "%", "/", "–", "…",
                                  '"', "-", " <https://kbs-frb.be/fr/a-b_c>",
                                  " <http://x.org>"]), max_size=12).map("".join)
_OPENINGS = st.sampled_from(["", "a", "Le ", "IV) ", "b. ", "3. ", "2022 ", "12) ", "Table: ",
                             "table:", "A.", "1.5 ", "# ", "- ", "> ", "    ", ": ", "% "])


@st.composite
def _markdown_around_paragraphs(draw) -> str:
    """Paragraphs, some that pandoc writes unchanged, in every kind of block around them."""
    blocks = []
    for kind in draw(st.lists(st.sampled_from("pppplnqcdthfrxm"), min_size=1, max_size=9)):
        text = draw(st.one_of(st.sampled_from(["", "Le "]), _OPENINGS)) + draw(
            st.one_of(_SAFE, _SAFE, _RISKY))
        blocks.append({
            "p": text, "l": f"- un\n- {text}", "n": f"3. un\n4. {text}", "q": f"> {text}",
            "c": f"```\n{text}\n\n{text}\n```", "d": f"{text}\n\n:   une définition",
            "t": f"| a | b |\n|---|---|\n| 1 | 2 |\n\n{text}", "h": f"## {text}",
            "f": f"Voir[^1].\n\n[^1]: {text}\n\n    {text}", "r": f"<!--\n\n{text}\n\n-->",
            "x": f"<div>\n\n{text}\n\n</div>",
            "m": f"----------\nUn\n\n{text}\n\nDeux\n----------",
        }[kind])
    return "\n\n".join(blocks) + "\n"


@given(_markdown_around_paragraphs())
@settings(max_examples=120, deadline=None)
def test_paragraphs_set_aside_come_back_as_pandoc_writes_them(markdown: str) -> None:
    """Pandoc reads only what it could change; the bytes are those of the full syntax tree route."""
    assert convert._rewrite(markdown) == convert._rewrite_via_ast(markdown)


@given(st.lists(st.sampled_from([*"aZé09²,.;:!?'’‘«»“”\"()%/–—…-", " ", "\u00a0", "\u202f",
                                 "<https://x.org/a-b>", "<http://a.b.c>", "<https://e.x->"]),
                min_size=1, max_size=30).map("".join))
@settings(max_examples=60, deadline=None)
def test_a_paragraph_set_aside_is_one_pandoc_writes_unchanged(text: str) -> None:
    if convert._as_is(text):
        assert convert._pandoc_text(text, convert.MARKDOWN_READER, convert.WRITER) == text + "\n"


def test_a_set_aside_paragraph_pandoc_drops_is_dropped() -> None:
    """In a comment the token is gone with the paragraph: the whole text goes through pandoc."""
    markdown = "Avant.\n\n<!--\n\nCaché\n\n-->\n\nAprès.\n"
    compact, kept = convert._set_aside(markdown)
    assert kept.paragraphs == ("Avant.", "Caché", "Après.") and "Caché" not in compact
    assert convert._rewrite(markdown) == "Avant.\n\nAprès.\n"


def test_a_paragraph_that_is_a_table_row_goes_to_pandoc_with_its_table() -> None:
    """A multiline table's middle row looks like a paragraph; its cells are padded to its width."""
    row = "Une rangée bien plus large que les autres"
    markdown = f"----------\nUn\n\n{row}\n\nDeux\n----------\n"
    assert convert._set_aside(markdown)[1].paragraphs == (row,)
    assert convert._rewrite(markdown) == convert._rewrite_via_ast(markdown)
    assert f"| {row} |" in convert._rewrite(markdown)


def test_pdf_images_are_kept_in_place_without_description(tmp_path: Path) -> None:
    """An image drawn between two paragraphs comes out there, as a PNG under media/<slug>/."""
    import struct

    import typst

    (tmp_path / "plan.png").write_bytes(_png(40, 20))
    (tmp_path / "tract.typ").write_text(
        f'#set text(lang: "fr")\n{FIRST}\n\n#image("plan.png", width: 4cm)\n\n{SECOND}\n', "utf-8")
    (tmp_path / "projet").mkdir()
    root = project(tmp_path / "projet")
    typst.compile(str(tmp_path / "tract.typ"), output=str(root / "content" / "tract.pdf"))
    [result] = convert.convert_all(config_from_dict(root, {}))
    body = result.markdown.split("---\n", 2)[2].strip().split("\n\n")
    assert body == [FIRST, "![](media/tract/page1-1.png)", SECOND]
    image = (root / "build" / "media" / "tract" / "page1-1.png").read_bytes()
    assert image.startswith(b"\x89PNG") and struct.unpack(">II", image[16:24]) == (40, 20)
    assert any("no description" in warning for warning in result.warnings)


def test_a_pdf_of_images_only_still_needs_ocr(tmp_path: Path) -> None:
    import typst

    (tmp_path / "scan.png").write_bytes(_png(30, 40))
    (tmp_path / "scan.typ").write_text('#image("scan.png", width: 10cm)\n', "utf-8")
    (tmp_path / "projet").mkdir()
    path = project(tmp_path / "projet")
    typst.compile(str(tmp_path / "scan.typ"), output=str(path / "content" / "scan.pdf"))
    with pytest.raises(ConversionError, match="no text found"):
        convert_one(path / "content" / "scan.pdf")


@given(st.lists(st.sampled_from(["1", "2", "12", "2022", "19001", "[3]", "[12]", " ", "n°", "no",
                                 "Nr", "º", "mot", "»", ".", "\n", "٣"]), max_size=20).map("".join),
       st.integers(min_value=1, max_value=99))
@settings(max_examples=300, deadline=None)
def test_note_markers_found_in_one_pass_are_those_a_search_per_note_finds(flow, number) -> None:
    """The body is read once for all notes (a search per note was quadratic): same answers."""
    from lisible import textreader

    searched = re.search(rf"\[{number}\]|(?<=[^\s\d°º])(?<!\bn[or])(?<!\bN[or]){number}(?![\d])",
                         flow)
    assert (str(number) in textreader._markers(flow)) == bool(searched)
