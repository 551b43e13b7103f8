"""Publishing: ordinary file modes, a site swapped in whole, one build at a time.

The kill test runs the real site stage (MkDocs, four languages, PDFs) in a
subprocess and SIGKILLs it at many moments spread over a build; after every
kill, ``site/`` must be exactly the previous site or exactly the new one.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_site import SLUG, make_project

from lisible import cli, fsio, publish
from lisible.config import Config

REPO = Path(__file__).resolve().parent.parent
KILLS = 8  # kill points per run; each costs up to one site build (~3 s)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path, with its SHA-256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def not_world_readable(folder: Path) -> list[str]:
    """Files and folders a web server running as another user could not read."""
    bad = []
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        need = stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0)
        if mode & need != need:
            bad.append(f"{path.relative_to(folder.parent)} {oct(mode & 0o777)}")
    return bad


def site_command(root: Path) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "--root", str(root), "site"]


def subprocess_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_written_files_get_the_mode_of_an_ordinary_open(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        fsio.write_text(tmp_path / "new.md", "texte\n")
        (tmp_path / "old.md").write_text("texte\n")
        os.chmod(tmp_path / "old.md", 0o600)  # as written by earlier versions
        fsio.write_text(tmp_path / "old.md", "texte\n")  # unchanged bytes
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o666 & ~mask
    assert stat.S_IMODE((tmp_path / "old.md").stat().st_mode) == 0o666 & ~mask


def test_every_published_file_is_world_readable(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    old = os.umask(0o022)
    try:
        report = publish.publish_site(config)
    finally:
        os.umask(old)
    assert report.downloads == 2 and report.site_dir == config.site_dir
    assert (config.site_dir / "downloads" / f"{SLUG}-nl-a4.pdf").is_file()
    assert not_world_readable(config.site_dir) == []
    assert not list(tmp_path.glob(".site.*"))  # no staging folder left


def test_temp_files_of_a_killed_build_are_removed_at_the_next_run(tmp_path: Path) -> None:
    config = make_project(tmp_path, with_pdfs=False)
    stale = [config.build_dir / "markdown" / "fr" / f".{SLUG}.md.k3x_9abc.tmp",
             config.locales_dir / "nl" / ".doc.po.a1b2c3d4.tmp"]
    keep = config.locales_dir / "notes.tmp"  # not one of ours
    for path in [*stale, keep]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half")
    assert cli.main(["--root", str(tmp_path), "convert"]) == 0
    assert [p.exists() for p in stale] == [False, False] and keep.exists()


def test_a_second_build_at_once_says_so_in_one_line(tmp_path: Path, capsys) -> None:
    config = make_project(tmp_path, with_pdfs=False)
    with fsio.project_lock(config.build_dir / ".lock"):
        code = cli.main(["--root", str(tmp_path), "site"])
    err = capsys.readouterr().err.strip()
    assert code == 1 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "another build of this project is running" in err
    assert not config.site_dir.exists()
    assert cli.main(["--root", str(tmp_path), "status"]) == 0  # reading needs no lock


def test_a_failed_site_build_leaves_the_published_site(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    publish.publish_site(config)
    before = snapshot(config.site_dir)
    # MkDocs in strict mode fails at the end of a build, once it has written the site
    with (tmp_path / "mkdocs.yml").open("a") as handle:
        handle.write("\nstrict: true\n")
    _change_the_text(config, "Voir [la suite](nulle-part.md).")
    assert cli.main(["--root", str(tmp_path), "site"]) == 1
    assert snapshot(config.site_dir) == before
    assert not list(tmp_path.glob(".site.*"))


def _change_the_text(config: Config, paragraph: str = "Un paragraphe de plus.") -> None:
    path = config.markdown_path(config.source, SLUG)
    text = path.read_text("utf-8")
    path.write_text(text.rstrip("\n") + f"\n\n{paragraph}\n", "utf-8")


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    started = time.perf_counter()
    subprocess.run(site_command(tmp_path), env=subprocess_env(), check=True,
                   capture_output=True, timeout=300)
    duration = time.perf_counter() - started
    old = snapshot(config.site_dir)
    _change_the_text(config)
    rng = random.Random(12)  # fixed: the same kill points in every run
    seen = []
    for _ in range(KILLS):
        process = subprocess.Popen(site_command(tmp_path), env=subprocess_env(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        seen.append(snapshot(config.site_dir))
    subprocess.run(site_command(tmp_path), env=subprocess_env(), check=True,
                   capture_output=True, timeout=300)
    new = snapshot(config.site_dir)
    assert new != old and len(new) > 20
    kinds = ["old" if s == old else "new" if s == new else "broken" for s in seen]
    assert "broken" not in kinds, kinds
    assert not list(tmp_path.glob(".site.*"))  # the last run cleared the leftovers
