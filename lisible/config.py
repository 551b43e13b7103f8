"""One typed, validated configuration: ``[tool.lisible]`` in pyproject.toml, ``mkdocs.yml``.

Where things live comes from ``[tool.lisible]``; what the publication says about
itself (``site_url``, publisher, contact, date...) from ``mkdocs.yml``, read by
:mod:`lisible.settings`.

Every field is documented where it is declared. Unknown keys and bad values
are all collected and reported together, so one run shows every mistake.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from lisible.errors import ConfigError
from lisible.settings import Publication, load_publication


@dataclass(frozen=True)
class Language:
    """One published language.

    ``code`` names the catalogue (``locales/<code>/<slug>.po``) and is a gettext
    locale: easy-read French is ``fr@falc``, French with a variant modifier,
    so gettext tools, Babel and Poedit treat it as French.
    """

    code: str  # gettext locale of the catalogue: "nl", "en", "fr@falc"
    tag: str  # BCP 47 tag for HTML lang, PDF /Lang and hyphenation: "nl-BE"
    name: str  # the language named in itself, for the switcher: "Nederlands"
    path: str  # folder of the site and build outputs: "" for the source, "nl", "facile"
    easy_read: bool = False  # follows the easy-read rules (linter, layout)
    machine_translation: bool = True  # MT drafts are made for it (not for easy-read)

    @property
    def html_lang(self) -> str:
        """The ``lang`` attribute: the primary tag, so easy-read French is plain ``fr``."""
        return self.tag.split("-")[0] if self.easy_read else self.tag


SOURCE = Language(code="fr", tag="fr-BE", name="Français", path="")
TARGETS = (
    Language(code="nl", tag="nl-BE", name="Nederlands", path="nl"),
    Language(code="en", tag="en-GB", name="English", path="en"),
    Language(
        code="fr@falc",
        tag="fr-BE",
        name="Facile à lire",
        path="facile",
        easy_read=True,
        machine_translation=False,
    ),
)


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

    def markdown_path(self, lang: Language, slug: str) -> Path:
        """``build/markdown/<lang>/<slug>.md``: the contract between stages."""
        return self.build_dir / "markdown" / lang.code / f"{slug}.md"

    def catalog_path(self, lang: Language, slug: str) -> Path:
        """``locales/<code>/<slug>.po``."""
        return self.locales_dir / lang.code / f"{slug}.po"

    def template_path(self, slug: str) -> Path:
        """``locales/<slug>.pot``."""
        return self.locales_dir / f"{slug}.pot"


_PATH_FIELDS = ("content_dir", "locales_dir", "build_dir", "site_dir", "models_dir")
_SCALARS = {"site_url": str, "publish_drafts": bool}


def load_config(root: Path | str = ".") -> Config:
    """Read ``[tool.lisible]`` from ``root/pyproject.toml``; defaults fill the rest."""
    root = Path(root).resolve()
    pyproject = root / "pyproject.toml"
    settings: dict[str, Any] = {}
    if pyproject.exists():
        settings = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("lisible", {})
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
    return replace(config, site_url=site_url, publication=replace(publication, site_url=site_url))


def config_from_dict(root: Path, settings: dict[str, Any], where: Path | None = None) -> Config:
    """Validate ``settings`` and build a :class:`Config`; report every problem at once."""
    problems: list[str] = []
    known = {f.name for f in fields(Config)} - {"root", "extra", "source", "targets",
                                                 "publication"}
    values: dict[str, Any] = {}
    for key, value in settings.items():
        if key == "source_language":
            if value != SOURCE.code:
                problems.append(f"source_language: only 'fr' is supported, not {value!r}")
        elif key in _PATH_FIELDS:
            values[key] = Path(value)
        elif key == "memory_match":
            if isinstance(value, bool) or not isinstance(value, int | float) or not (
                    0.5 <= value <= 1):
                problems.append(f"memory_match: expected a number from 0.5 to 1, got {value!r}")
            else:
                values[key] = float(value)
        elif key in _SCALARS:
            if not isinstance(value, _SCALARS[key]):
                problems.append(f"{key}: expected {_SCALARS[key].__name__}, got {value!r}")
            else:
                values[key] = value
        elif key not in known:
            problems.append(f"unknown setting {key!r}")
    if problems:
        raise ConfigError("; ".join(problems), where)
    config = Config(root=root, **values)
    return replace(config, **{name: root / getattr(config, name) for name in _PATH_FIELDS})
