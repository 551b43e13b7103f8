"""French typography: the no-break spaces of « guillemets » and high punctuation.

French sets a space before ``; : ! ?`` and inside ``« »``; it must never break
there (a lone ``?`` at the start of a line is a classic web and print defect).
lisible uses one character for all of them, U+202F NARROW NO-BREAK SPACE, as
the Imprimerie nationale recommends for ``; ! ?`` and ``« »``, and applies it
consistently before ``:`` too, so text has a single, checkable convention.

Only spaces that exist are converted for ``:`` (``https://`` and ``10:30``
take none); for ``; ! ?`` and guillemets a missing space is added.
"""

from __future__ import annotations

import re

NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"

_SPACES = f"[ \t{NBSP}{NNBSP}]"
_BEFORE_HIGH = re.compile(rf"{_SPACES}+([;:!?])")
_MISSING_BEFORE = re.compile(r"(?<=[\w»)\]])([;!?])(?=\s|$)")
_AFTER_OPEN = re.compile(rf"«{_SPACES}*")
_BEFORE_CLOSE = re.compile(rf"{_SPACES}*»")


_RULES = (
    (_BEFORE_HIGH, NNBSP + r"\1", "before {mark}"),
    (_MISSING_BEFORE, NNBSP + r"\1", "before {mark}"),
    (_AFTER_OPEN, "«" + NNBSP, "after «"),
    (_BEFORE_CLOSE, NNBSP + "»", "before »"),
)


def french(text: str) -> str:
    """Apply French spacing to ``text`` (idempotent)."""
    for pattern, replacement, _ in _RULES:
        text = pattern.sub(replacement, text)
    return text


def spacing_problems(text: str) -> list[str]:
    """Where ``text`` breaks the convention, one message each: what :func:`french` would fix."""
    problems = []
    for pattern, replacement, where in _RULES:
        for match in pattern.finditer(text):
            if match.expand(replacement) != match.group(0):
                mark = match.group(1) if pattern.groups else ""
                problems.append(
                    f"expected a narrow no-break space (U+202F) {where.format(mark=mark)}"
                )
    return problems
