"""How a catalogue entry says where its text came from, and what checks found.

gettext has one flag, ``fuzzy``, for "needs review". lisible keeps the reason
apart, in comments that translators see in Poedit, Weblate and Lokalize:

``# lisible-draft: engine=argostranslate 1.11.0; model=translate-fr_en 1.9; sha256=0a1b2c; via=en``
    a machine draft (fuzzy, no previous msgid). ``via`` appears when the
    engine pivoted through another language. The easy-read drafter writes
    ``engine=lisible-easyread 0.1.0; rules=split,connectors``. A draft reused
    from the translation memory (:mod:`lisible.memory`) says where from and
    how close: ``engine=memory; memory=catalogues; text=<slug>; match=100%``.
    It is a translator comment (``#``), which gettext's ``msgmerge`` keeps,
    where it replaces automatic ones (``#.``) with the template's; the older
    ``#. lisible-draft:`` form is still read.
``#. lisible-error: CODE message`` / ``#. lisible-warning: CODE message``
    a finding of ``build.py check`` (markup, numbers, easy-read rules ...),
    an automatic comment rewritten on every build.

A fuzzy entry *with* a previous msgid (``#|``) is stale: the source changed
under a translation. A fuzzy entry with neither is treated as stale too: a
person marked it for review. Anything not fuzzy and not empty is reviewed,
i.e. written or approved by a person.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT_PREFIX = "lisible-draft: "
FINDING_PREFIXES = ("lisible-error: ", "lisible-warning: ")


@dataclass(frozen=True)
class Provenance:
    """Which engine made a draft: enough to reproduce or distrust it."""

    engine: str  # "argostranslate 1.11.0", "lisible-easyread 0.1.0"
    model: str = ""  # package name and version: "translate-fr_en 1.9"
    digest: str = ""  # short sha256 of the model files
    via: str = ""  # pivot language, when there was one
    rules: str = ""  # for rule-based drafters: the rules applied
    memory: str = ""  # translation memory: "catalogues" or the memory file it came from
    text: str = ""  # translation memory: the text (slug) whose reviewed entry was reused
    match: str = ""  # translation memory: how close the sources are, "100%" when identical

    def comment(self) -> str:
        """The one-line automatic comment written on the entry."""
        parts = [f"engine={self.engine}"]
        for key in ("model", "digest", "via", "rules", "memory", "text", "match"):
            value = getattr(self, key)
            if value:
                parts.append(f"{'sha256' if key == 'digest' else key}={value}")
        return DRAFT_PREFIX + "; ".join(parts)

    @classmethod
    def parse(cls, comment: str) -> Provenance | None:
        """The provenance in an automatic comment, or None if it is not one."""
        if not comment.startswith(DRAFT_PREFIX):
            return None
        values: dict[str, str] = {}
        for part in comment[len(DRAFT_PREFIX):].split("; "):
            key, _, value = part.partition("=")
            values["digest" if key == "sha256" else key] = value
        if "engine" not in values:
            return None
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Finding:
    """One check result on one entry: ``severity`` is "error" or "warning"."""

    code: str
    message: str
    severity: str = "error"

    def comment(self) -> str:
        """The automatic comment written on the entry."""
        return f"lisible-{self.severity}: {self.code} {self.message}"

    @classmethod
    def parse(cls, comment: str) -> Finding | None:
        """The finding in an automatic comment, or None if it is not one."""
        for prefix in FINDING_PREFIXES:
            if comment.startswith(prefix):
                code, _, message = comment[len(prefix):].partition(" ")
                return cls(code, message, prefix[len("lisible-"):-2])
        return None


def is_lisible_comment(comment: str) -> bool:
    """True for the comments lisible owns and rewrites (never a translator's)."""
    return comment.startswith((DRAFT_PREFIX, *FINDING_PREFIXES))
