"""How a build's cost grows with the number of texts: full, no-op and one-text-edited rebuilds.

    .venv/bin/python benchmarks/scale.py [--texts 1 10 50] [--runs 1] [--keep DIR]

For each size N, makes a project of N generated French texts (about the
length of the carte blanche: headings, paragraphs of varied sentences, a
footnote, a source), with the repository's ``mkdocs.yml``, ``overrides/``
and editors' lists, and no translation models (nl and en stay untranslated,
easy-read French is drafted by rules). Then runs ``build.py`` as a separate
process, as a person would:

- full: first build of a fresh project (the catalogues are made);
- no-op: the same build again, nothing changed;
- edited: one sentence of one source changed, then a build.

Each run is timed whole (wall clock), with the CPU time and peak resident
memory of the build process and every process it waited for (``wait4``:
pandoc, typst, msgmerge...). Runs are interleaved across sizes so a busy
machine slows every column alike. Prints one table, with each time as a
ratio to the full build of 1 text (when 1 is measured), as a share of the
full build of the same size, and per text.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("full", "no-op", "edited")

SUBJECTS = ["Le gouvernement bruxellois", "La commune", "Le CPAS", "L’administration régionale",
            "Chaque association", "Une partie des habitants", "Le ministre", "Le parlement",
            "La Région", "Le service public", "Cette ordonnance", "Le guichet numérique",
            "Une personne âgée", "Un jeune sans emploi", "La caisse d’allocations"]
VERBS = ["impose", "propose", "refuse", "prévoit", "annonce", "défend", "supprime",
         "organise", "finance", "remplace", "rend obligatoire", "réduit", "contrôle"]
OBJECTS = ["un formulaire en ligne", "le contact humain au guichet", "l’accès aux droits sociaux",
           "une application mobile", "un rendez-vous par téléphone", "le courrier papier",
           "l’accompagnement des usagers", "les démarches administratives",
           "une aide au logement", "la formation au numérique", "un accueil sans rendez-vous"]
TAILS = ["pour toutes les démarches", "dans les dix-neuf communes", "depuis le mois de mars",
         "sans concertation avec le secteur", "malgré les critiques des associations",
         "alors que deux Bruxellois sur cinq sont en difficulté", "à partir de l’année prochaine",
         "selon le baromètre de l’inclusion numérique", "pour les personnes les plus fragiles",
         "au nom de la simplification administrative", "comme le demande le secteur social"]
OPENERS = ["Pourtant, ", "Par contre, ", "Depuis longtemps, ", "En pratique, ", "Ainsi, ",
           "Aujourd’hui, ", "De plus, ", "Enfin, ", "", "", "", ""]
HEADINGS = ["Un guichet qui disparaît", "Ce que dit le texte", "Les personnes oubliées",
            "Ce que nous demandons", "Des droits pour tous", "Le coût du numérique",
            "Une autre voie est possible", "Ce qui change pour les usagers"]


def sentence(rng: random.Random) -> str:
    """One plausible French sentence, different most times it is called."""
    opener = rng.choice(OPENERS)
    subject = rng.choice(SUBJECTS)
    text = f"{opener}{subject[0].lower() + subject[1:] if opener else subject} "
    text += f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
    if rng.random() < 0.3:
        text += f", et {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
    if rng.random() < 0.1:
        text += f" ({rng.randint(2, 98)} %)"
    return text + rng.choice([".", ".", ".", " !", " ?"]).replace(" ", "\u202f")


def text_of(index: int) -> str:
    """The Markdown body of generated text ``index`` (about 6 kB, like the carte blanche)."""
    rng = random.Random(index)
    blocks = [f"Texte numéro {index} : {sentence(rng)}"]
    for heading in rng.sample(HEADINGS, 3):
        blocks.append(f"## {heading}")
        for _ in range(rng.randint(2, 3)):
            blocks.append(" ".join(sentence(rng) for _ in range(rng.randint(3, 5))))
    blocks[2] += "[^1]"
    blocks.append("[^1]: Baromètre de l’inclusion numérique, Fondation Roi Baudouin, 2022.")
    return "\n\n".join(blocks) + "\n"


def meta_of(index: int) -> str:
    return (f'title: "Texte {index} : le numérique par défaut"\n'
            'kicker: "Carte blanche"\nlang: fr-BE\n'
            f'description: "Le texte {index} parle des guichets et du numérique."\n')


def make_project(where: Path, count: int) -> Path:
    """A fresh project folder with ``count`` generated texts."""
    root = where / f"texts-{count}"
    if root.exists():
        shutil.rmtree(root)
    (root / "content").mkdir(parents=True)
    for name in ("pyproject.toml", "mkdocs.yml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "overrides", root / "overrides")
    for csv in (ROOT / "content").glob("easyread-*.csv"):
        shutil.copy(csv, root / "content" / csv.name)
    for index in range(count):
        (root / "content" / f"texte-{index:02d}.md").write_text(text_of(index), "utf-8")
        (root / "content" / f"texte-{index:02d}.meta.yml").write_text(meta_of(index), "utf-8")
    return root


def edit_one(root: Path, run: int) -> None:
    """Change one sentence of the first text, differently each run."""
    path = root / "content" / "texte-00.md"
    lines = path.read_text("utf-8").split("\n")
    lines[0] = f"Texte numéro 0, version {run} : " + sentence(random.Random(1000 + run))
    path.write_text("\n".join(lines), "utf-8")


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the build and the processes it waited for
    rss: float  # MiB, peak resident set of the largest of those processes


def build(root: Path, extra: list[str]) -> Run:
    """One ``build.py`` process on ``root``, measured with ``wait4``."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root),
                                *extra], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    stderr = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0,):
        raise SystemExit(f"build of {root} failed ({process.returncode}):\n{stderr.decode()}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--runs", type=int, default=1, help="runs of each kind (median)")
    parser.add_argument("--keep", type=Path, help="build the projects here and keep them")
    parser.add_argument("--build-args", default="", help="extra build.py arguments")
    args = parser.parse_args()
    where = args.keep or Path(tempfile.mkdtemp(prefix="lisible-scale-"))
    where.mkdir(parents=True, exist_ok=True)
    extra = args.build_args.split()
    results: dict[tuple[int, str], list[Run]] = {}
    try:
        for run in range(args.runs):
            for count in args.texts:
                root = make_project(where, count)
                results.setdefault((count, "full"), []).append(build(root, extra))
                results.setdefault((count, "no-op"), []).append(build(root, extra))
                edit_one(root, run)
                results.setdefault((count, "edited"), []).append(build(root, extra))
                print(f"run {run + 1}, {count} texts: done", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(where, ignore_errors=True)
    print(table(results, args.texts))
    return 0


def median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(run, field) for run in runs)


def table(results: dict[tuple[int, str], list[Run]], sizes: list[int]) -> str:
    """The Markdown table: wall and CPU, as ratios to 1 text and to the full build,
    per text, and peak memory. On a shared machine, trust the CPU columns."""
    lines = ["| texts | build | wall s | CPU s | wall × 1-text full | CPU × 1-text full "
             "| CPU s/text | wall % of full | CPU % of full | peak MiB |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for count in sizes:
        full = {f: median(results[(count, "full")], f) for f in ("wall", "cpu")}
        for kind in KINDS:
            runs = results[(count, kind)]
            wall, cpu = median(runs, "wall"), median(runs, "cpu")
            base = results.get((1, "full"))  # "edited at 50 <= 2x a 1-text build"
            ratios = (f"{wall / median(base, 'wall'):.2f} | {cpu / median(base, 'cpu'):.2f}"
                      if base else "– | –")
            lines.append(f"| {count} | {kind} | {wall:.2f} | {cpu:.2f} | {ratios} | "
                         f"{cpu / count:.3f} | {100 * wall / full['wall']:.0f} % | "
                         f"{100 * cpu / full['cpu']:.0f} % | {median(runs, 'rss'):.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
