"""Adding and removing a published language: the ``languages`` command's work.

``python build.py languages add de`` adds ``de`` to ``extra.lisible.languages``
in ``mkdocs.yml`` by a text edit of one line (so the team's comments and layout
stay; PyYAML would rewrite the whole file), validated by reading the file
back, and does what ``msginit`` does for every text: ``locales/de/<slug>.po``
from each template. ``remove`` never deletes a translator's work (see
:func:`remove`). What a language *is* lives in :mod:`lisible.languages`,
which every stage reads; this module is a stage after the catalogues
because it writes them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from lisible.config import Config, Language
from lisible.errors import ConfigError, LisibleError
from lisible.languages import (
    DEFAULT,
    NOT_LANGUAGES,
    REMOVED,
    describe,
    plural_forms,
    search_options,
)
from lisible.yamlnodes import compose, mapping, scalar

# --------------------------------------------------------------------- catalogues found


def catalogue_folders(config: Config) -> dict[str, Path]:
    """``{folder name: folder}`` of ``locales/`` subfolders holding ``.po`` catalogues."""
    root = config.locales_dir
    if not root.is_dir():
        return {}
    return {path.name: path for path in sorted(root.iterdir())
            if path.is_dir() and not path.name.startswith(".")
            and path.name not in NOT_LANGUAGES and any(path.glob("*.po"))}


def unconfigured_warnings(config: Config) -> list[str]:
    """One ``locales/<code>: warning:`` line per folder of catalogues no language publishes."""
    codes = {lang.code for lang in config.languages}
    lines = []
    for name, path in catalogue_folders(config).items():
        if name in codes:
            continue
        count = len(list(path.glob("*.po")))
        lines.append(f"{_shown(config, path)}: warning: {count} catalogue(s) for {name!r}, "
                     "which is not a published language: lisible ignores them. Publish it "
                     f"with: python build.py languages add {name}")
    return lines


def _shown(config: Config, path: Path) -> str:
    return path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else str(
        path)


# ------------------------------------------------------------- editing mkdocs.yml by hand


def _entries(node: Any) -> list[tuple[Any, Any]]:
    import yaml

    return list(node.value) if isinstance(node, yaml.MappingNode) else []


def _entry(node: Any, key: str) -> tuple[Any, Any] | None:
    return next(((k, v) for k, v in _entries(node) if k.value == key), None)


def _last_index(node: Any) -> int:
    """Where the text of ``node`` ends (a block collection ends with its last value)."""
    import yaml

    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style \
            and node.value:
        last = node.value[-1]
        return _last_index(last[1] if isinstance(last, tuple) else last)
    return node.end_mark.index


def _after_line(text: str, index: int) -> int:
    """The start of the line after the one holding ``text[index - 1]``."""
    end = text.find("\n", max(index - 1, 0))
    return len(text) if end < 0 else end + 1


def _quoted(code: str) -> str:
    """``code`` as a YAML scalar that reads back as this text (``no`` is a boolean)."""
    import yaml

    return code if yaml.safe_load(code) == code else f'"{code}"'


def _flow(codes: Iterable[str]) -> str:
    return "[" + ", ".join(_quoted(code) for code in codes) + "]"


def _indent_of(text: str, mark: Any) -> str:
    return " " * mark.column


def _lisible_entries(text: str, path: Path) -> tuple[Any, Any, Any]:
    """The ``extra``, ``extra.lisible`` and ``extra.lisible.languages`` (key, value) pairs."""
    top = compose(text, path)
    extra = _entry(top, "extra")
    block = _entry(extra[1], "lisible") if extra else None
    found = _entry(block[1], "languages") if block else None
    return extra, block, found


def added(text: str, path: Path, code: str) -> str:
    """``text`` (mkdocs.yml) with ``code`` appended to the languages, changed in one place.

    Only the list changes (or one line is added): comments, order and
    layout of the rest of the file stay as the team wrote them.
    """
    import yaml

    _, _, found = _lisible_entries(text, path)
    if found is None:
        return _with_list(text, path, [*DEFAULT, code])
    seq = found[1]
    if not isinstance(seq, yaml.SequenceNode):
        raise ConfigError("error: extra.lisible.languages: expected a list to add to",
                          path, found[0].start_mark.line + 1)
    if not seq.value:
        start, end = seq.start_mark.index, seq.end_mark.index
        return text[:start] + _flow([*DEFAULT, code]) + text[end:]
    if seq.flow_style:
        at = seq.value[-1].end_mark.index
        return text[:at] + ", " + _quoted(code) + text[at:]
    first = seq.value[0].start_mark
    prefix = text[first.index - first.column:first.index]  # "    - ", as the team wrote it
    at = _after_line(text, _last_index(seq))
    return text[:at] + prefix + _quoted(code) + "\n" + text[at:]


def removed(text: str, path: Path, code: str) -> str:
    """``text`` without the item ``code`` in ``extra.lisible.languages``; the rest as it was."""
    _, _, found = _lisible_entries(text, path)
    if found is None:  # the default, unwritten: write it out, without the language
        return _with_list(text, path, [c for c in DEFAULT if c != code])
    items = found[1].value
    index = next(i for i, item in enumerate(items) if _item_code(item) == code)
    item = items[index]
    if found[1].flow_style:
        if index + 1 < len(items):
            return text[:item.start_mark.index] + text[items[index + 1].start_mark.index:]
        return text[:items[index - 1].end_mark.index] + text[item.end_mark.index:]
    start = item.start_mark.index - item.start_mark.column
    end = (items[index + 1].start_mark.index - items[index + 1].start_mark.column
           if index + 1 < len(items) else _after_line(text, _last_index(item)))
    return text[:start] + text[end:]


def _with_list(text: str, path: Path, codes: Sequence[str]) -> str:
    """``text`` with a ``languages:`` line added at the end of ``extra: lisible:``
    (made if missing), for a file that has no list yet."""
    import yaml

    extra, block, _ = _lisible_entries(text, path)
    listing = "languages: " + _flow(codes)
    if block is not None and isinstance(block[1], yaml.MappingNode) and block[1].value \
            and not block[1].flow_style:
        indent = _indent_of(text, block[1].value[0][0].start_mark)
        at = _after_line(text, _last_index(block[1]))
        return text[:at] + indent + listing + "\n" + text[at:]
    if block is None and extra is not None and isinstance(extra[1], yaml.MappingNode) \
            and extra[1].value and not extra[1].flow_style:
        indent = _indent_of(text, extra[1].value[0][0].start_mark)
        at = _after_line(text, _last_index(extra[1]))
        return text[:at] + f"{indent}lisible:\n{indent * 2}{listing}\n" + text[at:]
    if extra is None:
        return text.rstrip("\n") + f"\n\nextra:\n  lisible:\n    {listing}\n"
    raise ConfigError(f"error: cannot add the languages to this layout of extra: lisible:; "
                      f"add `{listing}` under it by hand",
                      path, (block or extra)[0].start_mark.line + 1)


def _item_code(node: Any) -> Any:
    import yaml


    if isinstance(node, yaml.MappingNode):
        entry = mapping(node).get("code")
        return scalar(entry[1]) if entry else None
    return scalar(node)


def _edit_settings(config: Config, edit: Any, code: str, expected: Sequence[str]) -> None:
    """Apply ``edit`` to mkdocs.yml, check the result reads back as ``expected``, write it."""
    from lisible import fsio
    from lisible.settings import FILE, publication_from_yaml

    path = config.root / FILE
    if not path.exists():
        raise ConfigError("error: mkdocs.yml is missing: it holds the languages", path)
    text = path.read_text("utf-8")
    new = edit(text, path, code)
    languages = publication_from_yaml(new, path).languages
    if tuple(lang.code for lang in languages) != tuple(expected):
        raise ConfigError("error: could not edit extra.lisible.languages safely; nothing "
                          "written: edit the list by hand", path,
                          publication_from_yaml(text, path).line("languages"))
    fsio.write_text(path, new)


# ------------------------------------------------------------------------- catalogues


def init_catalogs(config: Config, lang: Language) -> list[str]:
    """What ``msginit`` does, for every template: ``locales/<code>/<slug>.po``; report lines.

    A catalogue that exists already is kept as it is (msginit refuses to
    overwrite one too): the next catalogue update merges it.
    """
    from lisible import catalogs, pofile
    from lisible.document import catalogued

    report = []
    for slug in catalogued(config):
        path = config.catalog_path(lang, slug)
        shown = _shown(config, path)
        if path.exists():
            report.append(f"{shown}: kept (it exists)")
            continue
        template_path = config.template_path(slug)
        template = catalogs.read_catalog(template_path)
        title = next((str(m.id) for m in template if m.id), slug)
        new = catalogs.new_catalog(template, lang, title)
        new.project = slug  # Babel reads the template's Project-Id-Version as its version
        catalog = catalogs.merge(new, template)
        with open(template_path, "rb") as handle:
            created = dict(pofile.parse_catalog(handle)[1]).get("POT-Creation-Date")
        catalogs.write_catalog(path, catalog, read_digest=None, creation_date=created)
        _stamp_revision(path)
        units = sum(1 for m in catalog if m.id)
        report.append(f"{shown}: created, {units} units to translate")
    return report


def _stamp_revision(path: Path) -> None:
    """Date the new catalogue's ``PO-Revision-Date`` as msginit does (SOURCE_DATE_EPOCH or now).

    lisible keeps this translator-owned field as the file has it from then on.
    """
    import datetime as dt
    import time

    from lisible import fsio

    stamp = fsio.source_date_epoch(int(time.time()))
    date = dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%d %H:%M+0000")
    text = path.read_text("utf-8")
    fsio.write_text(path, text.replace('"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"',
                                       f'"PO-Revision-Date: {date}\\n"', 1))


def work_in(config: Config, code: str) -> dict[str, int]:
    """How many entries of ``code``'s catalogues hold text, by state (reviewed, stale...)."""
    from lisible import catalogs

    totals: dict[str, int] = {}
    folder = config.locales_dir / code
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        for state, count in catalogs.counts(catalogs.read_catalog(path)).items():
            if state != "untranslated" and count:
                totals[state] = totals.get(state, 0) + count
    return totals


