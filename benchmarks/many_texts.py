"""Build a publication of many texts and measure what a reader and a team get.

Usage::

    .venv/bin/python benchmarks/many_texts.py                 # 50 texts
    .venv/bin/python benchmarks/many_texts.py --texts 10 50   # build time per text, two sizes
    .venv/bin/python benchmarks/many_texts.py --keep /tmp/fifty

Generates N French texts of realistic length (a campaign's replies, open
letters, FAQs: 270 to 1,200 words, 740 on average, the carte blanche has 850; in
sections, sentences varied from a small
grammar, seeded so every run writes the same texts), each with a
``.meta.yml`` (title, kicker, description, date), in a fresh project with the
repository's ``mkdocs.yml`` and ``overrides/``; builds it with no
translation model (``SOURCE_DATE_EPOCH`` fixed); prints the build time per
stage and per text, the weight of the home page and of the status page
(bytes and gzip), the search index, and the height of the home page at
390 px in Debian's Chromium, whose full-page screenshot is written to
``tests/output/many-texts/home-390.png``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gzip
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lisible import catalogs, check, convert, easyread, pdf, publish, translate  # noqa: E402
from lisible.config import load_config  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
OUTPUT = ROOT / "tests" / "output" / "many-texts"

SUBJECTS = (
    "Le gouvernement bruxellois", "La ministre de la Transition numérique", "Le CPAS de la commune",
    "Chaque administration", "Une personne âgée qui vit seule", "Un parent qui cherche une école",
    "Notre association", "La Ligue des droits humains", "Le Parlement bruxellois",
    "Un habitant sur cinq", "Le secteur associatif", "La nouvelle ordonnance",
    "Le guichet de la commune", "L’application régionale", "Une travailleuse sans ordinateur",
)
VERBS = (
    "doit garantir", "ne peut pas remplacer", "a promis de maintenir", "refuse de financer",
    "met en danger", "rend plus difficile", "devrait protéger", "oublie trop souvent",
    "a supprimé sans concertation", "pourrait améliorer", "complique encore", "laisse de côté",
    "demande depuis des années", "impose désormais", "ne mesure pas",
)
OBJECTS = (
    "l’accès aux droits sociaux", "un guichet ouvert et humain", "le contact avec une personne",
    "les démarches pour obtenir une allocation", "le droit de choisir sa manière de faire",
    "les services publics de proximité", "l’aide aux personnes qui lisent difficilement",
    "un numéro de téléphone qui répond", "la prise de rendez-vous sans internet",
    "le courrier papier", "les permanences dans les quartiers", "la confiance des citoyens",
    "l’égalité devant l’administration", "la protection des données personnelles",
    "le temps d’expliquer un formulaire",
)
COMPLEMENTS = (
    "pour des milliers de Bruxellois", "alors que les files s’allongent",
    "depuis la fermeture des bureaux de poste", "sans aucune étude d’impact",
    "dans chacune des dix-neuf communes", "au nom de l’efficacité",
    "malgré les avertissements du terrain", "pendant les heures de bureau seulement",
    "quand la connexion ne fonctionne pas", "pour les personnes sans smartphone",
    "à partir du premier janvier", "contre l’avis du Conseil d’État",
)
OPENERS = (
    "Pourtant,", "En réalité,", "Aujourd’hui,", "Concrètement,", "Depuis 2020,",
    "Dans les faits,", "Selon le baromètre de l’inclusion numérique,", "Nous le constatons :",
    "Il faut le dire clairement :", "Sur le terrain,", "À Anderlecht comme à Uccle,",
)
SHORT = (
    "Ce n’est pas acceptable.", "Personne ne doit rester sur le côté.",
    "Nous l’avons vu cent fois.", "Les chiffres parlent d’eux-mêmes.",
    "La question est simple.", "Ce choix a des conséquences.", "Il existe d’autres solutions.",
)
HEADINGS = (
    "Ce qui change", "Ce que nous demandons", "Les chiffres", "Ce que vivent les gens",
    "Nos propositions", "Pourquoi c’est urgent", "Ce que dit la loi", "Et maintenant ?",
    "Questions et réponses", "Qui est concerné ?",
)
KICKERS = ("Carte blanche", "Communiqué", "Réponse", "Lettre ouverte", "Questions fréquentes",
           "Tribune", "Appel")
THEMES = ("les guichets", "les CPAS", "les écoles", "les pensions", "le logement", "la santé",
          "les transports", "les allocations familiales", "l’emploi", "les communes")
CLAIMS = ("gardons un accès humain pour {t}", "le numérique ne doit pas fermer {t}",
          "ce que l’ordonnance change pour {t}", "nos questions sur {t}",
          "{t} : personne ne doit rester dehors", "une réponse au gouvernement sur {t}")


def sentence(rng: random.Random) -> str:
    """One sentence, from a short one to a long one with an opener and a complement."""
    if rng.random() < 0.12:
        return rng.choice(SHORT)
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.6:
        text += f" {rng.choice(COMPLEMENTS)}"
    if rng.random() < 0.3:
        other = rng.choice(SUBJECTS)
        text += f", et {other[0].lower()}{other[1:]} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.4:
        opener = rng.choice(OPENERS)
        text = f"{opener} {text[0].lower()}{text[1:]}"
    return text + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def text_markdown(rng: random.Random) -> str:
    """One text: an opening, three to four sections, sometimes a list."""
    parts = [paragraph(rng) for _ in range(2)]
    for heading in rng.sample(HEADINGS, rng.randint(2, 4)):
        parts.append(f"## {heading}")
        parts += [paragraph(rng) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            parts.append("\n".join(f"- {rng.choice(OBJECTS)[0].upper()}{rng.choice(OBJECTS)[1:]}"
                                   f" {rng.choice(COMPLEMENTS)}." for _ in range(3)))
    return "\n\n".join(parts) + "\n"


def meta_yml(rng: random.Random, index: int) -> str:
    theme = rng.choice(THEMES)
    claim = rng.choice(CLAIMS).format(t=theme)
    day = datetime.date(2023, 1, 9) + datetime.timedelta(days=11 * (index // 2) * 2 + index % 2)
    values = {"title": claim[0].upper() + claim[1:], "kicker": rng.choice(KICKERS),
              "description": f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}. "
                             f"{rng.choice(SHORT)}"}
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
    return "\n".join(lines) + f"\ndate: {day.isoformat()}\n"


def make_project(root: Path, count: int, seed: int = 15) -> int:
    """``count`` texts in ``root/content``; the number of words written."""
    rng = random.Random(seed)
    (root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", root / "overrides")
    words = 0
    for index in range(count):
        slug = f"texte-{index + 1:02d}"
        body = text_markdown(rng)
        words += len(body.split())
        (root / "content" / f"{slug}.md").write_text(body, "utf-8")
        (root / "content" / f"{slug}.meta.yml").write_text(meta_yml(rng, index), "utf-8")
    return words


STAGES = (
    ("convert", convert.convert_all),
    ("catalogs", catalogs.update_all),
    ("translate", translate.translate_all),
    ("easyread", easyread.draft_all),
    ("check", check.annotate_all),
    ("reassemble", catalogs.reassemble_all),
    ("pdf", pdf.build_pdfs),
    ("site", publish.publish_site),
)


def build(root: Path) -> dict[str, float]:
    """The stages of ``pipeline.build``, timed one by one (their chatter kept quiet)."""
    config = load_config(root)
    times = {}
    for name, stage in STAGES:
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            stage(config)
        times[name] = time.perf_counter() - started
    return times


def weigh(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 9, mtime=0))


def screenshot(site_dir: Path, dest: Path) -> dict[str, int]:
    """The French home at 390 px, full page; its height in px and in 844 px screens."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_site import serve
    from playwright.sync_api import sync_playwright

    base, _record, server = serve(site_dir)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM,
                                         args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(base, wait_until="networkidle")
            height = page.evaluate("document.documentElement.scrollHeight")
            first = page.evaluate("""() => {
                const items = document.querySelectorAll('.lisible-texts > li');
                return [...items].filter(li => li.getBoundingClientRect().top < 844).length;
            }""")
            dest.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(dest), full_page=True)
            page.screenshot(path=str(dest.with_name(dest.stem + "-first-screen.png")))
            browser.close()
    finally:
        server.shutdown()
    return {"height_px": height, "screens": round(height / 844, 1), "texts_on_first_screen": first}


