"""Time the check stage after a translator saves one entry of the easy-read catalogue.

    .venv/bin/python benchmarks/check_entry.py [--runs 3] [--long 10] [--lisible DIR ...]

Issue 18: a catalogue entry whose msgid, msgstr and rules are unchanged is not
linted again. On a temporary project (the repository's text, then one long
generated text of ``--long`` texts of ``benchmarks/scale.py`` end to end), the
catalogue stages run once (convert, merge, drafts, check); then, each run, one
``fr@falc`` msgstr changes (a reviewed sentence, a different entry each time)
and the check stage (``check.annotate_all``) is timed in a fresh process, as a
build runs it, spaCy's loading included (both versions need it: an easy-read
entry changed); the time once spaCy is loaded is printed too, the linting the
stage does, which is what the per-entry memo saves.

Each ``--lisible`` folder is a checkout of lisible (default: this one): give
an older checkout too (``git worktree add /tmp/base <commit>``) to compare
before and after on the same texts. Runs are interleaved across checkouts;
medians are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import text_of  # noqa: E402

SLUG = "carte-blanche-bruxelles-numerique"

PREPARE = """
from lisible import check, convert, stamps, catalogs, easyread
from lisible.config import load_config
config = load_config(ROOT)
convert.convert_all(config)
with stamps.together():
    catalogs.update_all(config)
    easyread.draft_all(config)
    check.annotate_all(config)
"""

EDIT = """
from lisible import catalogs
from lisible.config import load_config
from lisible.document import unit_kind
config = load_config(ROOT)
lang = next(lang for lang in config.targets if lang.easy_read)
path = next(config.locales_dir.glob(lang.code + "/*.po"))
catalog = catalogs.read_catalog(path)
prose = [m for m in catalog if m.id and m.string and unit_kind(m) == "paragraph"]
message = prose[(RUN * 7) % len(prose)]
message.string = "Le guichet ferme le vendredi " + str(RUN) + ".\\n" + message.string
message.flags.discard("fuzzy")
catalogs.write_catalog(path, catalog)
"""

TIMED = """
import time
started = time.perf_counter()
from lisible import check
from lisible.config import load_config
from lisible.easyread.text import nlp
nlp()  # an fr@falc entry changed: either version loads spaCy; timed apart
loaded = time.perf_counter()
report = check.annotate_all(load_config(ROOT))
done = time.perf_counter()
print("SECONDS", done - started, done - loaded, report.summary())
"""


def run(lisible: Path, root: Path, code: str, run_number: int = 0) -> str:
    """``code`` in a fresh interpreter that imports lisible from ``lisible``."""
    prelude = (f"import sys; sys.path.insert(0, {str(lisible)!r})\n"
               f"from pathlib import Path; ROOT = Path({str(root)!r}); RUN = {run_number}\n")
    result = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True,
                            text=True, check=False,
                            env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    return result.stdout


def repository_project(where: Path) -> Path:
    root = where / "repository"
    (root / "content").mkdir(parents=True)
    for path in (ROOT / "content").iterdir():
        if path.is_file():
            shutil.copy(path, root / "content" / path.name)
    shutil.copytree(ROOT / "locales", root / "locales")
    return _settings(root)


def long_project(where: Path, texts: int) -> Path:
    root = where / f"long-{texts}"
    (root / "content").mkdir(parents=True)
    body = "\n".join(text_of(i).replace("[^1]", f"[^{i + 1}]") for i in range(texts))
    (root / "content" / "long.md").write_text(body, "utf-8")
    (root / "content" / "long.meta.yml").write_text(
        'title: "Un long texte"\nkicker: "Carte blanche"\nlang: fr-BE\n', "utf-8")
    for csv in (ROOT / "content").glob("easyread-*.csv"):
        shutil.copy(csv, root / "content" / csv.name)
    return _settings(root)


def _settings(root: Path) -> Path:
    for name in ("pyproject.toml", "mkdocs.yml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "overrides", root / "overrides")
    return root


def measure(project: Path, checkouts: list[Path], runs: int) -> dict[str, list[float]]:
    """The check stage's seconds after one fr@falc entry changed, per checkout."""
    copies = {}
    for index, lisible in enumerate(checkouts):
        copy = project.with_name(f"{project.name}-{index}")
        shutil.copytree(project, copy)
        run(lisible, copy, PREPARE)
        copies[lisible] = copy
    times: dict[str, list[tuple[float, float]]] = {str(lisible): [] for lisible in checkouts}
    for number in range(1, runs + 1):
        for lisible, copy in copies.items():
            run(lisible, copy, EDIT, number)
            out = run(lisible, copy, TIMED)
            line = next(x for x in out.splitlines() if x.startswith("SECONDS")).split()
            times[str(lisible)].append((float(line[1]), float(line[2])))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--long", type=int, default=10, help="generated texts in the long one")
    parser.add_argument("--lisible", type=Path, action="append", help="a lisible checkout")
    args = parser.parse_args()
    checkouts = [path.resolve() for path in (args.lisible or [ROOT])]
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        for label, project in (("repository text", repository_project(where)),
                               (f"long text ({args.long} generated)",
                                long_project(where, args.long))):
            times = measure(project, checkouts, args.runs)
            for lisible, pairs in times.items():
                whole = statistics.median(p[0] for p in pairs)
                work = statistics.median(p[1] for p in pairs)
                print(f"{label:28} {lisible:24} check stage, one fr@falc entry changed: "
                      f"{whole:.2f} s in a fresh process, {work:.2f} s once spaCy is "
                      f"loaded (medians of {len(pairs)})", flush=True)
                results[f"{label} | {lisible}"] = pairs
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
