"""How far each translation is: counts of reviewed, draft, stale and untranslated units.

``python build.py status`` prints a table; ``--json`` gives the same data to
scripts. (The site's status page reads the counts reassembly wrote into each
page's front matter, not the catalogues.)
"""

from __future__ import annotations

import json
from typing import Any

from lisible import catalogs
from lisible.config import Config
from lisible.document import State, catalogued, unit_kind


def collect(config: Config, readability: bool = False) -> dict[str, Any]:
    """Per document and language: state counts and the share reviewed.

    With ``readability``, each document also gets the easy-read report (source
    vs easy-read: Kandel-Moles, LIX, sentence lengths, rare words, linter
    counts); it loads spaCy, so it is asked for only by ``status``.
    """
    documents = []
    for slug in catalogued(config):
        template = catalogs.read_catalog(config.template_path(slug))
        total = sum(1 for m in template if m.id)
        title = next((str(m.id) for m in template if unit_kind(m) == "title"), slug)
        languages = []
        for lang in config.targets:
            path = config.catalog_path(lang, slug)
            counts = catalogs.counts(catalogs.read_catalog(path)) if path.exists() else {
                "untranslated": total}
            counts = {state.value: counts.get(state.value, 0) for state in State}
            languages.append({
                "code": lang.code, "name": lang.name, "tag": lang.tag, "path": lang.path,
                **counts, "total": total,
                "percent_reviewed": round(100 * counts["reviewed"] / total) if total else 100,
            })
        document = {"slug": slug, "title": title, "units": total, "languages": languages}
        if readability:
            document["readability"] = _readability(config, slug)
        documents.append(document)
    return {"documents": documents}


def _readability(config: Config, slug: str) -> dict[str, Any] | None:
    from lisible import check, easyread

    easy = next((lang for lang in config.targets if lang.easy_read), None)
    if easy is None or not config.catalog_path(easy, slug).exists():
        return None
    cached = check.cached_readability(config, easy, slug)  # the build's: no spaCy to load
    return cached or easyread.comparison(*easyread.readability_report(config, slug))


def render(config: Config, as_json: bool = False) -> str:
    """The status as JSON or as an aligned text table."""
    data = collect(config, readability=True)
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    lines = []
    for document in data["documents"]:
        lines.append(f"{document['slug']} ({document['units']} units)")
        lines.append(f"  {'language':<10} {'reviewed':>8} {'draft':>6} {'stale':>6} "
                     f"{'missing':>8}")
        for lang in document["languages"]:
            lines.append(f"  {lang['code']:<10} {lang['reviewed']:>8} {lang['draft']:>6} "
                         f"{lang['stale']:>6} {lang['untranslated']:>8}   "
                         f"{lang['percent_reviewed']:>3} % reviewed")
        if document.get("readability"):
            lines.append("  readability, source vs easy-read:")
            lines += ["  " + line for line in _side_by_side(document["readability"])]
    return "\n".join(lines) if lines else "no catalogues yet: run python build.py catalogs"


def _side_by_side(report: dict[str, Any]) -> list[str]:
    from lisible import easyread

    source = easyread.Readability(**report["source"])
    easy = easyread.Readability(**report["easy_read"]) if report["easy_read"] else None
    return easyread.side_by_side(source, easy).splitlines()
