"""Render again only the pages whose inputs changed (issue 18).

Why: with 50 texts, editing one sentence re-rendered all 212 pages of the
four languages; Python-Markdown (about half of MkDocs' time), Material's
search indexing and the page template (the other half) ran for pages whose
every input was as before. Now a body edit renders that text's page and the
pages that list it (home, PDFs, status) in each language; a title change,
an added or removed text, or any change of settings or theme renders the
whole language, because every page shows the navigation.

How: MkDocs runs as it always did (same files, navigation, 404 page,
sitemap, search index), in its "dirty" mode with lisible, not file times,
deciding which page is modified. A page whose key is in
``build/.stamps/site-pages/<code>/`` is neither converted nor rendered: its
front matter is still read, so every page object the templates can see is
the one a full build has; its HTML is written from the cache and its search
entries are put back in their place, so ``search_index.json`` stays whole;
its warnings are reported again. ``build.py --force`` deletes the cache.

A page's key is a SHA-256 of everything its rendering reads:

- the page's own Markdown (its text, table of contents and metadata);
- the language's MkDocs settings as lisible wrote them (the navigation with
  every title, the site's name, theme, search and Markdown options, paths);
- the names of every file in the docs folder (links are checked against
  them) and every page's front matter (the navigation may read it);
- the assembled theme, the versions of MkDocs, Material, Jinja and
  Python-Markdown, lisible's code and ``SOURCE_DATE_EPOCH``.

Only the search plugin is known to keep no state across pages; with any
other plugin in ``mkdocs.yml``, every page is rendered (see :func:`usable`).
``tests/test_site_incremental.py`` checks that an incremental site is the
same bytes as a cold one after histories of edits.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.utils.meta import YAML_RE

from lisible import fsio, stamps

FOLDER = "site-pages"
KNOWN_PLUGINS = frozenset({"search", "material/search"})
RENDERERS = ("mkdocs", "mkdocs-material", "jinja2", "markupsafe", "markdown",
             "pymdown-extensions")
DIRTY_WARNING = "A 'dirty' build is being performed"


def cache_dir(build_dir: Path, code: str) -> Path:
    """Where one language's rendered pages are kept (under the stamps: ``--force`` clears it)."""
    return build_dir / stamps.FOLDER / FOLDER / code.replace("@", "-at-")


def _versions() -> str:
    return ";".join(f"{name}={stamps.tool_version(name)}" for name in RENDERERS)


def _front(text: str) -> str:
    """A page's front matter; the whole text when there is none (MkDocs would then read
    MultiMarkdown-style metadata, so any change of it must count)."""
    match = YAML_RE.match(text)
    return match.group(1) if match else text


def page_keys(settings_text: str, pages: Mapping[str, str], docs_dir: Path,
              theme_dir: Path) -> dict[str, str]:
    """``{page file name: key}`` for one language (see the module's docstring)."""
    shared = hashlib.sha256()
    listing = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*")
                     if p.is_file())
    for part in (stamps.code_digest(), _versions(), os.environ.get("SOURCE_DATE_EPOCH", "-"),
                 settings_text, stamps.files_digest([theme_dir]), "\0".join(listing),
                 *(f"{name}\0{_front(text)}" for name, text in sorted(pages.items()))):
        shared.update(part.encode("utf-8") + b"\1")
    base = shared.hexdigest()
    return {name: hashlib.sha256(f"{base}\0{name}\0{text}".encode()).hexdigest()
            for name, text in pages.items()}


def usable(plugin_names: Iterable[str]) -> bool:
    """Pages can be reused only when no plugin may gather data across pages."""
    return set(plugin_names) <= KNOWN_PLUGINS


@dataclass
class Entry:
    """One rendered page: its HTML (None when MkDocs wrote nothing), search entries, warnings."""

    html: str | None
    search: list[dict[str, Any]]
    warnings: list[str]


