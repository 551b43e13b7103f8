"""No input, setting or system failure wedges the build or destroys data.

Each case here was reproduced on the code before its fix (issue 12): a
traceback, an exit code 0 on failure, a wiped folder, or state that broke
every later build. Expected failures are one line, ``file[:line]: message``,
with a non-zero exit.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lisible import cli, convert, document, fsio, reassemble
from lisible.config import config_from_dict
from lisible.errors import ConversionError

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden" / "convert"
SLUG = "carte-blanche-bruxelles-numerique"
PYPROJECT = ('[project]\nname = "x"\n\n[tool.lisible]\nsource_language = "fr"\n{extra}\n'
             "[tool.other]\nkey = 1\n")  # settings start on line 6


def project(root: Path, extra: str = "") -> Path:
    """A project with one source (the carte blanche) and ``extra`` settings."""
    (root / "content").mkdir(parents=True)
    (root / "locales").mkdir()
    for name in (f"{SLUG}.txt", f"{SLUG}.meta.yml"):
        shutil.copy(GOLDEN / name, root / "content" / name)
    (root / "pyproject.toml").write_text(PYPROJECT.format(extra=extra), "utf-8")
    return root


def run(root: Path, *argv: str) -> int:
    return cli.main(["--root", str(root), *argv])


def one_line(capsys) -> str:
    """stderr, checked to be a single line without a traceback."""
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------- configuration


@pytest.mark.parametrize("setting", [
    'site_dir = "locales"', 'site_dir = "content"', 'site_dir = "."', 'site_dir = ".."',
    'site_dir = "locales/site"', 'build_dir = "content/build"', 'site_dir = "/"',
    'site_dir = "out"\nbuild_dir = "out/build"',
])
def test_output_folders_may_not_overlap_sources_catalogues_or_the_project(tmp_path, capsys,
                                                                           setting):
    root = project(tmp_path, setting)
    run(root, "catalogs")  # with the default folders, to have catalogues to lose
    capsys.readouterr()
    root_files = files(root / "locales")
    assert run(root, "site") == 1
    err = one_line(capsys)
    assert err.startswith(f"{root / 'pyproject.toml'}:6: ") and "_dir" in err
    assert files(root / "locales") == root_files and (root / "content" / f"{SLUG}.txt").exists()


@pytest.mark.parametrize(("text", "expected"), [
    ("content_dir = 5", ":6: content_dir: expected a folder path as text, got 5"),
    ("site_dir = ''", ":6: site_dir: expected a folder path"),
    ("publish_drafts = 'yes'", ":6: publish_drafts: expected bool"),
    ("site_dir = \"a\" x", ":6: not valid TOML"),
])
def test_bad_settings_are_one_line_with_their_line(tmp_path, capsys, text, expected):
    root = project(tmp_path, text)
    assert run(root, "convert") == 1
    err = one_line(capsys)
    where, _, message = expected.partition(": ")
    assert err.startswith(f"{root / 'pyproject.toml'}{where}: error: {message}"), err


def test_a_site_inside_the_build_folder_is_allowed(tmp_path):
    config = config_from_dict(tmp_path, {"site_dir": "build/site"})
    assert config.site_dir == tmp_path / "build" / "site"


# --------------------------------------------------------------------------- sources


def test_a_link_leaving_the_project_is_refused_before_anything_is_written(tmp_path, capsys):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Mot de passe\n\nhunter2 est le mot de passe du serveur.\n")
    root = project(tmp_path / "project")
    (root / "content" / "lien.txt").symlink_to(secret)
    assert run(root, "build") == 1
    err = one_line(capsys)
    assert err.startswith(str(root / "content" / "lien.txt")) and "outside the project" in err
    assert not (root / "build" / "markdown").exists() and files(root / "locales") == {}


def test_a_link_inside_the_project_is_read(tmp_path):
    root = project(tmp_path)
    (root / "texts").mkdir()
    shutil.move(root / "content" / f"{SLUG}.txt", root / "texts" / "original.txt")
    (root / "content" / f"{SLUG}.txt").symlink_to(root / "texts" / "original.txt")
    [result] = convert.convert_all(config_from_dict(root, {}))
    assert result.source.slug == SLUG


def test_a_name_without_a_slug_is_refused_before_anything_is_written(tmp_path, capsys):
    root = project(tmp_path)
    (root / "content" / "日本語.txt").write_text("Titre\n\nUn texte en français.\n", "utf-8")
    assert run(root, "catalogs") == 1
    err = one_line(capsys)
    assert err.startswith(str(root / "content" / "日本語.txt")) and "rename the file" in err
    assert not (root / "build" / "markdown").exists() and files(root / "locales") == {}


def test_state_left_by_a_nameless_source_no_longer_breaks_the_build(tmp_path):
    """Earlier versions wrote build/markdown/fr/.md and locales/.pot; every build then crashed."""
    root = project(tmp_path)
    config = config_from_dict(root, {})
    for path in (config.markdown_path(config.source, ""), config.template_path(""),
                 config.markdown_path(config.language("nl"), "")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\nsource: \"content/日本語.txt\"\n---\n\nUn texte.\n")
    assert run(root, "catalogs") == 0
    reassemble.reassemble_all(config)
    assert sorted(p.name for p in (root / "build" / "markdown" / "fr").iterdir()) == [f"{SLUG}.md"]
    assert not (root / "locales" / ".pot").exists()


def test_a_deleted_source_leaves_nothing_for_later_stages_but_its_catalogues(tmp_path):
    root = project(tmp_path)
    shutil.copy(GOLDEN / "lists-and-headings.txt", root / "content" / "retire.txt")
    config = config_from_dict(root, {})
    assert run(root, "catalogs") == 0
    reassemble.reassemble_all(config)
    po = config.catalog_path(config.language("nl"), "retire")
    po.write_text(po.read_text("utf-8") + "\n# a translator's note\n", "utf-8")
    kept = po.read_bytes()
    (root / "content" / "retire.txt").unlink()
    assert run(root, "catalogs") == 0
    assert not list((root / "build" / "markdown").rglob("retire.md"))
    assert not config.template_path("retire").exists()
    assert po.read_bytes() == kept  # a translator's work is never deleted
    assert config.markdown_path(config.source, SLUG).exists()


def test_a_text_without_a_title_is_titled_after_its_file_and_says_so(tmp_path, capsys):
    """Every later stage needs a title: the convert stage gives one (the file's name) and
    a warning naming the source and where to set a better one, so no later stage fails."""
    root = project(tmp_path)
    (root / "content" / "sans-titre.txt").write_text(
        "un texte sans titre qui commence par une longue phrase en minuscules, et qui continue "
        "encore un peu pour faire un paragraphe.\n\nUne autre phrase, un autre paragraphe.\n")
    assert run(root, "convert") == 0
    out = capsys.readouterr()
    assert "no title found" in out.out + out.err and "sans-titre.meta.yml" in out.out + out.err
    markdown = (root / "build" / "markdown" / "fr" / "sans-titre.md").read_text("utf-8")
    assert 'title: "Sans titre"' in markdown


def test_a_failing_source_never_leaves_state_that_breaks_the_next_build(tmp_path, capsys):
    root = project(tmp_path)
    assert run(root, "catalogs") == 0
    (root / "content" / "casse.docx").write_bytes(b"PK\x03\x04 not really a docx")
    assert run(root, "catalogs") == 1
    one_line(capsys)
    (root / "content" / "casse.docx").unlink()
    assert run(root, "catalogs") == 0


# ------------------------------------------------------------------ system failures


def test_a_full_disk_is_one_line_naming_the_file(tmp_path, capsys, monkeypatch):
    root = project(tmp_path)
    real_mkstemp = fsio.tempfile.mkstemp

    def full_disk(*args, **kwargs):
        fd, name = real_mkstemp(*args, **kwargs)
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), name  # every write: ENOSPC

    monkeypatch.setattr(fsio.tempfile, "mkstemp", full_disk)
    assert run(root, "convert") == 1
    err = one_line(capsys)
    written = root / "build" / "markdown" / "fr" / (SLUG + ".md")
    assert err == f"{written}: error: No space left on device"
    assert not [p for p in root.rglob("*.tmp")]


def test_read_only_catalogues_are_one_line(tmp_path, capsys, monkeypatch):
    root = project(tmp_path)
    real_mkstemp = fsio.tempfile.mkstemp

    def read_only_locales(*args, dir=None, **kwargs):
        if Path(dir).is_relative_to(root / "locales"):  # as on a read-only mount (root ignores
            raise OSError(errno.EROFS, "Read-only file system", dir)  # chmod, so simulated)
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(fsio.tempfile, "mkstemp", read_only_locales)
    assert run(root, "catalogs") == 1
    assert one_line(capsys).endswith(f"{SLUG}.pot: error: Read-only file system")


# ----------------------------------------------------------------------- exit codes


def test_a_missing_project_folder_fails(tmp_path, capsys):
    assert run(tmp_path / "nowhere", "status") == 1
    assert "no such project folder" in one_line(capsys)


def test_pdf_with_nothing_to_typeset_fails(tmp_path, capsys):
    root = project(tmp_path)
    assert run(root, "pdf") == 1
    assert "no Markdown to typeset" in one_line(capsys)


def test_readability_refuses_a_broken_catalogue_like_status_and_check(tmp_path, capsys):
    root = project(tmp_path)
    assert run(root, "catalogs") == 0
    po = root / "locales" / "fr@falc" / f"{SLUG}.po"
    po.write_text(po.read_text("utf-8") + '\nmsgid "cassé\nmsgstr ""\n', "utf-8")
    capsys.readouterr()
    codes = [run(root, *argv) for argv in (["status"], ["check"], ["easyread", "readability"])]
    err = capsys.readouterr().err
    assert codes == [1, 1, 1] and "Traceback" not in err


def test_a_source_too_large_for_pandoc_names_the_file(tmp_path, capsys):
    root = project(tmp_path)
    with (root / "content" / "enorme.txt").open("w") as handle:
        handle.write("Titre\n\n")
        handle.truncate(convert.MAX_SOURCE_BYTES + 1)
    assert run(root, "convert") == 1
    err = one_line(capsys)
    assert err.startswith(str(root / "content" / "enorme.txt")) and "MB" in err


def test_conversion_errors_without_a_place_are_given_the_source(tmp_path, monkeypatch):
    root = project(tmp_path)

    def fails(markdown: str) -> str:
        raise ConversionError("pandoc failed: out of memory")

    monkeypatch.setattr(convert, "normalise", fails)
    with pytest.raises(ConversionError) as caught:
        convert.convert_all(config_from_dict(root, {}))
    assert caught.value.path == root / "content" / f"{SLUG}.txt"


# ------------------------------------------------------------------------- large texts

WORDS = st.sampled_from(["la", "ville", "numérique", "guichet", "Bruxelles", "droit", "*accès*",
                         "**public**", "`code`", "1.", "#", "—", "5 $", "<", "[lien](https://x.be)"])
SENTENCE = st.lists(WORDS, min_size=1, max_size=8).map(lambda w: "Mot " + " ".join(w) + ".")


@st.composite
def documents(draw) -> str:
    """Markdown mixing paragraphs with notes, headings, lists, quotes, code and tables."""
    blocks, notes = [], []
    for kind in draw(st.lists(st.sampled_from("pphlnqct"), min_size=2, max_size=10)):
        text = draw(SENTENCE)
        if kind == "p":
            if draw(st.booleans()):
                notes.append(f"[^n{len(notes)}]: {draw(SENTENCE)}")
                text += f"[^n{len(notes) - 1}]"
            blocks.append(text)
        elif kind == "h":
            blocks.append(f"## {text}")
        elif kind == "l":
            blocks.append("\n".join(f"- {draw(SENTENCE)}" for _ in range(draw(st.integers(1, 3)))))
        elif kind == "n":
            blocks.append("\n".join(f"{i}. {draw(SENTENCE)}" for i in range(3, 5)))
        elif kind == "q":
            blocks.append(f"> {text}")
        elif kind == "c":
            blocks.append(f"```\n{text}\n\n{text}\n```")
        else:
            blocks.append(f"| a | b |\n|---|---|\n| {text} | x |")
    return "\n\n".join(blocks + notes) + "\n"


@settings(max_examples=8)
@given(documents(), st.integers(min_value=2, max_value=4))
def test_normalising_in_pieces_gives_the_same_markdown(markdown, parts):
    whole = convert.normalise(markdown)
    assert convert.normalise(markdown, chunk=max(1, len(markdown) // parts)) == whole


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.glob("*.expect.md")))
def test_every_golden_text_normalised_in_small_pieces_is_unchanged(name):
    _, body = document.split_front_matter((GOLDEN / name).read_text("utf-8"), GOLDEN / name)
    assert convert.normalise(body, chunk=300) == convert.normalise(body)


def test_pandoc_gets_a_large_text_in_bounded_pieces(tmp_path, monkeypatch):
    """A 10 MB text took 2.1 GB in one pandoc call; now no call gets more than a piece.

    (Time and memory on 10 MB: ``benchmarks/convert_memory.py``.)
    """
    root = project(tmp_path)
    title, body = (GOLDEN / f"{SLUG}.txt").read_text("utf-8").split("\n", 1)
    (root / "content" / f"{SLUG}.txt").write_text(title + "\n\n" + "\n".join([body] * 12))
    sizes = []
    real = convert._pandoc_text

    def recorded(text: str, fmt: str, *args, **kwargs) -> str:
        if fmt != "json":  # the JSON of a piece's own syntax tree, on its way back
            sizes.append(len(text))
        return real(text, fmt, *args, **kwargs)

    monkeypatch.setattr(convert, "_pandoc_text", recorded)
    monkeypatch.setattr(convert, "CHUNK_CHARS", 20_000)
    [result] = convert.convert_all(config_from_dict(root, {}))
    longest_paragraph = max(len(p) for p in body.split("\n\n"))
    assert len(sizes) >= 3 and max(sizes) < 20_000 + longest_paragraph + 2_000
    monkeypatch.setattr(convert, "CHUNK_CHARS", 10**9)
    [whole] = convert.convert_all(config_from_dict(root, {}))
    assert result.markdown == whole.markdown


def test_a_strict_build_that_fails_publishes_nothing(tmp_path, capsys):
    """``--strict`` used to return 1 only after ``site/`` was written."""
    root = project(tmp_path)
    for name in (f"{SLUG}.txt", f"{SLUG}.meta.yml"):
        (root / "content" / name).unlink()
    shutil.copy(GOLDEN / "notes-on-two-pages.txt", root / "content" / "court.txt")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("the previous site")
    assert run(root, "--strict", "build") == 1  # no translation model is installed
    assert "not published (--strict)" in capsys.readouterr().err
    assert files(root / "site") == {"index.html": b"the previous site"}


_PLAIN = st.text(alphabet=st.sampled_from(list("abcé XYZ012,.;:!?«»’'*_#-|\\^`~>\n[]()<")),
                 max_size=200)


@given(_PLAIN)
@settings(max_examples=150, deadline=None)
def test_the_one_run_shortcut_writes_what_the_syntax_tree_route_writes(markdown):
    """Text with nothing strip_unsafe could remove skips the JSON round trip: same bytes."""
    assert convert._rewrite(markdown) == convert._rewrite_via_ast(markdown)


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.glob("*.expect.md")))
def test_the_one_run_shortcut_on_every_golden_text(name):
    _, body = (GOLDEN / name).read_text("utf-8").split("\n---\n", 1)
    assert convert._rewrite(body) == convert._rewrite_via_ast(body)