def _set_aside(config: Config, code: str) -> Path | None:
    """Move ``locales/<code>/`` to ``locales/removed/<code>/`` (one rename); where it went."""
    folder = config.locales_dir / code
    if not folder.is_dir():
        return None
    target = config.locales_dir / REMOVED / code
    number = 1
    while target.exists():
        number += 1
        target = config.locales_dir / REMOVED / f"{code}.{number}"
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(folder, target)
    return target


# ------------------------------------------------------------------------- the commands


def add(config: Config, code: str) -> list[str]:
    """Publish ``code``: add it to mkdocs.yml and create its catalogues; report lines.

    Catalogues set aside by :func:`remove` come back first, so removing and
    adding a language again loses nothing.
    """
    lang = describe(code)
    lines = []
    if code in {lg.code for lg in config.languages}:
        lines.append(f"{code} is already published")
        lang = config.language(code)
    else:
        expected = [lg.code for lg in config.languages] + [code]
        _edit_settings(config, added, code, expected)
        lines.append(f"mkdocs.yml: {code} added ({lang.name}, {lang.tag}, site folder "
                     f"/{lang.path}/, plural forms: {plural_forms(code)})")
        kept = config.locales_dir / REMOVED / code
        if kept.is_dir() and not (config.locales_dir / code).exists():
            os.replace(kept, config.locales_dir / code)
            lines.append(f"{_shown(config, config.locales_dir / code)}: brought back from "
                         f"{_shown(config, kept)}")
    lines += init_catalogs(config, lang)
    if not catalogs_exist(config):
        lines.append("no templates yet: python build.py catalogs makes them, and the "
                     f"{code} catalogues with them")
    if lang.machine_translation and "no translation model" in _mt_route(
            config, lang, _installed(config)):
        lines.append(f"no fr→{code} translation model: its units wait for a translator "
                     f"(for machine drafts: python build.py models install --from-index fr "
                     f"{code})")
    lines.append(f"next: python build.py builds /{lang.path}/ and its PDFs")
    return lines


