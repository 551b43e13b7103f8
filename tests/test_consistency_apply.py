"""scripts/apply_translations.py: the worksheet enters the catalogues as reviewed translations."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog

from lisible import catalogs
from lisible.config import TARGETS
from lisible.provenance import Provenance

ROOT = Path(__file__).resolve().parent.parent
_SPEC = importlib.util.spec_from_file_location("apply_translations",
                                               ROOT / "scripts" / "apply_translations.py")
apply = importlib.util.module_from_spec(_SPEC)
sys.modules["apply_translations"] = apply  # dataclasses look their module up while defining
_SPEC.loader.exec_module(apply)

UNIT = "lisible-unit: paragraph"
DRAFT = Provenance("argostranslate 1.11.0", "translate-fr_en 1.9").comment()
ENTRIES = [
    {"fr": "Le guichet ferme.", "nl": "Het loket sluit.", "en": "The counter closes.",
     "falc": "Le guichet ferme.\nIl n’y a plus personne.", "falc_note": "negation: kept"},
    {"fr": "Deux personnes sur cinq.", "nl": "Twee personen op vijf.",
     "en": "Two people in five.", "falc": "2 personnes sur 5."},
]


def catalogue(**states: tuple[str, bool, list[str]]) -> Catalog:
    """A catalogue with the two units; ``states`` gives (msgstr, fuzzy, comments) by index."""
    catalog = Catalog(locale="en", project="doc", fuzzy=False)
    for index, entry in enumerate(ENTRIES):
        string, fuzzy, comments = states.get(f"u{index}", ("", False, []))
        catalog.add(entry["fr"], string, auto_comments=[UNIT, *comments],
                    flags=["fuzzy"] if fuzzy else [])
    return catalog


def test_untranslated_entries_become_reviewed_with_the_notes_as_translator_comments():
    result, outcomes, problems = apply.apply_worksheet(catalogue(), ENTRIES, "falc", False)
    message = result.get("Le guichet ferme.")
    assert catalogs.state_of(message) is catalogs.State.REVIEWED
    assert message.string == "Le guichet ferme.\nIl n’y a plus personne."
    assert message.user_comments == ["negation: kept"]
    assert [o.action for o in outcomes] == ["filled", "filled"]
    assert problems == []


def test_a_machine_draft_is_replaced_and_loses_its_provenance():
    start = catalogue(u0=("The window closes.", True, [DRAFT]))
    result, outcomes, _ = apply.apply_worksheet(start, ENTRIES, "en", False)
    message = result.get("Le guichet ferme.")
    assert message.string == "The counter closes."
    assert not message.fuzzy
    assert message.auto_comments == [UNIT]
    assert outcomes[0].action == "replaced-draft"


def test_a_different_reviewed_translation_is_kept_and_reported():
    start = catalogue(u0=("The desk closes.", False, []))
    result, outcomes, _ = apply.apply_worksheet(start, ENTRIES, "en", False)
    assert result.get("Le guichet ferme.").string == "The desk closes."
    assert outcomes[0].action == "kept-reviewed"


def test_overwriting_a_reviewed_translation_must_be_asked_for():
    start = catalogue(u0=("The desk closes.", False, []))
    result, outcomes, _ = apply.apply_worksheet(start, ENTRIES, "en", True)
    assert result.get("Le guichet ferme.").string == "The counter closes."
    assert outcomes[0].action == "overwrote-reviewed"


def test_units_missing_on_either_side_are_problems():
    start = catalogue()
    start.add("Un paragraphe nouveau.", "")
    sheet = [*ENTRIES[:1], {"fr": "Disparu.", "en": "Gone."}]
    _, _, problems = apply.apply_worksheet(start, sheet, "en", False)
    assert problems == ["not in the catalogue: “Disparu.”",
                        "not in the worksheet: “Deux personnes sur cinq.”",
                        "not in the worksheet: “Un paragraphe nouveau.”"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with empty catalogues for every target and the worksheet."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    template = Catalog(project="doc", fuzzy=True)
    for entry in ENTRIES:
        template.add(entry["fr"], auto_comments=[UNIT])
    for lang in TARGETS:
        catalog = catalogs.new_catalog(template, lang, "Doc")
        catalog.update(template)
        catalogs.write_catalog(tmp_path / "locales" / lang.code / "doc.po", catalog)
    sheet = tmp_path / "locales" / "translations" / "doc.yml"
    sheet.parent.mkdir(parents=True)
    sheet.write_text(yaml.safe_dump(ENTRIES, allow_unicode=True), "utf-8")
    return tmp_path


def test_the_script_fills_every_catalogue_as_the_translation_team(project):
    assert apply.main(["--root", str(project)]) == 0
    for lang in TARGETS:
        text = (project / "locales" / lang.code / "doc.po").read_text("utf-8")
        assert "Last-Translator: lisible translation team\\n" in text
        assert "PO-Revision-Date: 2023-11-14 22:13+0000" in text
        assert "fuzzy" not in text.split("\n\n", 1)[1]
        assert "lisible-draft" not in text


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_msgfmt_accepts_the_filled_catalogues(project):
    apply.main(["--root", str(project)])
    for lang in TARGETS:
        result = subprocess.run(["msgfmt", "-c", "--statistics", "-o", "/dev/null",
                                 str(project / "locales" / lang.code / "doc.po")],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert "2 translated messages" in result.stderr


def test_a_second_run_changes_nothing(project):
    apply.main(["--root", str(project)])
    paths = [project / "locales" / lang.code / "doc.po" for lang in TARGETS]
    before = [path.read_bytes() for path in paths]
    assert apply.main(["--root", str(project), "--check"]) == 0
    apply.main(["--root", str(project)])
    assert [path.read_bytes() for path in paths] == before
