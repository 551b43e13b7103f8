"""The published languages as a setting: ``extra: lisible: languages:`` in ``mkdocs.yml``.

A team that wants German runs ``python build.py languages add de``: that
adds ``de`` to the list in ``mkdocs.yml`` (a text edit of one line, so the
team's comments and layout stay) and does what ``msginit`` does, for every
text: ``locales/de/<slug>.po`` from each template, with the ``Language`` and
``Plural-Forms`` headers gettext tools expect. From then on German is one of
``Config.targets``, so every stage that walks the targets (catalogue update,
drafts, checks, status, PDFs, site) publishes it.

What a language is comes from two places:

- :data:`KNOWN`, the four languages lisible was made with (their BCP 47 tag
  with the Belgian region where it applies, their name in themselves, their
  site folder, easy-read French's own rules);
- Babel's CLDR data for any other: the name in itself
  (``Locale.get_display_name``), the most likely region (CLDR likely
  subtags: ``de`` -> ``de-DE``) and, through Babel's catalogue, the plural
  forms. The team can override ``name``, ``tag`` and ``path`` per language.

``locales/`` also holds folders that are not languages (``memory/``,
``translations/``, ``removed/``); any other folder of catalogues that is not
configured (``msginit -l de`` by hand) is reported with the command that
publishes it: lisible never ignores a translator's catalogue silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lisible.errors import ConfigError
from lisible.yamlnodes import mapping, scalar


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
    def base(self) -> str:
        """The primary language subtag of ``tag``: ``fr`` for French and easy-read French.

        What rules that follow the language (French typography, number words,
        compound words, the theme's language) use, rather than parsing ``code``.
        """
        return self.tag.split("-")[0].lower()

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


KNOWN: dict[str, Language] = {lang.code: lang for lang in (SOURCE, *TARGETS)}
DEFAULT: tuple[str, ...] = tuple(KNOWN)  # fr (the source), nl, en, fr@falc
# Folders of locales/ that hold no language's catalogues.
NOT_LANGUAGES = frozenset({"memory", "translations", "removed"})
REMOVED = "removed"  # locales/removed/<code>/: catalogues of a language taken off the list
# Site folders a language may not take: the site's own folders and pages.
RESERVED_PATHS = frozenset({"assets", "downloads", "media", "pictograms", "search", "pdf",
                            "status", "index", "404", "sitemap.xml"})
# gettext locale names: language, optional _Script, optional _REGION, optional @variant.
CODE = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|\d{3}))?(?:@[a-z0-9]+)?")
TAG = re.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?")
PATH = re.compile(r"[a-z0-9][a-z0-9-]*")
OVERRIDES = ("name", "tag", "path")
# gettext's script modifiers (sr@latin, uz@cyrillic), as the script subtags they stand for.
VARIANT_SCRIPTS = {"latin": "Latn", "cyrillic": "Cyrl"}


# ------------------------------------------------------------------ what a language is


def describe(code: str) -> Language:
    """The language ``code`` names: from :data:`KNOWN`, else from Babel's locale data.

    Raises :class:`ConfigError` (without a place) for a code that is not a
    gettext locale name or that Babel has no data for.
    """
    if code in KNOWN:
        return KNOWN[code]
    if not isinstance(code, str) or not CODE.fullmatch(code):
        parts = str(code).replace("-", "_").split("_")
        guess = "_".join([parts[0].lower(), *(p.upper() for p in parts[1:])])
        hint = f" (did you mean {guess}?)" if CODE.fullmatch(guess) and guess != code else ""
        raise ConfigError(f"{code!r} is not a language code{hint}; write it as gettext does: "
                          "de, es, pt_BR, sr@latin")
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    base, _, variant = code.partition("@")
    if variant in VARIANT_SCRIPTS:  # sr@latin is Serbian in the Latin script: sr_Latn
        base, variant = f"{base}_{VARIANT_SCRIPTS[variant]}", ""
    try:
        locale = Locale.parse(base)
    except (UnknownLocaleError, ValueError):
        raise ConfigError(f"unknown language code {code!r}: Babel has no locale data for it; "
                          "write it as gettext does: de, es, pt_BR, sr@latin") from None
    likely = str(get_global("likely_subtags").get(locale.language, "")).split("_")
    script = locale.script if locale.script else None
    region = locale.territory or next((part for part in likely[1:]
                                       if part.isupper() or part.isdigit()), None)
    tag = "-".join(part for part in (locale.language, script, region) if part)
    name = locale.get_display_name(locale) or code
    name = name[:1].upper() + name[1:]
    if variant:
        name = f"{name} ({variant})"
    path = code.lower().replace("_", "-").replace("@", "-")
    return Language(code=code, tag=tag, name=name, path=path)


def plural_forms(code: str) -> str:
    """The ``Plural-Forms`` header gettext wants for ``code``, from Babel's CLDR data."""
    from babel.messages.catalog import Catalog

    return Catalog(locale=code).plural_forms


def search_options(lang: Language) -> dict[str, Any]:
    """The search plugin's options for ``lang``: its lunr stemmer, or no stemming at all.

    lunr has stemmers for some languages only; for the others MkDocs would
    fall back to English stemming and stop words, which cut words of
    another language wrongly, so the index keeps whole words instead.
    """
    from mkdocs.contrib.search import LangOption

    primary = lang.base
    if primary == "en":
        return {"lang": ["en"]}
    found = LangOption().get_lunr_supported_lang(primary)
    if found:
        return {"lang": [found]}
    return {"lang": ["en"], "pipeline": ["trimmer"]}


def theme_language(lang: Language) -> str:
    """Material's interface language for ``lang`` (its own words: search, menu), or English."""
    import material

    primary = lang.base
    partials = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return primary if (partials / f"{primary}.html").exists() else "en"


# --------------------------------------------------------------- the setting in mkdocs.yml


def read_setting(node: Any) -> tuple[tuple[Language, ...] | None, list[tuple[int, str]]]:
    """``extra.lisible.languages`` (a YAML node) as languages, the source first; or problems.

    Each item is a code (``de``) or a mapping with ``code`` and any of
    ``name``, ``tag``, ``path``. Problems are ``(line, message)`` pairs, one
    per wrong item or value.
    """
    import yaml

    line = node.start_mark.line + 1
    if not isinstance(node, yaml.SequenceNode):
        if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
            return None, []
        return None, [(line, "expected a list of language codes, the source (fr) first, "
                             "e.g. [fr, nl, en, fr@falc]")]
    problems: list[tuple[int, str]] = []
    found: list[Language] = []
    for item in node.value:
        where = item.start_mark.line + 1
        lang, problem = _item(item)
        if problem:
            problems.append((where, problem))
            continue
        clash = next((other for other in found
                      if lang.code == other.code or lang.path == other.path), None)
        if clash is not None:
            what = "listed twice" if clash.code == lang.code else (
                f"its folder {lang.path!r} is {clash.code}'s already; give it another path")
            problems.append((where, f"language {lang.code!r}: {what}"))
            continue
        found.append(lang)
    if not problems and (not found or found[0].code != SOURCE.code):
        problems.append((line, f"the first language is the source, {SOURCE.code!r} "
                               "(the only source language supported)"))
    return (None, problems) if problems else (tuple(found), [])


def _item(node: Any) -> tuple[Language, str]:
    """One item of the list: a code, or a mapping with a code and overrides."""
    import yaml


    overrides: dict[str, Any] = {}
    if isinstance(node, yaml.MappingNode):
        entries = {key: scalar(value) for key, (_, value) in mapping(node).items()}
        unknown = sorted(set(entries) - {"code", *OVERRIDES})
        if unknown:
            return SOURCE, (f"unknown key {unknown[0]!r} for a language; known: code, "
                            + ", ".join(OVERRIDES))
        code = entries.pop("code", None)
        overrides = entries
    else:
        code = scalar(node)
    if not isinstance(code, str):
        hint = ' (quote it: "no")' if code is False else ""
        return SOURCE, f"expected a language code as text, got {code!r}{hint}"
    try:
        lang = describe(code)
    except ConfigError as error:
        return SOURCE, error.message
    for key, value in overrides.items():
        if not isinstance(value, str) or (key != "path" and not value.strip()):
            return SOURCE, f"language {code!r}: {key} must be text, got {value!r}"
    if "tag" in overrides and not TAG.fullmatch(overrides["tag"]):
        return SOURCE, (f"language {code!r}: tag {overrides['tag']!r} is not a BCP 47 tag "
                        "like de-DE or de-BE")
    path = overrides.get("path", lang.path)
    if code == SOURCE.code and path:
        return SOURCE, "the source language is published at the root of the site: no path"
    if code != SOURCE.code and (not PATH.fullmatch(path) or path in RESERVED_PATHS):
        return SOURCE, (f"language {code!r}: path {path!r} must be a folder name of lowercase "
                        "letters, digits and hyphens, not one of the site's own ("
                        + ", ".join(sorted(RESERVED_PATHS)) + ")")
    return replace(lang, **overrides), ""
