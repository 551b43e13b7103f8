"""The command line: a thin layer over the library.

Each command maps to one stage function; expected failures
(:class:`~lisible.errors.LisibleError`) print ``file:line: message`` and exit
1 without a traceback. Stage modules are imported when their command runs,
so ``build.py convert`` does not pay for loading torch or spaCy.

Examples::

    python build.py                 # the whole build: Markdown, catalogues, drafts, PDFs, site
    python build.py convert         # content/* -> build/markdown/fr/<slug>.md
    python build.py catalogs        # extract units, merge locales/<lang>/<slug>.po
    python build.py status --json   # translation state per document and language
    python build.py check           # catalogue checks, exit 1 on errors
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from lisible.config import Config, load_config
from lisible.errors import LisibleError

Command = Callable[[Config, argparse.Namespace], int]


def cmd_build(config: Config, args: argparse.Namespace) -> int:
    """Run every stage in order."""
    from lisible import pipeline

    return pipeline.build(config, strict=args.strict)


def cmd_convert(config: Config, args: argparse.Namespace) -> int:
    """Convert every source in content/ to canonical Markdown."""
    from lisible import convert

    for result in convert.convert_all(config):
        print(result.describe())
    return 0


def cmd_catalogs(config: Config, args: argparse.Namespace) -> int:
    """Extract units into the templates and merge every catalogue."""
    from lisible import catalogs, convert

    convert.convert_all(config)
    for line in catalogs.update_all(config):
        print(line)
    return 0


def cmd_status(config: Config, args: argparse.Namespace) -> int:
    """Print reviewed / draft / stale / untranslated counts per document and language."""
    from lisible import status

    print(status.render(config, as_json=args.json))
    return 0


def cmd_check(config: Config, args: argparse.Namespace) -> int:
    """Run every catalogue check; print ``file:line: CODE message``."""
    from lisible import check

    report = check.check_all(config)
    for line in report.lines():
        print(line)
    print(report.summary(), file=sys.stderr)
    return 1 if report.errors or (args.strict and report.warnings) else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the lisible publication: Markdown, catalogues, site, PDFs.",
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    parser.add_argument("--strict", action="store_true", help="turn warnings into a failing exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("build", help=cmd_build.__doc__).set_defaults(func=cmd_build)
    sub.add_parser("convert", help=cmd_convert.__doc__).set_defaults(func=cmd_convert)
    sub.add_parser("catalogs", help=cmd_catalogs.__doc__).set_defaults(func=cmd_catalogs)
    status = sub.add_parser("status", help=cmd_status.__doc__)
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(func=cmd_status)
    sub.add_parser("check", help=cmd_check.__doc__).set_defaults(func=cmd_check)
    for module in _stage_modules():
        module.add_commands(sub)
    return parser


# Stages that add their own commands. Each must import cheaply: heavy
# libraries (torch, spaCy, typst) are imported inside the command functions.
STAGE_COMMANDS: tuple[str, ...] = ("translate", "memory", "easyread", "pdf", "site", "serve")


def _stage_modules() -> list:
    import importlib

    return [importlib.import_module(f"lisible.{name}") for name in STAGE_COMMANDS]


# Commands that only read: they may run while a build holds the project lock.
# ``serve`` runs for hours: it takes the lock for each rebuild, not for the session.
READ_ONLY = frozenset({"status", "check", "serve"})


def run(func: Command, config: Config, args: argparse.Namespace) -> int:
    """Run one command; commands that write hold the project lock and first
    clear the temporary files a killed build left behind."""
    if getattr(args, "command", None) in READ_ONLY:
        return func(config, args)
    from lisible import fsio

    with fsio.project_lock(config.build_dir / ".lock"):
        fsio.remove_stale_temps([config.build_dir, config.locales_dir])
        return func(config, args)


def _os_error(error: OSError) -> LisibleError:
    """A system failure (disk full, read-only folder) as ``path: No space left on device``."""
    return LisibleError(error.strerror or str(error), error.filename)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``build.py``: parse, run, turn expected failures into messages.

    Every failure exits non-zero: a person-fixable one (:class:`LisibleError`)
    or a system one (disk full, read-only folder: :class:`OSError`) prints
    one line; only bugs keep their traceback.
    """
    args = _parser().parse_args(argv)
    func: Command = getattr(args, "func", cmd_build)
    try:
        if not args.root.is_dir():
            raise LisibleError("no such project folder (see --root)", args.root)
        return run(func, load_config(args.root), args)
    except (LisibleError, OSError) as error:
        if isinstance(error, OSError):
            error = _os_error(error)
        print(f"error: {error}" if error.path is None else str(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: every file is either old or new, none half-written", file=sys.stderr)
        return 130
