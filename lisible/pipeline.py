"""The whole build, one stage a line.

Each stage reads what the previous one wrote (see docs/design.md), so any
stage can also be run alone from ``build.py``.
"""

from __future__ import annotations

import sys
from typing import TextIO

from lisible import catalogs, check, convert, easyread, pdf, publish, reassemble, stamps, translate
from lisible.config import Config


def build(config: Config, strict: bool = False) -> int:
    """Sources, Markdown, catalogues, drafts, checks, Markdown per language, PDFs, site.

    The site is built beside the published one and swapped in only when
    whole (see :mod:`lisible.publish`), so a failure at any stage leaves
    the previous ``site/`` as it was.

    Each stage skips the work whose inputs are as the last build left them
    (:mod:`lisible.stamps`; ``build.py --force`` forgets that and redoes all).

    With ``strict``, missing models or any check finding is a failure: exit
    code 1 and nothing published (the previous ``site/`` stays).
    """
    convert.convert_all(config)
    with stamps.together():  # the catalogue stages each rewrite every catalogue
        catalogs.update_all(config)
        translated = translate.translate_all(config)
        _say(translated.describe())
        _say(translated.warning(), sys.stderr)
        easyread.draft_all(config)
        report = check.annotate_all(config)
    reassemble.reassemble_all(config)
    if strict and (translated.missing or report.errors or report.warnings):
        print(f"not published (--strict): catalogue checks: {report.summary()}"
              + (", translation models missing" if translated.missing else "")
              + " (details: python build.py check)", file=sys.stderr)
        return 1
    pdf.typeset_all(config)
    print(publish.publish_site(config).describe())
    print(f"catalogue checks: {report.summary()} (details: python build.py check)")
    return 0


def _say(text: str, stream: TextIO = sys.stdout) -> None:
    """Print a stage's report, when it has anything to say."""
    if text:
        print(text, file=stream)