class Collect(logging.Handler):
    """MkDocs' warnings, each with the page being read or rendered when it was logged."""

    def __init__(self, settings: Any) -> None:
        super().__init__(logging.WARNING)
        self.settings = settings
        self.records: list[tuple[str | None, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self.settings, "_current_page", None)
        self.records.append((page.file.src_uri if page is not None else None,
                             record.getMessage()))

    def of(self, src_uri: str) -> list[str]:
        return [message for page, message in self.records if page == src_uri]


class Reuse(BasePlugin):
    """The MkDocs plugin that skips the pages of one language whose key is cached.

    Its events are ordered around Material's search plugin: a page's search
    entries are read after search adds them, and put back before it writes
    the index.
    """

    def __init__(self, folder: Path, keys: Mapping[str, str], collect: Collect) -> None:
        super().__init__()
        self.folder, self.keys, self.collect = folder, dict(keys), collect
        self.cached: dict[str, Entry] = {}
        self.fresh: dict[str, list[dict[str, Any]]] = {}
        self.order: list[Any] = []  # the documentation files, in MkDocs' build order
        self.index: Any = None  # Material's search index
        self.mark = 0

    # ------------------------------------------------------------------ reading

    def load(self, src_uri: str) -> Entry | None:
        key = self.keys.get(src_uri)
        if key is None:
            return None
        try:
            data = json.loads((self.folder / f"{key}.json").read_text("utf-8"))
            return Entry(data["html"], list(data["search"]), list(data["warnings"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # not there, or unreadable: render the page

    # ------------------------------------------------------------ MkDocs events

    @event_priority(100)
    def on_files(self, files: Any, config: Any) -> Any:
        for file in files:
            if file.is_documentation_page():
                entry = self.load(file.src_uri)
                if entry is not None:
                    self.cached[file.src_uri] = entry
                file.is_modified = (lambda uri=file.src_uri: uri not in self.cached)
            else:
                file.is_modified = lambda: True  # a fresh site folder: copy every asset
        return files

    def on_pre_build(self, config: Any) -> None:
        self.index = next((getattr(p, "search_index", None) for p in config.plugins.values()
                           if getattr(p, "search_index", None) is not None), None)
        self.mark = 0

    @event_priority(100)
    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        """Read the front matter of the pages that were skipped, as a full build would have."""
        self.order = list(files.documentation_pages())
        for file in self.order:
            if file.src_uri in self.cached and file.page is not None:
                file.page.read_source(config)
        return env

    @event_priority(-100)
    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        if self.index is not None:
            self.fresh[page.file.src_uri] = list(self.index.entries[self.mark:])
            self.mark = len(self.index.entries)
        return context

    @event_priority(-100)
    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        uri = page.file.src_uri
        key = self.keys.get(uri)
        if key is not None:
            entry = {"html": output if output.strip() else None,
                     "search": self.fresh.get(uri, []), "warnings": self.collect.of(uri)}
            fsio.write_text(self.folder / f"{key}.json",
                            json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
        return output

    @event_priority(100)
    def on_post_build(self, config: Any) -> None:
        """Before the search plugin writes its index: the skipped pages and their entries."""
        entries: list[dict[str, Any]] = []
        for file in self.order:
            entry = self.cached.get(file.src_uri)
            if entry is None:
                entries += self.fresh.get(file.src_uri, [])
                continue
            entries += entry.search
            if entry.html is not None:
                path = Path(file.abs_dest_path)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(entry.html.encode("utf-8", errors="xmlcharrefreplace"))
        if self.index is not None:
            self.index.entries = entries
        self._forget_others()

    def _forget_others(self) -> None:
        """Remove the cached pages no current page has as its key."""
        keep = {f"{key}.json" for key in self.keys.values()}
        for old in self.folder.glob("*.json") if self.folder.is_dir() else ():
            if old.name not in keep:
                old.unlink(missing_ok=True)

    # ------------------------------------------------------------------ report

    def warnings(self) -> tuple[str, ...]:
        """MkDocs' warnings as a full build gives them: the site's own, then each page's
        in build order (a skipped page's from the cache)."""
        general = [m for page, m in self.collect.records
                   if page is None and not m.startswith(DIRTY_WARNING)]
        pages = [m for file in self.order
                 for m in (self.cached[file.src_uri].warnings if file.src_uri in self.cached
                           else self.collect.of(file.src_uri))]
        return tuple(general + pages)

