"""Shared test options, fixtures and Hypothesis profiles.

``pytest --update-golden`` (or ``make golden``) rewrites the expected files
of the golden tests from the current output; review the diff by eye.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CI must not be flaky: with CI=true every Hypothesis test replays the same
# derandomized examples. Locally, `HYPOTHESIS_PROFILE=deep` runs many more;
# every new falsifying example found that way is a bug to fix.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None)
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI") == "true" else "dev"))

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
CARTE_SLUG = "carte-blanche-bruxelles-numerique"


def carte_blanche_project(root: Path):
    """A project in ``root`` holding the carte blanche, converted and with catalogues."""
    import shutil

    from lisible import catalogs, convert
    from lisible.config import config_from_dict

    (root / "content").mkdir()
    for name in (f"{CARTE_SLUG}.txt", f"{CARTE_SLUG}.meta.yml"):
        shutil.copy(GOLDEN / "convert" / name, root / "content" / name)
    config = config_from_dict(root, {})
    convert.convert_all(config)
    catalogs.update_all(config)
    return config


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden expected files from the current output")


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with an expected file, or rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden")

    def compare(expected_path: Path, actual: str) -> None:
        if update or not expected_path.exists():
            if not update:
                pytest.fail(f"missing golden file {expected_path}: run make golden and review it")
            expected_path.write_text(actual, "utf-8")
            return
        assert actual == expected_path.read_text("utf-8"), (
            f"{expected_path.name} differs: run `make golden` and review the diff"
        )

    return compare
