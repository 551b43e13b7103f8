"""The whole build, one stage a line.

Each stage reads what the previous one wrote (see docs/design.md), so any
stage can also be run alone from ``build.py``.
"""

from __future__ import annotations

from lisible import catalogs, check, convert, pdf
from lisible.config import Config


def build(config: Config, strict: bool = False) -> int:
    """Sources -> Markdown -> catalogues -> drafts -> checks -> Markdown per language."""
    convert.convert_all(config)
    catalogs.update_all(config)
    check.annotate_all(config)
    catalogs.reassemble_all(config)
    pdf.build_pdfs(config)
    report = check.check_all(config)
    print(f"built; catalogue checks: {report.summary()}")
    return 1 if strict and (report.errors or report.warnings) else 0
