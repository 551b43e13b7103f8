"""Compile the theme's Jinja templates once per site build, not once per language.

Why: MkDocs makes a fresh Jinja environment for every language build, and
Material's ~150 templates are parsed and compiled again each time: about
half of a language's MkDocs time. The templates are the same files in every
language (only the translations and the page data differ, and Jinja looks
those up when a page is rendered), so the code compiled for the first
language serves the others. The compiled code is kept in memory for one
site build only (:class:`SharedTemplates`), keyed by the template's file,
its source text and the environment's extensions, so a changed template or
a different set of extensions compiles afresh; the pages come out
byte-identical.
"""

from __future__ import annotations

import hashlib
from types import CodeType
from typing import Any


def _bytecode_cache() -> type:
    """The :class:`jinja2.BytecodeCache` subclass (made on first use: Jinja loads lazily)."""
    from jinja2.bccache import Bucket, BytecodeCache

    class _Memory(BytecodeCache):
        """Code objects in a dict, keyed by template, source and extensions."""

        def __init__(self, store: dict[tuple[str, str], CodeType], flavour: str) -> None:
            self.store, self.flavour = store, flavour

        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            text = f"{self.flavour}\0{name}\0{filename}"
            return hashlib.sha1(text.encode("utf-8")).hexdigest()

        def load_bytecode(self, bucket: Bucket) -> None:
            code = self.store.get((bucket.key, bucket.checksum))
            if code is not None:
                bucket.code = code

        def dump_bytecode(self, bucket: Bucket) -> None:
            if bucket.code is not None:
                self.store[(bucket.key, bucket.checksum)] = bucket.code

    return _Memory


class SharedTemplates:
    """Lends every Jinja environment of one language's theme one store of compiled
    templates; make one per site build and :meth:`attach` it to each language."""

    def __init__(self) -> None:
        self._store: dict[tuple[str, str], CodeType] = {}

    def lend(self, env: Any) -> Any:
        """``env`` with the shared store as its bytecode cache, before it loads a template."""
        flavour = "\0".join(sorted(env.extensions)) + f"\0{env.optimized}\0{env.autoescape}"
        env.bytecode_cache = _bytecode_cache()(self._store, flavour)
        return env

    def attach(self, mkdocs_config: Any) -> None:
        """Every environment this language's theme makes gets the store: MkDocs' own and
        the ones Material's search plugin makes to translate its placeholders."""
        theme = mkdocs_config.theme
        make = theme.get_env
        theme.get_env = lambda: self.lend(make())
