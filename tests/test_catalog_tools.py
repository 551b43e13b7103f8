"""Catalogues survive the translators' real tools: gettext's msgmerge and Weblate's writer.

Poedit's "Update from POT" and Weblate's msgmerge add-on run ``msgmerge
--previous``, which replaces every ``#.`` comment with the template's; Weblate
saves through translate-toolkit, wrapping at 77 columns or not at all. A
machine draft must stay recognisable, with its engine, after each, and a save
must not make the next build rewrite the whole file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import carte_blanche_project
from translate.storage import pypo

from lisible import catalogs, convert
from lisible.provenance import Provenance

GOLDEN = Path(__file__).parent / "golden" / "convert"
SLUG = "carte-blanche-bruxelles-numerique"
MT = Provenance("argostranslate 1.11.0", "translate-fr_nl 1.9", "0a1b2c", via="en")


@pytest.fixture
def drafted(tmp_path: Path):
    """The carte blanche with a Dutch catalogue: half reviewed, half machine drafts."""
    config = carte_blanche_project(tmp_path)
    po = config.catalog_path(config.language("nl"), SLUG)
    catalog = catalogs.read_catalog(po)
    messages = [m for m in catalog if m.id]
    for message in messages[::2]:
        message.string = "Nagekeken: " + str(message.id)[:50]
    drafts = {catalogs.key_of(m): catalogs.Draft("Machinevertaling: " + str(m.id)[:60], MT)
              for m in messages[1::2]}
    catalogs.write_catalog(po, catalogs.apply_drafts(catalog, drafts))
    return config, po, set(drafts)


def _states(po: Path) -> dict:
    catalog = catalogs.read_catalog(po)
    return {catalogs.key_of(m): (catalogs.state_of(m), catalogs.provenance_of(m))
            for m in catalog if m.id}


def _assert_drafts_kept(po: Path, keys: set) -> None:
    states = _states(po)
    assert {k for k, (state, _) in states.items() if state is catalogs.State.DRAFT} == keys
    assert all(states[k][1] == MT for k in keys)
    assert all(state is catalogs.State.REVIEWED for k, (state, _) in states.items()
               if k not in keys)


def test_provenance_survives_msgmerge_update_from_pot(drafted) -> None:
    config, po, keys = drafted
    subprocess.run(["msgmerge", "--previous", "-U", "-q", "--backup=none", str(po),
                    str(config.template_path(SLUG))], check=True)
    _assert_drafts_kept(po, keys)
    catalogs.update_all(config)
    _assert_drafts_kept(po, keys)


def _weblate_save(po: Path, width: int) -> None:
    """What Weblate does on save: translate-toolkit re-serialises every translated unit."""
    store = pypo.pofile(po.open("rb"), width=width)
    for unit in store.units:
        if unit.target:
            text = unit.target
            unit.target = text + " "
            unit.target = text
    po.write_bytes(bytes(store))


@pytest.mark.parametrize("width", [77, -1], ids=["wrap-77", "no-wrap"])
def test_translate_toolkit_save_keeps_provenance_and_its_layout(drafted, width: int) -> None:
    """Weblate re-serialises every unit it touches; the next build leaves its layout alone."""
    config, po, keys = drafted
    _weblate_save(po, width)
    saved = po.read_text("utf-8")
    _assert_drafts_kept(po, keys)
    catalogs.update_all(config)
    assert po.read_text("utf-8") == saved
    _assert_drafts_kept(po, keys)


def test_after_a_weblate_save_only_changed_entries_take_msgcats_layout(drafted) -> None:
    config, po, _ = drafted
    _weblate_save(po, width=-1)
    saved = po.read_text("utf-8").split("\n")
    source = config.content_dir / f"{SLUG}.txt"
    source.write_text(source.read_text("utf-8").replace("débat public", "débat démocratique"),
                      "utf-8")
    convert.convert_all(config)
    catalogs.update_all(config)
    changed = set(po.read_text("utf-8").split("\n")) ^ set(saved)
    assert 0 < len(changed) < 20, changed
