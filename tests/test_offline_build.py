"""The whole build, offline, with translation models installed, run twice.

Runs ``build.py`` in a subprocess whose connections are refused (and, where
``unshare -n`` works, in a network namespace with no network at all), on a
project of two sources with the tiny argos packages of ``argos_package``.
Then deletes one source and builds again: its pages, navigation entry and
PDFs must be gone from ``site/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from argos_package import build_package
from test_publish import not_world_readable

from lisible import models
from lisible.config import config_from_dict

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden" / "convert"
SLUG = "garde"  # the text that stays

# Loaded by every Python process of the build (PYTHONPATH): any attempt to
# reach the network is written to the log and fails.
SITECUSTOMIZE = '''
import os, socket

def _refuse(*args, **kwargs):
    with open(os.environ["LISIBLE_NET_LOG"], "a") as log:
        log.write(repr(args[:3]) + "\\n")
    raise OSError("network blocked by test")

_connect = socket.socket.connect

def _connect_local(self, address):
    if self.family == socket.AF_UNIX:
        return _connect(self, address)
    return _refuse(self, address)

socket.socket.connect = _connect_local
socket.socket.connect_ex = _connect_local
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
'''


def _namespace() -> list[str]:
    """``unshare -n`` when this machine allows it (root or user namespaces), else nothing."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


def offline_build(root: Path, guard: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": f"{guard}{os.pathsep}{REPO}",
           "LISIBLE_NET_LOG": str(guard / "attempts.log"), "SOURCE_DATE_EPOCH": "1700000000"}
    old = os.umask(0o022)
    try:
        return subprocess.run([*_namespace(), sys.executable, str(REPO / "build.py"),
                               "--root", str(root)], env=env, capture_output=True, text=True,
                              timeout=900, check=False)
    finally:
        os.umask(old)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    shutil.copy(GOLDEN / "notes-on-two-pages.txt", root / "content" / f"{SLUG}.txt")
    shutil.copy(GOLDEN / "lists-and-headings.txt", root / "content" / "retire.txt")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    config = config_from_dict(root, {})
    for source, target, sentence in (("fr", "en", "Hello world."), ("en", "nl", "Hallo wereld.")):
        models.install_file(config.models_dir, build_package(tmp_path, source, target, sentence))
    return root


def test_full_build_offline_with_models_then_a_source_deleted(project: Path, tmp_path: Path):
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE)
    site = project / "site"

    first = offline_build(project, guard)
    assert first.returncode == 0, first.stderr[-3000:]
    assert not (guard / "attempts.log").exists()
    assert "no translation model" not in first.stderr
    assert "Hallo wereld." in (project / "locales" / "nl" / f"{SLUG}.po").read_text("utf-8")
    assert (site / "retire" / "index.html").is_file() and (site / "nl" / "retire").is_dir()
    assert len(list((site / "downloads").glob("retire-*.pdf"))) == 12
    assert 'href="retire/"' in (site / "index.html").read_text("utf-8")
    assert not_world_readable(site) == []

    (project / "content" / "retire.txt").unlink()
    second = offline_build(project, guard)
    assert second.returncode == 0, second.stderr[-3000:]
    assert not (guard / "attempts.log").exists()
    assert [p for p in site.rglob("*") if "retire" in p.name] == []
    assert "retire" not in (site / "index.html").read_text("utf-8")
    assert "retire" not in (site / "downloads" / "manifest.json").read_text("utf-8")
    assert len(list((site / "downloads").glob(f"{SLUG}-*.pdf"))) == 12
    assert not list((project / "build").rglob("retire*"))
    assert (project / "locales" / "nl" / "retire.po").exists()  # the translator's work stays
    assert not_world_readable(site) == []
