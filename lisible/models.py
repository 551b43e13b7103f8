"""Argos translation packages, kept in the project and checked before install.

Packages live in ``<models_dir>/packages/`` (``models/`` by default,
git-ignored), never in the user's home: argos reads its settings once, when
``argostranslate.settings`` is first imported, and creates folders under
``~/.local/share``, ``~/.config`` and ``~/.local/cache`` unless told
otherwise. :func:`models_env` therefore sets ``ARGOS_PACKAGES_DIR`` and the
``XDG_*`` variables for that import only, and every argos import in lisible
goes through :func:`argos`.

A ``.argosmodel`` is a zip that argos extracts as given, so
:func:`validate_archive` refuses anything that could write outside the
packages folder or that argos could not load, before argos sees it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lisible.errors import LisibleError

MAX_UNPACKED_BYTES = 4 * 1024**3  # a real transformer-big package is well under 1 GB
INSTALL_HINT = "python build.py models install"


class ModelError(LisibleError):
    """A translation package that cannot be installed or loaded."""


@dataclass(frozen=True)
class PackageInfo:
    """One installed package, as ``models list`` shows it."""

    name: str  # the folder name: "translate-fr_en-1_9"
    from_code: str
    to_code: str
    version: str  # package_version from metadata.json
    license: str  # "" when the package states none
    path: Path

    @property
    def pair(self) -> str:
        return f"{self.from_code}-{self.to_code}"

    def describe(self) -> str:
        licence = self.license or "licence not stated"
        return f"{self.pair}  {self.name}  version {self.version}  ({licence})"


def packages_dir(models_dir: Path) -> Path:
    """Where packages are installed: one folder per package, nothing else."""
    return Path(models_dir) / "packages"


# What argos reads from the environment, once, when ``argostranslate.settings`` is imported.
ARGOS_ENV = ("ARGOS_PACKAGES_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
             "ARGOS_DEVICE_TYPE")


@contextlib.contextmanager
def models_env(models_dir: Path) -> Iterator[Path]:
    """Point argos's environment at ``models_dir`` while inside; yield the packages folder.

    argos's own state (settings, index, downloads) goes to ``models_dir/.argos``,
    outside ``packages/`` because argos treats every folder there as a package.
    On leaving, the variables are as they were: the rest of the process (and
    any program it starts) keeps its own ``XDG_*``.
    """
    models_dir = Path(models_dir).resolve()
    state = models_dir / ".argos"
    saved = {name: os.environ.get(name) for name in ARGOS_ENV}
    os.environ["ARGOS_PACKAGES_DIR"] = str(packages_dir(models_dir))
    for name, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                      ("XDG_CACHE_HOME", "cache")):
        os.environ[name] = str(state / sub)
    os.environ.setdefault("ARGOS_DEVICE_TYPE", "cpu")
    packages_dir(models_dir).mkdir(parents=True, exist_ok=True)
    try:
        yield packages_dir(models_dir)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def argos(models_dir: Path) -> Any:
    """``argostranslate.package``, configured for ``models_dir``.

    argos reads its environment once per process, at the first import of its
    settings; that import happens inside :func:`models_env`. Later, when a
    second project (or a test) uses another folder in the same process, argos's
    module-level folders are realigned rather than silently pointing at the
    first one.
    """
    with models_env(models_dir) as target:
        from argostranslate import package, settings
    state = target.parent / ".argos"
    if Path(settings.package_data_dir).resolve() != target:
        settings.package_data_dir = target
        settings.package_dirs = [target]
        settings.data_dir = state / "data" / "argos-translate"
        settings.config_dir = state / "config" / "argos-translate"
        settings.cache_dir = state / "cache" / "argos-translate"
        settings.downloads_dir = settings.cache_dir / "downloads"
        settings.local_package_index = settings.data_dir / "index.json"
        for folder in (settings.data_dir, settings.config_dir, settings.downloads_dir):
            folder.mkdir(parents=True, exist_ok=True)
    return package


def _read_metadata(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise ModelError(f"unreadable metadata.json: {error}", path) from None
    if not isinstance(data, dict):
        raise ModelError("metadata.json is not a JSON object", path)
    return data


def _licence(metadata: dict[str, Any], folder: Path) -> str:
    for key in ("license", "licence"):
        if isinstance(metadata.get(key), str):
            return metadata[key]
    readme = folder / "README.md"
    if readme.is_file():
        for line in readme.read_text("utf-8", errors="replace").splitlines():
            if "licen" in line.lower() and len(line) < 200:
                return line.strip("#*- ").strip()
    return ""


def installed(models_dir: Path) -> list[PackageInfo]:
    """Every package installed for this project, read without importing argos."""
    folder = packages_dir(models_dir)
    found = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if not (path / "metadata.json").is_file():
            continue
        meta = _read_metadata(path / "metadata.json")
        if meta.get("type", "translate") != "translate":
            continue
        found.append(PackageInfo(path.name, str(meta.get("from_code", "?")),
                                 str(meta.get("to_code", "?")),
                                 str(meta.get("package_version", "")), _licence(meta, path),
                                 path))
    return found


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return f"absolute or non-POSIX path {name!r}"
    if ".." in name.split("/"):
        return f"path {name!r} leaves the package folder"
    if any(part in ("", ".") for part in name.rstrip("/").split("/")):
        return f"odd path {name!r}"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"symbolic link {name!r}"
    return None


def _required(names: set[str], top: str) -> list[str]:
    missing = [f"{top}/{f}" for f in ("metadata.json", "model/model.bin", "model/config.json")
               if f"{top}/{f}" not in names]
    if f"{top}/sentencepiece.model" not in names and f"{top}/bpe.model" not in names:
        missing.append(f"{top}/sentencepiece.model (or bpe.model)")
    if not has_splitter(names, top):
        missing.append(f"{top}/minisbd/<lang>.onnx (or stanza/), its sentence splitter: "
                       "without one, argos downloads a splitter while translating")
    return missing


def has_splitter(names: set[str], top: str) -> bool:
    """Whether a package ships its own sentence splitter (``minisbd/*.onnx`` or ``stanza/``).

    Without one, argos's MiniSBD fetches a model with ``urlretrieve`` in the
    middle of a translation: a build must never go online, so such packages
    are refused at install and at use.
    """
    return any((n.startswith(f"{top}/minisbd/") and n.endswith(".onnx"))
               or n.startswith(f"{top}/stanza/") for n in names)


def check_splitter(folder: Path) -> None:
    """Refuse an installed package without its own sentence splitter (see :func:`has_splitter`)."""
    names = {p.relative_to(folder.parent).as_posix() for p in folder.rglob("*")}
    if not has_splitter(names, folder.name):
        raise ModelError("this package has no sentence splitter (minisbd/ or stanza/), so argos "
                         "would download one during the build; install a newer package",
                         folder)


def validate_archive(path: Path) -> dict[str, Any]:
    """Check an ``.argosmodel`` before installing it; return its metadata.

    Refused: not a zip; any member outside one top folder, absolute, with
    ``..`` or a symbolic link; more than :data:`MAX_UNPACKED_BYTES`
    unpacked; no readable ``metadata.json`` with ``from_code`` and
    ``to_code``; no CTranslate2 model or tokenizer; no sentence splitter.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError("no such file", path)
    if not zipfile.is_zipfile(path):
        raise ModelError("not an argos package (not a zip archive)", path)
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        for info in members:
            problem = _member_problem(info)
            if problem:
                raise ModelError(f"refused: {problem}", path)
        parts = [info.filename.rstrip("/").split("/") for info in members]
        tops = {p[0] for p in parts}
        loose = [i.filename for i, p in zip(members, parts, strict=True)
                 if len(p) == 1 and not i.is_dir()]
        if len(tops) != 1 or loose:
            found = ", ".join(sorted(tops)[:5]) if len(tops) != 1 else loose[0]
            raise ModelError(f"refused: every file must sit inside one top folder ({found})",
                             path)
        top = tops.pop()
        if sum(info.file_size for info in members) > MAX_UNPACKED_BYTES:
            raise ModelError("refused: unpacks to more than 4 GB", path)
        names = {info.filename for info in members}
        missing = _required(names, top)
        if missing:
            raise ModelError("refused: missing " + ", ".join(missing), path)
        try:
            meta = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise ModelError(f"refused: {top}/metadata.json is not valid JSON ({error})",
                             path) from None
    if not isinstance(meta, dict) or not all(isinstance(meta.get(k), str) and meta[k]
                                             for k in ("from_code", "to_code")):
        raise ModelError(f"refused: {top}/metadata.json needs from_code and to_code", path)
    if meta.get("type", "translate") != "translate":
        raise ModelError(f"refused: package type {meta.get('type')!r}, expected 'translate'",
                         path)
    return {**meta, "_top": top}


def install_file(models_dir: Path, path: Path) -> PackageInfo:
    """Validate then install one ``.argosmodel``, replacing the same package if present."""
    meta = validate_archive(path)
    target = packages_dir(models_dir) / meta["_top"]
    package = argos(models_dir)
    if target.exists():
        shutil.rmtree(target)
    package.install_from_path(Path(path))
    return next(p for p in installed(models_dir) if p.name == meta["_top"])


def _wanted_pairs(codes: list[str], available: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Direct pairs from the first code to each other one, else through English."""
    source, *targets = codes
    pairs: list[tuple[str, str]] = []
    for target in targets:
        if (source, target) in available:
            pairs.append((source, target))
        elif (source, "en") in available and ("en", target) in available:
            pairs += [(source, "en"), ("en", target)]
        else:
            raise ModelError(f"argos's index has no package for {source}→{target}, "
                             "directly or through English")
    return list(dict.fromkeys(pairs))


def install_from_index(models_dir: Path, codes: list[str]) -> list[PackageInfo]:
    """Download from argos's own index what translates ``codes[0]`` into the others.

    Needs internet. Each download is validated like a local file.
    """
    if len(codes) < 2:
        raise ModelError("give the source language then at least one target: fr en nl")
    package = argos(models_dir)
    from argostranslate import settings

    package.update_package_index()
    if not Path(settings.local_package_index).is_file():
        raise ModelError(f"could not download argos's package index from "
                         f"{settings.remote_package_index} (no internet?)")
    available = {(p.from_code, p.to_code): p for p in package.get_available_packages()
                 if p.type == "translate"}
    done = []
    for pair in _wanted_pairs(codes, set(available)):
        try:
            download = available[pair].download()
        except Exception as error:  # argos raises bare Exception on network failures
            raise ModelError(f"download of {pair[0]}→{pair[1]} failed: {error}") from None
        done.append(install_file(models_dir, download))
        Path(download).unlink(missing_ok=True)
    return done
