"""Publishing: build the whole site beside the published one, then swap them in one step.

Why: MkDocs cleans its ``site_dir`` in place, so a build killed or failing
half-way used to leave readers an empty or half-built ``site/``. Here the
site stage (pages, assets, PDFs under ``downloads/``) writes into a staging
folder next to ``site/`` (``.site.staging``, same file system), and only a
complete build is swapped in:

- on Linux, ``renameat2(RENAME_EXCHANGE)`` exchanges the two folders
  atomically: at every instant ``site/`` is the old site or the new one;
- elsewhere, ``site/`` is renamed to ``.site.old`` and the staging folder to
  ``site/``; a build killed between those two renames leaves ``.site.old``
  whole, and the next run puts it back before doing anything else.

The previous site (now in the staging folder) is then deleted. Leftovers of a
killed build (a half-built staging folder) are removed at the next run.
Because the whole site is rebuilt from ``build/markdown/`` each time, it
mirrors the current sources exactly: a deleted text's pages, navigation entry
and PDFs are simply not in the new site.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from lisible import fsio
from lisible.config import Config
from lisible.document import MANIFEST, downloads_dir

T = TypeVar("T")
_RENAME_EXCHANGE = 2  # linux/fs.h


def staging_dir(site_dir: Path) -> Path:
    """The folder the next site is built in: hidden, beside ``site_dir``."""
    return site_dir.with_name(f".{site_dir.name}.staging")


def old_dir(site_dir: Path) -> Path:
    """Where the published site waits during a non-atomic swap."""
    return site_dir.with_name(f".{site_dir.name}.old")


def recover(site_dir: Path) -> None:
    """Undo what a killed publish left: restore ``site/`` if only its old copy exists.

    Then remove the half-built staging folder and any old copy.
    """
    old = old_dir(site_dir)
    if old.is_dir() and not site_dir.exists():
        os.rename(old, site_dir)
    for leftover in (old, staging_dir(site_dir)):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)


def fresh_staging(site_dir: Path) -> Path:
    """An empty staging folder with an ordinary mode (not mkdtemp's 0700)."""
    recover(site_dir)
    staging = staging_dir(site_dir)
    staging.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir(mode=fsio.dir_mode())
    os.chmod(staging, fsio.dir_mode())  # mkdir's mode is masked; make it explicit
    return staging


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where not supported."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (38, 22, 95):  # ENOSYS, EINVAL (file system without it), EOPNOTSUPP
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(staging: Path, site_dir: Path) -> None:
    """Make ``staging`` the published ``site_dir``; the previous site is deleted."""
    if not site_dir.exists():
        os.rename(staging, site_dir)
        return
    if not site_dir.is_dir() or site_dir.is_symlink():
        raise OSError(f"{site_dir} is not a folder; lisible only replaces its own site folder")
    if _exchange(staging, site_dir):
        shutil.rmtree(staging)
        return
    old = old_dir(site_dir)
    os.rename(site_dir, old)
    os.rename(staging, site_dir)
    shutil.rmtree(old)


def publish(config: Config, build: Callable[[Config], T]) -> T:
    """Run ``build`` on a copy of ``config`` whose ``site_dir`` is a fresh staging folder,
    then swap the result in. If ``build`` fails, the published site is untouched.
    """
    staging = fresh_staging(config.site_dir)
    try:
        result = build(replace(config, site_dir=staging))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, config.site_dir)
    return result


def publish_site(config: Config):
    """Build the site (pages, assets, PDFs, manifest) and publish it atomically.

    Skipped, MkDocs not even imported, when the published site is the one the
    last build made from the same Markdown, PDFs, catalogues, theme and
    settings (:mod:`lisible.stamps`).
    """
    from lisible import stamps

    stamp, key = stamps.Stamp(config.build_dir, "site", "all"), functools.partial(
        site_key, config)
    before = stamp.fresh(key())
    if isinstance(before, dict):
        from lisible.site import SiteReport

        return SiteReport(**{**before, "site_dir": config.site_dir, "seconds": 0.0,
                             "languages": tuple(before["languages"]),
                             "warnings": tuple(before["warnings"])})
    report = _build_and_publish(config)
    stamp.record(key(), {"languages": list(report.languages), "pages": report.pages,
                         "downloads": report.downloads, "warnings": list(report.warnings)})
    return report


def site_key(config: Config) -> str:
    """Everything the site is made from, and the published site itself."""
    from lisible import stamps

    build = config.build_dir
    return stamps.key_of([build / "markdown", build / "downloads", build / "media",
                          config.locales_dir, config.root / "mkdocs.yml",
                          config.root / "overrides", config.root / "pyproject.toml",
                          config.site_dir], stamps.settings_of(config), stamps.tools("site"))


def _build_and_publish(config: Config):
    from lisible import site

    def build(staged: Config) -> site.SiteReport:
        report = site.build_site(staged)
        manifest = downloads_dir(staged) / MANIFEST
        if report.downloads and manifest.is_file():
            fsio.write_bytes(staged.site_dir / "downloads" / manifest.name, manifest.read_bytes())
        return replace(report, site_dir=config.site_dir)

    return publish(config, build)
