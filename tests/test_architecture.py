"""The stages import each other in one direction only, and the contract is defined once.

Read from the source with ``ast`` (nothing is imported), counting imports made
inside functions too: a function-level import hides a cycle from Python, not
from the next engineer. The layer order below is the one of docs/design.md
("How the modules depend on each other").
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lisible"

# Lowest first. A module may import its own layer and the layers before it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("contract and utilities", (
        "lisible", "lisible.errors", "lisible.settings", "lisible.config", "lisible.fsio",
        "lisible.pofile", "lisible.provenance", "lisible.safety", "lisible.typography",
        "lisible.document", "lisible.yamlnodes", "lisible.languages", "lisible.words",
        "lisible.placeholders", "lisible.numberwords", "lisible.stamps")),
    ("convert", ("lisible.convert", "lisible.pdfreader", "lisible.textreader")),
    ("segment", ("lisible.segment",)),
    ("catalogs", ("lisible.catalogs",)),
    ("easyread", ("lisible.easyread", "lisible.easyread.*")),
    ("check", ("lisible.check", "lisible.consistency")),
    # after check: the translation memory checks a reused translation before offering it
    ("translate", ("lisible.translate", "lisible.memory", "lisible.models")),
    # adding a language writes its catalogues and says whether MT can draft them
    ("languages command", ("lisible.language_setup",)),
    ("reassemble", ("lisible.reassemble",)),
    ("pdf", ("lisible.pdf",)),
    ("site", ("lisible.site", "lisible.home", "lisible.siteassets", "lisible.publish",
              "lisible.templatecache", "lisible.pagecache")),
    ("status", ("lisible.status",)),  # a report on the catalogues, for the command line
    ("pipeline", ("lisible.pipeline",)),
    ("serve", ("lisible.serve",)),  # rebuilds with the pipeline on every save
    ("cli", ("lisible.cli",)),
)

# Imports allowed to break the rules, each with its reason: none left since every
# ``cmd_*`` moved into cli.py and the markup placeholders into their own module.
# A pair listed here must exist (test_pending_imports_still_exist).
PENDING: dict[tuple[str, str], str] = {}

# What docs/design.md calls the contract: defined in lisible.document, nowhere else.
CONTRACT = {
    "TRANSLATED_KEYS", "UNIT_PREFIX", "unit_kind", "front_matter", "split_front_matter",
    "set_front_matter", "State", "Counts", "Draft", "Published", "read_published", "Download",
    "manifest_json", "read_manifest", "slugs", "catalogued",
    # names the same things had before they were defined once
    "_set_front_matter", "MachineDraft", "Document", "PdfInfo", "read_document",
    "template_slugs", "find_documents",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path, known: set[str], loading: bool = False) -> set[str]:
    """Every lisible module ``path`` imports, anywhere in it, with the packages that loads.

    With ``loading``, only what importing ``path`` loads: its module-level imports.
    """
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in tree.body if loading else ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            parts = target.split(".")
            # importing a.b.c runs a/b/__init__ too, unless the importer is inside a.b
            found |= {".".join(parts[:i]) for i in range(2, len(parts) + 1)
                      if not name.startswith(".".join(parts[:i]) + ".")}
    return {module for module in found if module in known and module != name}


def graph(loading: bool = False) -> dict[str, set[str]]:
    found = modules()
    return {name: imported(path, set(found), loading) for name, path in found.items()}


def layer_of(module: str) -> int:
    for index, (_, members) in enumerate(LAYERS):
        if any(module == m or (m.endswith(".*") and module.startswith(m[:-1]))
               for m in members):
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and to docs/design.md")


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules (Tarjan), as a readable path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_every_module_has_a_layer() -> None:
    for module in graph():
        layer_of(module)


def test_no_import_cycle() -> None:
    edges = {module: {t for t in targets if (module, t) not in PENDING}
             for module, targets in graph().items()}
    assert cycles(edges) == []


def test_pending_imports_still_exist() -> None:
    """Each exception above is real; once its import is gone, delete it from PENDING."""
    edges = graph()
    gone = [pair for pair in PENDING if pair[1] not in edges.get(pair[0], set())]
    assert gone == []


def test_stages_import_only_the_contract_and_earlier_stages() -> None:
    upward = sorted(
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} "
        f"({LAYERS[layer_of(target)][0]})"
        for module, targets in graph().items() for target in targets
        if layer_of(target) > layer_of(module))
    assert upward == []


def test_the_contract_imports_no_stage_and_no_babel() -> None:
    """The site and the PDFs read the contract; it must not drag in the catalogue tools."""
    path = PACKAGE / "document.py"
    tree = ast.parse(path.read_text("utf-8"))
    runtime = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    names = {alias.name for node in runtime if isinstance(node, ast.Import)
             for alias in node.names}
    names |= {node.module or "" for node in runtime if isinstance(node, ast.ImportFrom)}
    assert not {n for n in names if n.startswith("babel")}
    assert all(layer_of(m) == 0 for m in graph()["lisible.document"])


def test_the_contract_is_defined_once() -> None:
    """Front matter, the published document, unit kinds and states, drafts, the manifest and
    the list of documents have one definition, in lisible.document."""
    elsewhere = []
    for name, path in modules().items():
        if name == "lisible.document":
            continue
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                defined = {node.name}
            elif isinstance(node, ast.Assign):
                defined = {t.id for t in node.targets if isinstance(t, ast.Name)}
            else:
                continue
            elsewhere += [f"{name}.{d}" for d in defined & CONTRACT]
    assert elsewhere == []


def test_the_cycle_finder_finds_cycles() -> None:
    """The checks above pass because there is nothing to find, not because they can't."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def reached(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_pdf_and_site_read_no_catalogue() -> None:
    """The PDFs and the site read build/markdown, the manifest and the settings: they import
    no module that reads catalogues (not even inside a function), and importing them loads
    none (so no Babel catalogue machinery either)."""
    catalogue_readers = {"lisible.catalogs", "lisible.status", "lisible.pofile",
                         "lisible.check", "lisible.translate", "lisible.memory",
                         "lisible.reassemble", "lisible.easyread.catalog", "lisible.convert"}
    direct, loading = graph(), graph(loading=True)
    for stage in ("lisible.pdf", "lisible.site"):
        assert direct[stage] & catalogue_readers == set(), stage
        assert reached(stage, loading) & (catalogue_readers - {"lisible.easyread.catalog"}) \
            == set(), stage


def test_catalogs_knows_nothing_of_convert_or_easy_read() -> None:
    """The catalogue stage reads build/markdown/fr/ through the contract: it does not ask
    convert which sources exist, and easy-read structure belongs to reassembly."""
    assert {m for m in graph()["lisible.catalogs"]
            if m == "lisible.convert" or m.startswith("lisible.easyread")} == set()
