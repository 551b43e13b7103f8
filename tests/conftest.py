"""Shared test options and fixtures.

``pytest --update-golden`` (or ``make golden``) rewrites the expected files
of the golden tests from the current output; review the diff by eye.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


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
