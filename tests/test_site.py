"""A small four-language project for the site tests, built from the docs/design.md contract.

Until catalogues exist, reassembled files are made by hand here: the French
canonical file (the real one from ``python build.py convert`` when present,
else a short text in the same format) copied into each target language with a
``lisible`` mapping and the marks of unreviewed text, as catalogs' reassembly
writes them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from lisible.config import Config, config_from_dict

REPO = Path(__file__).resolve().parents[1]
SLUG = "essai-lisible"

FRENCH = """---
title: "« Bruxelles numérique » : un essai"
kicker: "Carte blanche"
description: "Un texte court pour tester le site."
lang: "fr-BE"
source: "content/essai-lisible.txt"
sources: [{"note": 1, "title": "Baromètre", "url": "https://example.org/barometre"}]
---

Dans quelques jours, le gouvernement va présenter un projet d’ordonnance[^1].

Les guichets disparaissent, et les usagers sont invités à utiliser un *site web*.

## Ce que nous demandons

Nous demandons des guichets accessibles à toutes et tous.

[^1]: Baromètre de l’inclusion numérique, 2022, <https://example.org/barometre>
"""

NL_BODY = """<span class="lisible-draft">De regering stelt een ordonnantie voor[^1].</span>

Fysieke loketten verdwijnen, en gebruikers worden uitgenodigd een *website* te gebruiken.

## Wat wij vragen

<span class="lisible-fallback" lang="fr">Nous demandons des guichets pour tous.</span>

[^1]: <span class="lisible-draft">Barometer, 2022,</span> <https://example.org/barometre>
"""

EN_BODY = """In a few days, the government will present a draft ordinance[^1].

Physical counters are disappearing, and users are asked to use a *website*.

## What we ask for

We ask for counters open to everyone.

[^1]: Digital inclusion barometer, 2022, <https://example.org/barometre>
"""

FALC_BODY = """<span class="lisible-draft">Le gouvernement prépare une nouvelle règle.</span>

Cette règle parle des services publics.

Les services publics vont passer sur internet.

## Les mots difficiles

**Service public** : un service pour tout le monde, par exemple la commune.
"""

META = {
    "nl": ("« Digitaal Brussel »: een test", "Opiniestuk", "Een korte tekst om de site te testen.",
           "nl-BE", NL_BODY, {"reviewed": 1, "draft": 2, "stale": 0, "untranslated": 1}),
    "en": ("“Digital Brussels”: a test", "Op-ed", "A short text to test the site.", "en-GB",
           EN_BODY, {"reviewed": 5, "draft": 0, "stale": 0, "untranslated": 0}),
    "fr@falc": ("Bruxelles et internet", "Texte facile à lire", "Un texte facile à lire.",
                "fr-BE", FALC_BODY, {"reviewed": 2, "draft": 1, "stale": 0, "untranslated": 0}),
}


def front(title: str, kicker: str, description: str, tag: str, counts: dict, code: str) -> str:
    lisible = {"language": code, **counts, "easy_read": code == "fr@falc"}
    values = {"title": title, "kicker": kicker, "description": description, "lang": tag,
              "lisible": lisible}
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def make_project(root: Path, with_pdfs: bool = True) -> Config:
    """A project folder with the site's settings, four languages of one document, two PDFs."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    config = config_from_dict(root, {})
    fr = config.markdown_path(config.source, SLUG)
    fr.parent.mkdir(parents=True)
    fr.write_text(FRENCH, "utf-8")
    for code, (title, kicker, desc, tag, body, counts) in META.items():
        path = config.markdown_path(config.language(code), SLUG)
        path.parent.mkdir(parents=True)
        path.write_text(front(title, kicker, desc, tag, counts, code) + body, "utf-8")
    if with_pdfs:
        write_pdfs(config)
    return config


def tiny_pdf(text: str) -> bytes:
    """A valid one-page PDF, enough for a link to answer with a PDF."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def write_pdfs(config: Config) -> list[dict]:
    """build/downloads/*.pdf and the manifest, in the PDF stage's format."""
    folder = config.build_dir / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for code, label in (("fr", "fr"), ("nl", "nl")):
        name = f"{SLUG}-{label}-a4.pdf"
        data = tiny_pdf(f"{SLUG} {code}")
        (folder / name).write_bytes(data)
        entries.append({"slug": SLUG, "language": code, "label": label, "format": "a4",
                        "file": name, "bytes": len(data), "pages": 1, "title": SLUG,
                        "status": None})
    (folder / "manifest.json").write_text(json.dumps(entries, indent=1), "utf-8")
    return entries
