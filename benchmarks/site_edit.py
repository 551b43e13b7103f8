"""The site stage after one text of many was edited: rendered pages kept, against a cold build.

    .venv/bin/python benchmarks/site_edit.py --root PROJECT [--runs 3]

PROJECT must have been built once, for instance the 50-text project of
``benchmarks/scale.py --texts 50 --runs 1 --keep DIR`` (``DIR/texts-50``).
Each run, in this one process (MkDocs imported once, as in a build):

- edit: one sentence added to the first text's Markdown in every language
  (``build/markdown/<code>/<slug>.md``), as reassembly writes it after a
  source edit;
- incremental: the site stage as a rebuild runs it (``publish_site``): only
  the pages whose inputs changed are rendered (``lisible/pagecache.py``);
- cold: the same inputs with lisible's site caches deleted (rendered pages,
  readability figures, page uses, fonts), as after ``build.py --force``.

Prints the medians of wall and CPU time and their ratio, and checks that the
two sites are the same bytes. The project's Markdown is left edited; its next
``build.py`` reassembles it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_vs_mkdocs import timed  # noqa: E402  (this folder is on sys.path when run)

from lisible import pagecache, publish, stamps  # noqa: E402
from lisible.config import load_config  # noqa: E402


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(config, run: int) -> str:
    """One sentence more in the first text, in every language; its slug."""
    slug = sorted(p.stem for p in config.markdown_dir(config.source).glob("*.md"))[0]
    for lang in config.languages:
        path = config.markdown_path(lang, slug)
        if path.is_file():
            path.write_text(path.read_text("utf-8") + f"\nUne phrase ajoutée ({run}).\n",
                            "utf-8")
    return slug


def forget(config, caches: bool) -> None:
    """Make the site stage due; with ``caches``, as after ``--force``."""
    stamp_dir = config.build_dir / stamps.FOLDER
    shutil.rmtree(stamp_dir / "site", ignore_errors=True)
    if caches:
        shutil.rmtree(stamp_dir / pagecache.FOLDER, ignore_errors=True)
        shutil.rmtree(stamp_dir / "fonts", ignore_errors=True)
        (stamp_dir / "site-readability.json").unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    config = load_config(args.root)
    forget(config, caches=False)
    publish.publish_site(config)  # imports, and caches for the current inputs
    times: dict[str, list[tuple[float, float]]] = {"incremental": [], "cold": []}
    for run in range(args.runs):
        edit(config, run)
        forget(config, caches=False)
        times["incremental"].append(timed(lambda: publish.publish_site(config)))
        mine = tree(config.site_dir)
        forget(config, caches=True)
        times["cold"].append(timed(lambda: publish.publish_site(config)))
        if tree(config.site_dir) != mine:
            print("the incremental site differs from the cold one", file=sys.stderr)
            return 1
    print("| site stage | wall s | CPU s |\n|---|---:|---:|")
    medians = {}
    for kind, runs in times.items():
        medians[kind] = (statistics.median(w for w, _ in runs),
                         statistics.median(c for _, c in runs))
        print(f"| {kind} | {medians[kind][0]:.2f} | {medians[kind][1]:.2f} |")
    ratio = [medians["incremental"][i] / medians["cold"][i] for i in (0, 1)]
    print(f"| incremental / cold | {ratio[0]:.2f} | {ratio[1]:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
