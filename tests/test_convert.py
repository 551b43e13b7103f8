"""Conversion to canonical Markdown: golden files, every pandoc format, bad input."""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pypandoc
import pytest

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