def catalogs_exist(config: Config) -> bool:
    return any(config.locales_dir.glob("*.pot")) if config.locales_dir.is_dir() else False


def remove(config: Config, code: str, force: bool = False) -> list[str]:
    """Stop publishing ``code``; its catalogues go to ``locales/removed/<code>/``.

    A translator's work is never deleted: the catalogues are moved aside,
    whole, where no stage reads them (``languages add`` brings them back).
    Taking a language whose catalogues hold reviewed or stale translations
    (a person's work) off the site is refused unless ``force`` is given, so a
    slip of the keyboard does not unpublish them; drafts alone (machine or
    memory drafts, which the build can make again) need no ``force``.
    """
    if code == config.source.code:
        raise ConfigError(f"{code} is the source language; it cannot be removed")
    if code not in {lg.code for lg in config.languages}:
        raise ConfigError(f"{code!r} is not a published language; published: "
                          + ", ".join(lg.code for lg in config.languages))
    work = work_in(config, code)
    human = {state: n for state, n in work.items() if state in ("reviewed", "stale")}
    if human and not force:
        counts = ", ".join(f"{n} {state}" for state, n in human.items())
        raise LisibleError(f"error: {code}'s catalogues hold translators' work ({counts}); "
                           f"nothing changed. To unpublish {code} and keep its catalogues "
                           f"in locales/{REMOVED}/{code}/: python build.py languages remove "
                           f"{code} --force", config.locales_dir / code)
    expected = [lg.code for lg in config.languages if lg.code != code]
    _edit_settings(config, removed, code, expected)
    lines = [f"mkdocs.yml: {code} removed"]
    aside = _set_aside(config, code)
    if aside is not None:
        held = ", ".join(f"{n} {state}" for state, n in work.items()) or "no translations"
        lines.append(f"{_shown(config, config.locales_dir / code)}: moved to "
                     f"{_shown(config, aside)} ({held}); python build.py languages add "
                     f"{code} brings it back")
    return lines


def listing(config: Config) -> list[str]:
    """One line per published language, then a warning per unpublished catalogue folder."""
    available = _installed(config)
    rows = []
    for lang in config.languages:
        role = "source" if lang is config.languages[0] else (
            "easy-read" if lang.easy_read else _mt_route(config, lang, available))
        search = search_options(lang)
        stem = "no stemming" if "pipeline" in search else f"stemming {search['lang'][0]}"
        folder = f"/{lang.path}/" if lang.path else "/"
        rows.append(f"{lang.code:<10} {lang.tag:<8} {folder:<10} {lang.name} ({role}; "
                    f"search: {stem})")
    return rows + unconfigured_warnings(config)


def _installed(config: Config) -> list[Any]:
    """The argos packages in the project's models folder (none if it cannot be read)."""
    from lisible import models

    try:
        return list(models.installed(config.models_dir))
    except (LisibleError, OSError):
        return []


def _mt_route(config: Config, lang: Language, available: Sequence[Any]) -> str:
    if not lang.machine_translation:
        return "no machine drafts"
    from lisible.translate import find_route

    route = find_route(list(available), config.source.code, lang.code)
    return "machine drafts" if route else "no translation model: units stay untranslated"
