"""The publication's settings in mkdocs.yml: read, validated, reported with file:line."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from lisible import cli, settings
from lisible.config import load_config
from lisible.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent

GOOD = """site_name: Campagne
site_url: https://example.org/campagne/
site_author: Collectif
copyright: "© 2026 Collectif"
theme:
  name: material
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
extra:
  generator: false
  lisible:
    publisher:
      name: Jeanne Exemple
      address: rue de l’Essai 1, 1000 Bruxelles
    contact: contact@example.org
    date: 2026-12-01
    signatories: [Association A, Association B]
    licence: CC BY 4.0
"""


def project(tmp_path: Path, mkdocs: str, pyproject: str = "") -> Path:
    (tmp_path / "mkdocs.yml").write_text(mkdocs, "utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.lisible]\nsource_language = "fr"\n' + pyproject, "utf-8")
    return tmp_path


def test_every_setting_is_read_into_the_configuration(tmp_path):
    config = load_config(project(tmp_path, GOOD))
    publication = config.publication
    assert config.site_url == publication.site_url == "https://example.org/campagne/"
    assert publication.author == "Collectif" and publication.copyright == "© 2026 Collectif"
    assert publication.publisher == settings.Publisher("Jeanne Exemple",
                                                       "rue de l’Essai 1, 1000 Bruxelles")
    assert publication.contact == "contact@example.org"
    assert publication.date == datetime.date(2026, 12, 1)
    assert publication.signatories == ("Association A", "Association B")
    assert publication.licence == "CC BY 4.0"
    assert settings.warnings(publication) == []


def test_the_carte_blanche_settings_invent_nothing_and_warn_about_the_publisher():
    publication = settings.load_publication(REPO)
    assert publication.signatories == () and publication.publisher == settings.Publisher()
    assert publication.date is None and publication.contact == ""
    [warning] = settings.warnings(publication)
    line = publication.line("publisher")
    assert warning.startswith(f"{REPO / 'mkdocs.yml'}:{line}: warning: no éditeur responsable")
    assert "publisher:" in (REPO / "mkdocs.yml").read_text("utf-8").splitlines()[line - 1]


BAD = """site_url: example.org
extra:
  lisible:
    publisher: Jeanne
    contacts: x
    date: 2026-13-01
    signatories: Association A
"""


def test_every_wrong_key_or_value_is_reported_with_its_line(tmp_path):
    with pytest.raises(ConfigError) as error:
        load_config(project(tmp_path, BAD))
    lines = str(error.value).splitlines()
    where = tmp_path / "mkdocs.yml"
    assert [line.split(": error: ")[0] for line in lines] == [
        f"{where}:{n}" for n in (1, 4, 5, 6, 7)]
    assert "site_url" in lines[0] and "https://" in lines[0]
    assert "unknown setting 'contacts'" in lines[2]
    assert "YYYY-MM-DD" in lines[3] and "list of names" in lines[4]


def test_the_command_line_prints_the_errors_and_exits_non_zero(tmp_path, capsys):
    root = project(tmp_path, BAD)
    assert cli.main(["--root", str(root), "status"]) != 0
    err = capsys.readouterr().err
    assert f"{root / 'mkdocs.yml'}:1: error: site_url" in err
    assert "Traceback" not in err


def test_site_url_in_pyproject_still_works_with_a_deprecation_warning(tmp_path, capsys):
    root = project(tmp_path, "site_name: x\n", 'site_url = "https://old.example.org/"\n')
    config = load_config(root)
    assert config.site_url == "https://old.example.org/"
    err = capsys.readouterr().err
    assert f"{root / 'pyproject.toml'}:3: warning: site_url in [tool.lisible] is deprecated" in err


def test_mkdocs_yml_wins_over_the_deprecated_key(tmp_path, capsys):
    root = project(tmp_path, "site_url: https://new.example.org/\n",
                   'site_url = "https://old.example.org/"\n')
    assert load_config(root).site_url == "https://new.example.org/"
    assert "mkdocs.yml's value wins" in capsys.readouterr().err


def test_a_project_without_mkdocs_yml_has_empty_settings(tmp_path):
    assert settings.load_publication(tmp_path) == settings.Publication()
