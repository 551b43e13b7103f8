"""The YAML node tree of a settings file, read with line numbers.

``mkdocs.yml`` is read as PyYAML *nodes*, not values, so every setting keeps
its line for ``mkdocs.yml:12: error:`` messages and a command can edit one
line of the file without rewriting the team's comments (PyYAML's loader
keeps neither). Shared by :mod:`lisible.settings`, :mod:`lisible.languages`
and :mod:`lisible.language_setup`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lisible.errors import ConfigError


def compose(text: str, path: Path) -> Any:
    """The YAML node tree; unknown tags (``!!python/name:``, ``!ENV``) are left unread."""
    import yaml

    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ConfigError(f"error: not valid YAML: {getattr(error, 'problem', error)}",
                          path, line) from None


def mapping(node: Any) -> dict[str, tuple[int, Any]]:
    """A mapping node's entries: key -> (line of the key, value node)."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): (key.start_mark.line + 1, value) for key, value in node.value}


def scalar(node: Any) -> Any:
    """A node's plain value (str, int, date, list...), as YAML's safe loader reads it."""
    import yaml

    constructor = yaml.constructor.SafeConstructor()
    try:
        return constructor.construct_object(node, deep=True)
    except (yaml.constructor.ConstructorError, ValueError):
        return node.value if isinstance(node, yaml.ScalarNode) else None
