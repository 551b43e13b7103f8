"""One typed, validated configuration: ``[tool.lisible]`` in pyproject.toml, ``mkdocs.yml``.

Where things live comes from ``[tool.lisible]``; what the publication says about
itself (``site_url``, publisher, contact, date...) from ``mkdocs.yml``, read by
:mod:`lisible.settings`.

Every field is documented where it is declared. Unknown keys and bad values
are all collected and reported together, so one run shows every mistake.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from lisible.errors import ConfigError
from lisible.languages import SOURCE, TARGETS, Language
from lisible.settings import Publication, load_publication


@dataclass(frozen=True)
class Config:
    """Where things live and how they are published. Paths are absolute."""

    root: Path  # the project folder (holds pyproject.toml)
    content_dir: Path = Path("content")  # sources as received, with their .meta.yml
    locales_dir: Path = Path("locales")  # the .pot templates and .po catalogues
    build_dir: Path = Path("build")  # intermediate output (Markdown per language)
    site_dir: Path = Path("site")  # the published site and its downloads/
    models_dir: Path = Path("models")  # argos packages, project-local and git-ignored
    source: Language = SOURCE  # the language the sources are written in
    targets: tuple[Language, ...] = TARGETS  # the languages published from catalogues
    site_url: str = ""  # public address of the site (mkdocs.yml), printed and QR-coded in PDFs
    publication: Publication = field(default_factory=Publication)  # mkdocs.yml: publisher...
    publish_drafts: bool = True  # publish machine drafts, marked as unreviewed
    memory_match: float = 0.75  # translation memory: least similarity of a close match (0.5–1)
    # Machine translation (lisible.translate.Decoding): beam size (0: argos's, 4), most
    # sentences per CTranslate2 call, cores used (0: all).
    mt_beam: int = 0
    mt_batch: int = 16
    mt_threads: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def languages(self) -> tuple[Language, ...]:
        """The source then every target, in publication order."""
        return (self.source, *self.targets)

    def language(self, code: str) -> Language:
        """The language whose catalogue code is ``code``."""
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise ConfigError(f"unknown language {code!r}; known: "
                          + ", ".join(lang.code for lang in self.languages))

    def markdown_dir(self, lang: Language) -> Path:
        """``build/markdown/<lang>/``: one language's documents."""
        return self.build_dir / "markdown" / lang.code

    def markdown_path(self, lang: Language, slug: str) -> Path:
        """``build/markdown/<lang>/<slug>.md``: the contract between stages."""
        return self.markdown_dir(lang) / f"{slug}.md"

    def catalog_path(self, lang: Language, slug: str) -> Path:
        """``locales/<code>/<slug>.po``."""
        return self.locales_dir / lang.code / f"{slug}.po"

    def template_path(self, slug: str) -> Path:
        """``locales/<slug>.pot``."""
        return self.locales_dir / f"{slug}.pot"


_PATH_FIELDS = ("content_dir", "locales_dir", "build_dir", "site_dir", "models_dir")
_SCALARS = {"site_url": str, "publish_drafts": bool}
_COUNTS = {"mt_beam": (0, 16), "mt_batch": (1, 256), "mt_threads": (0, 256)}  # whole numbers
# Folders lisible writes to (the site folder is replaced whole at each build),
# and what none of them may be, hold, or sit inside.
_OUTPUTS = ("site_dir", "build_dir", "models_dir")
_PROTECTED = ("content_dir", "locales_dir")