def run(count: int, keep: Path | None) -> None:
    root = keep or Path(tempfile.mkdtemp(prefix=f"lisible-{count}-texts-"))
    if keep and keep.exists():
        shutil.rmtree(keep)
    words = make_project(root, count)
    times = build(root)
    total = sum(times.values())
    site_dir = root / "site"
    print(f"{count} texts, {words} words ({words // count} per text), project {root}")
    print("  build: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items())
          + f"; total {total:.1f} s, {total / count:.2f} s per text")
    for label, path in (("home fr", site_dir / "index.html"),
                        ("home nl", site_dir / "nl" / "index.html"),
                        ("status fr", site_dir / "status" / "index.html"),
                        ("search index fr", site_dir / "search" / "search_index.json")):
        raw, packed = weigh(path)
        print(f"  {label}: {raw / 1000:.1f} kB, {packed / 1000:.1f} kB gzip")
    shot = screenshot(site_dir, OUTPUT / f"home-390-{count}.png")
    print(f"  home at 390 px: {shot['height_px']} px high ({shot['screens']} screens of 844 px), "
          f"{shot['texts_on_first_screen']} text(s) begin on the first screen; "
          f"screenshot {OUTPUT / f'home-390-{count}.png'}")
    if keep is None:
        shutil.rmtree(root)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, nargs="+", default=[50], help="project sizes")
    parser.add_argument("--keep", type=Path, help="build here and keep it (one size only)")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    for count in args.texts:
        run(count, args.keep if len(args.texts) == 1 else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
