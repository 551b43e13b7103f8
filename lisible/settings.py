"""The publication's own settings, read from ``mkdocs.yml``: who publishes, where, when.

A campaign team already edits ``mkdocs.yml`` for its site, so its publication
settings live there too: MkDocs' own keys where they exist (``site_url``,
``site_name``, ``site_author``, ``copyright``) and lisible's block
``extra: lisible:`` for the rest (publisher, contact, date, signatories,
licence, and the published languages: :mod:`lisible.languages`). MkDocs
accepts anything under ``extra``, so the file stays a valid MkDocs
configuration.

Printed matter distributed in public in Belgium must name an *éditeur
responsable* (publisher) with an address. Nothing is invented: an empty
setting prints nothing, and :func:`warnings` says what a leaflet still lacks.

Every wrong key or value is reported at once, each as
``mkdocs.yml:LINE: error: …``, so one run shows every mistake.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lisible.errors import ConfigError
from lisible.yamlnodes import compose, mapping, scalar

FILE = "mkdocs.yml"
BLOCK = ("extra", "lisible")  # lisible's own keys live under extra: lisible:


@dataclass(frozen=True)
class Publisher:
    """The *éditeur responsable*: a person or body, and a postal address."""

    name: str = ""
    address: str = ""


@dataclass(frozen=True)
class Publication:
    """Who publishes the texts, where they are online and when; printed on every PDF."""

    site_url: str = ""  # MkDocs' site_url: the public address, printed and QR-coded in PDFs
    site_name: str = ""  # MkDocs' site_name
    author: str = ""  # MkDocs' site_author: the PDFs' Author metadata
    copyright: str = ""  # MkDocs' copyright: the site's footer and the PDFs' colophon
    publisher: Publisher = field(default_factory=Publisher)  # éditeur responsable
    contact: str = ""  # an e-mail address, a phone number or a web address
    date: datetime.date | None = None  # publication date, printed in each language
    signatories: tuple[str, ...] = ()  # who signs the texts; empty when the source names none
    licence: str = ""  # e.g. "CC BY 4.0"
    # The published languages, the source first (lisible.languages); () = the default four.
    languages: tuple[Any, ...] = ()
    path: Path | None = field(default=None, compare=False)  # the file read, for messages
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)  # key -> line

    def line(self, key: str) -> int | None:
        """The line of ``key`` (``"publisher"``, ``"extra.lisible"``...) in the file."""
        return dict(self.lines).get(key)


# lisible's own keys under extra: lisible:, and what each must be.
OWN_KEYS = ("publisher", "contact", "date", "signatories", "licence", "languages")
MKDOCS_KEYS = {"site_url": "site_url", "site_name": "site_name", "site_author": "author",
               "copyright": "copyright"}


def load_publication(root: Path) -> Publication:
    """Read ``root/mkdocs.yml``; a missing file gives empty settings."""
    path = Path(root) / FILE
    if not path.exists():
        return Publication()
    return publication_from_yaml(path.read_text("utf-8"), path)


def publication_from_yaml(text: str, path: Path) -> Publication:
    """Validate the settings in ``text`` (the content of ``path``); report every problem."""
    root = compose(text, path)
    problems: list[tuple[int, str]] = []
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    top = mapping(root)
    for key, (key_line, node) in top.items():
        if key in MKDOCS_KEYS:
            lines[MKDOCS_KEYS[key]] = key_line
            value = scalar(node)
            if value is None:
                continue
            if not isinstance(value, str):
                problems.append((key_line, f"{key}: expected text, got {value!r}"))
            elif key == "site_url" and value and not value.startswith(("https://", "http://")):
                problems.append((key_line, f"site_url: expected an address starting with "
                                           f"https://, got {value!r}"))
            else:
                values[MKDOCS_KEYS[key]] = value.strip()
    block_line, block = _block(top)
    if block is not None:
        lines["extra.lisible"] = block_line
        if not isinstance(block, dict):
            problems.append((block_line, "extra.lisible: expected a mapping of settings"))
        else:
            for key, (line, node) in block.items():
                lines[key] = line
                if key not in OWN_KEYS:
                    problems.append((line, f"extra.lisible: unknown setting {key!r}; known: "
                                           + ", ".join(OWN_KEYS)))
                    continue
                if key == "languages":  # one problem per wrong item, on its own line
                    from lisible import languages

                    value, found = languages.read_setting(node)
                    problems += [(at, f"extra.lisible.languages: {message}")
                                 for at, message in found]
                    if value:
                        values[key] = value
                    continue
                value, problem = _READERS[key](node)
                if problem:
                    problems.append((line, f"extra.lisible.{key}: {problem}"))
                elif value is not None:
                    values[key] = value
    if problems:
        raise _config_error(path, problems)
    return Publication(**values, path=path, lines=tuple(sorted(lines.items())))


def warnings(publication: Publication) -> list[str]:
    """What a leaflet handed out in public still lacks, as ``file:line: warning:`` lines."""
    where = str(publication.path or FILE)
    line = publication.line("publisher") or publication.line("extra.lisible")
    found = []
    if not publication.publisher.name or not publication.publisher.address:
        found.append(f"{where}:{line or 1}: warning: no éditeur responsable (extra.lisible."
                     "publisher: name and address): printed matter distributed in public in "
                     "Belgium must name one")
    return found


# --- Reading YAML with line numbers -----------------------------------------------------


def _block(top: dict[str, tuple[int, Any]]) -> tuple[int, Any]:
    """``extra: lisible:`` as entries, or a non-mapping value, or None when absent."""
    import yaml

    extra = top.get("extra")
    if extra is None:
        return 0, None
    entries = mapping(extra[1])
    if "lisible" not in entries:
        return 0, None
    line, node = entries["lisible"]
    if isinstance(node, yaml.MappingNode):
        return line, mapping(node)
    return line, None if scalar(node) is None else node


def _text(node: Any) -> tuple[Any, str]:
    value = scalar(node)
    if value is None:
        return None, ""
    if not isinstance(value, str):
        return None, f"expected text, got {value!r}"
    return " ".join(value.split()), ""


def _publisher(node: Any) -> tuple[Any, str]:
    value = scalar(node)
    if value is None:
        return None, ""
    if not isinstance(value, dict) or set(value) - {"name", "address"}:
        return None, "expected a mapping with name and address"
    if not all(isinstance(value.get(k, ""), str | type(None)) for k in ("name", "address")):
        return None, "name and address must be text"
    return Publisher(" ".join((value.get("name") or "").split()),
                     " ".join((value.get("address") or "").split())), ""


def _date(node: Any) -> tuple[Any, str]:
    value = scalar(node)
    if value is None or value == "":
        return None, ""
    if isinstance(value, datetime.datetime):
        return value.date(), ""
    if isinstance(value, datetime.date):
        return value, ""
    try:
        return datetime.date.fromisoformat(str(value)), ""
    except ValueError:
        return None, f"expected a date as YYYY-MM-DD, got {value!r}"


def _signatories(node: Any) -> tuple[Any, str]:
    value = scalar(node)
    if value is None:
        return (), ""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None, "expected a list of names"
    return tuple(" ".join(item.split()) for item in value if item.strip()), ""


_READERS = {"publisher": _publisher, "contact": _text, "date": _date,
            "signatories": _signatories, "licence": _text}


def _config_error(path: Path, problems: list[tuple[int, str]]) -> ConfigError:
    """One error naming the first problem's line; every other problem on its own line."""
    problems.sort()
    first_line, first = problems[0]
    rest = "".join(f"\n{path}:{line}: error: {message}" for line, message in problems[1:])
    return ConfigError(f"error: {first}{rest}", path, first_line)
