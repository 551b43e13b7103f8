"""The few exceptions lisible raises for problems a person can fix.

Each carries the place it is about, so the command line can print
``file:line: what is wrong`` and exit non-zero without a traceback.
Anything else escaping the pipeline is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class LisibleError(Exception):
    """An expected failure: bad input, a broken catalogue, a missing tool."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    @classmethod
    def from_os_error(cls, error: OSError) -> LisibleError:
        """A system failure (disk full, read-only folder) as ``path: No space left on device``."""
        return cls(error.strerror or str(error), error.filename)

    def report(self) -> str:
        """The line the command line prints: ``file:line: error: message``.

        The ``error:`` word is the GNU convention editors and CI annotators
        parse (``msgfmt``, ``gcc``); a message that already says ``error:`` or
        ``warning:`` (a list of settings problems) keeps its own.
        """
        message = self.message
        if not message.startswith(("error:", "warning:")):
            message = f"error: {message}"
        if self.path is None:
            return message
        where = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {message}"


class ConversionError(LisibleError):
    """A source document that cannot be turned into Markdown."""


class CatalogError(LisibleError):
    """A catalogue that does not parse or would lose a translation."""


class ConfigError(LisibleError):
    """Settings in ``[tool.lisible]`` that are missing or wrong."""
