"""The whole build, one stage a line.

Each stage reads what the previous one wrote (see docs/design.md), so any
stage can also be run alone from ``build.py``.
"""

from __future__ import annotations

from lisible import catalogs, check, convert, easyread, pdf, publish, translate
from lisible.config import Config


def build(config: Config, strict: bool = False) -> int:
    """Sources, Markdown, catalogues, drafts, checks, Markdown per language, PDFs, site.

    The site is built beside the published one and swapped in only when
    whole (see :mod:`lisible.publish`), so a failure at any stage leaves
    the previous ``site/`` as it was.

    Exit code 1 when models are missing and ``strict`` is set, or when
    ``strict`` is set and the checks found anything.
    """
    convert.convert_all(config)
    catalogs.update_all(config)
    missing_models = translate.translate_all(config, strict=strict)
    easyread.draft_all(config)
    report = check.annotate_all(config)
    catalogs.reassemble_all(config)
    pdf.build_pdfs(config)
    print(publish.publish_site(config).describe())
    print(f"catalogue checks: {report.summary()} (details: python build.py check)")
    return 1 if missing_models or (strict and (report.errors or report.warnings)) else 0