def load_config(root: Path | str = ".") -> Config:
    """Read ``[tool.lisible]`` from ``root/pyproject.toml``; defaults fill the rest."""
    root = Path(root).resolve()
    pyproject = root / "pyproject.toml"
    settings: dict[str, Any] = {}
    if pyproject.exists():
        text = pyproject.read_text("utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            message, line = _toml_error(str(error))
            raise ConfigError(f"not valid TOML: {message}", pyproject, line) from None
        settings = data.get("tool", {}).get("lisible", {})
        if not isinstance(settings, dict):
            raise ConfigError("[tool.lisible] must be a table", pyproject, _line_of(text, None))
        return with_publication(config_from_dict(root, settings, where=pyproject, text=text))
    return with_publication(config_from_dict(root, settings, where=pyproject))


def with_publication(config: Config) -> Config:
    """``config`` with the publication's settings from ``mkdocs.yml`` (see lisible.settings).

    ``site_url`` comes from ``mkdocs.yml``. It used to be set in ``[tool.lisible]``:
    that value is still used when ``mkdocs.yml`` has none, with a deprecation warning.
    """
    publication = load_publication(config.root)
    if config.site_url:
        pyproject = config.root / "pyproject.toml"
        rows = pyproject.read_text("utf-8").splitlines() if pyproject.exists() else []
        line = next((n for n, row in enumerate(rows, 1)
                     if row.strip().startswith("site_url")), 1)
        print(f"{pyproject}:{line}: warning: site_url in [tool.lisible] is deprecated; "
              "set site_url in mkdocs.yml" + (" (mkdocs.yml's value wins)"
                                              if publication.site_url else ""),
              file=sys.stderr)
    site_url = publication.site_url or config.site_url
    if publication.languages:  # extra.lisible.languages: the source, then the targets
        config = replace(config, source=publication.languages[0],
                         targets=tuple(publication.languages[1:]))
    return replace(config, site_url=site_url, publication=replace(publication, site_url=site_url))


def _toml_error(message: str) -> tuple[str, int | None]:
    """``Invalid value (at line 3, column 9)`` -> ("invalid value", 3)."""
    match = re.search(r"\s*\(at line (\d+), column \d+\)", message)
    if not match:
        return message, None
    return message[:match.start()] + message[match.end():], int(match.group(1))


def _line_of(text: str, key: str | None) -> int | None:
    """The line of ``key =`` in the ``[tool.lisible]`` table of ``text`` (or of the table)."""
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = re.fullmatch(r"\[\s*tool\s*\.\s*lisible\s*\]", stripped.split("#")[0].strip()
                                  ) is not None
            if inside and key is None:
                return number
        elif inside and key is not None and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return None


def config_from_dict(root: Path, settings: dict[str, Any], where: Path | None = None,
                     text: str = "") -> Config:
    """Validate ``settings`` and build a :class:`Config`; report every problem at once.

    Each problem is one ``pyproject.toml:line: message`` line (the line of
    its key, when ``text``, the file's content, is given).
    """
    problems: list[tuple[str | None, str]] = []
    known = {f.name for f in fields(Config)} - {"root", "extra", "source", "targets",
                                                 "publication"}
    values: dict[str, Any] = {}
    for key, value in settings.items():
        if key == "source_language":
            if value != SOURCE.code:
                problems.append((key, f"source_language: only 'fr' is supported, not {value!r}"))
        elif key in _PATH_FIELDS:
            if isinstance(value, str) and value.strip():
                values[key] = Path(value)
            else:
                problems.append((key, f"{key}: expected a folder path as text, got {value!r}"))
        elif key == "memory_match":
            if isinstance(value, bool) or not isinstance(value, int | float) or not (
                    0.5 <= value <= 1):
                problems.append((key, f"memory_match: expected a number from 0.5 to 1, "
                                      f"got {value!r}"))
            else:
                values[key] = float(value)
        elif key in _COUNTS:
            low, high = _COUNTS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                problems.append((key, f"{key}: expected a whole number from {low} to {high}, "
                                      f"got {value!r}"))
            else:
                values[key] = value
        elif key in _SCALARS:
            if not isinstance(value, _SCALARS[key]):
                problems.append((key, f"{key}: expected {_SCALARS[key].__name__}, got {value!r}"))
            else:
                values[key] = value
        elif key in ("targets", "languages"):
            problems.append((key, f"{key}: the published languages are set in mkdocs.yml "
                                  "(extra.lisible.languages; python build.py languages add CODE)"))
        elif key not in known:
            problems.append((key, f"unknown setting {key!r}"))
    if not problems:
        config = Config(root=root, **values)
        config = replace(config, **{name: _absolute(root, getattr(config, name))
                                    for name in _PATH_FIELDS})
        problems = overlaps(config)
    if problems:
        raise _config_error(problems, where, text)
    return config


def _absolute(root: Path, path: Path) -> Path:
    """``root / path`` with ``..`` resolved, so overlaps can be compared."""
    return Path(os.path.normpath(root / path))


def _config_error(problems: list[tuple[str | None, str]], where: Path | None,
                  text: str) -> ConfigError:
    """One error whose text has one ``file:line: message`` line per problem."""
    (first_key, first), *rest = problems
    lines = [first]
    for key, message in rest:
        line = _line_of(text, key) if text and key else None
        place = "" if where is None else (f"{where}:{line}: " if line else f"{where}: ")
        lines.append(place + message)
    first_line = _line_of(text, first_key) if text and first_key else None
    return ConfigError("\n".join(lines), where, first_line)


def overlaps(config: Config) -> list[tuple[str | None, str]]:
    """Output folders that would overwrite sources, catalogues or the project itself.

    The site folder is replaced whole at every build, and MkDocs used to wipe
    it in place: ``site_dir = "locales"`` once deleted every catalogue. So no
    output folder may be, hold or sit inside ``content/`` or ``locales/``,
    nor be or hold the project folder, and the site folder may hold no other
    folder lisible uses.
    """
    problems: list[tuple[str | None, str]] = []
    named = {name: getattr(config, name) for name in _PATH_FIELDS}
    for out in _OUTPUTS:
        path = named[out]
        if config.root.is_relative_to(path):
            problems.append((out, f"{out}: {path} is or holds the project folder; "
                                  "choose a folder of its own inside the project"))
            continue
        held = [o for o in _OUTPUTS if out == "site_dir" and o != out]
        for other in (*_PROTECTED, *held):
            if _overlap(path, named[other]) and (other in _PROTECTED
                                                 or named[other].is_relative_to(path)):
                problems.append((out, f"{out}: {path} overlaps {other} ({named[other]}); "
                                      "an output folder must be a folder of its own"))
                break
    return problems


def _overlap(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` are the same folder or one is inside the other."""
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)
