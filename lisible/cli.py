"""The command line: a thin layer over the library.

This module owns the command line: every command is defined here, parses
its arguments, calls one stage function and prints the report it returns
(stages print nothing of their own). Expected failures
(:class:`~lisible.errors.LisibleError`) print ``file:line: message`` and exit
1 without a traceback. Stage modules are imported when their command runs,
so ``build.py convert`` does not pay for loading torch or spaCy.

Examples::

    python build.py                 # the whole build: Markdown, catalogues, drafts, PDFs, site
    python build.py convert         # content/* -> build/markdown/fr/<slug>.md
    python build.py catalogs        # extract units, merge locales/<lang>/<slug>.po
    python build.py status --json   # translation state per document and language
    python build.py check           # catalogue checks, exit 1 on errors
    python build.py COMMAND --help  # what a command does, with an example
"""

from __future__ import annotations

import argparse
import inspect
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

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


def cmd_translate(config: Config, args: argparse.Namespace) -> int:
    """Machine drafts for untranslated nl/en units (fuzzy, with provenance).

    The translation memory fills what it can first; a missing model is said
    once, and fails the command only with --strict.
    """
    from lisible import translate

    report = translate.translate_all(config, redo_drafts=args.redo_drafts)
    _say(report.describe())
    _say(report.warning(), sys.stderr)
    return 1 if args.strict and report.missing else 0


def cmd_models_list(config: Config, args: argparse.Namespace) -> int:
    """Installed argos packages, and how each configured language is covered."""
    from lisible import models, translate

    available = models.installed(config.models_dir)
    print(f"packages in {models.packages_dir(config.models_dir)}:")
    for info in available:
        print("  " + info.describe())
    if not available:
        print("  (none)")
    for lang in (t for t in config.targets if t.machine_translation):
        route = translate.find_route(available, config.source.code, lang.code)
        how = (" + ".join(p.name for p in route) if route else
               f"no package: python build.py models install --from-index "
               f"{config.source.code} {lang.code}")
        print(f"{config.source.code}→{lang.code}: {how}")
    return 0


def cmd_models_install(config: Config, args: argparse.Namespace) -> int:
    """Install a .argosmodel file, or download packages from argos's index."""
    from lisible import models

    if bool(args.file) == bool(args.from_index):
        raise models.ModelError("give either FILE.argosmodel or --from-index LANG LANG …")
    done = ([models.install_file(config.models_dir, Path(args.file))] if args.file
            else models.install_from_index(config.models_dir, args.from_index))
    for info in done:
        print(f"installed {info.describe()}")
    return 0


def cmd_memory_export(config: Config, args: argparse.Namespace) -> int:
    """Write every reviewed pair (French and each language) to a TMX file for CAT tools."""
    from lisible import memory
    from lisible.fsio import write_bytes

    data = memory.export_tmx(config)
    write_bytes(Path(args.file), data)
    print(f"memory: {args.file}: {data.count(b'<tu ')} units")
    return 0


def cmd_easyread_lint(config: Config, args: argparse.Namespace) -> int:
    """Lint text, Markdown or .po files against the easy-read rules.

    Prints ``file:line: RULE message (source)``; in a .po file the line is the
    entry's ``msgid`` line, and each msgstr is linted.
    """
    from lisible.easyread import lint_path

    errors = warnings = 0
    for path in map(Path, args.files):
        for line, finding in lint_path(config, path):
            print(f"{path}:{line}: {finding.code} {finding.message} ({finding.source})")
            errors += finding.severity == "error"
            warnings += finding.severity == "warning"
    print(f"{errors} errors, {warnings} warnings", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def cmd_easyread_draft(config: Config, args: argparse.Namespace) -> int:
    """Draft every pending entry of the easy-read catalogues (fuzzy, with provenance)."""
    from lisible.easyread import draft_all

    print(draft_all(config, redo_drafts=args.redo).describe())
    return 0


def cmd_easyread_readability(config: Config, args: argparse.Namespace) -> int:
    """Source vs easy-read readability, per document, from the easy-read catalogues."""
    import json

    from lisible.easyread import (
        comparison,
        easy_read_language,
        readability_report,
        side_by_side,
    )

    lang = easy_read_language(config)
    report = {template.stem: readability_report(config, template.stem)
              for template in sorted(config.locales_dir.glob("*.pot"))
              if config.catalog_path(lang, template.stem).exists()}
    if args.json:
        print(json.dumps({slug: comparison(*pair) for slug, pair in report.items()},
                         ensure_ascii=False, indent=2))
    else:
        for slug, pair in report.items():
            print(f"{slug}\n{side_by_side(*pair)}\n")
    return 0


def cmd_pdf(config: Config, args: argparse.Namespace) -> int:
    """Typeset every language's Markdown as A4, A5 and A4-with-bleed PDFs."""
    from lisible import pdf

    print(pdf.typeset_all(config).describe())
    return 0


def cmd_site(config: Config, args: argparse.Namespace) -> int:
    """Build the multilingual site into site/ (French at the root, then nl/, en/, facile/)."""
    from lisible import publish

    report = publish.publish_site(config)  # built beside site/, swapped in when whole
    print(report.describe())
    return 1 if args.strict and report.warnings else 0


def _say(text: str, stream: TextIO = sys.stdout) -> None:
    """Print a report's text, when it has any."""
    if text:
        print(text, file=stream)


# --------------------------------------------------------------------------- the parser


def cmd_serve(config: Config, args: argparse.Namespace) -> int:
    """Build, serve site/ on 127.0.0.1 and rebuild when a source or catalogue is saved.

    For previewing on this computer only: the server listens on 127.0.0.1,
    and Ctrl-C stops it. Each rebuild takes the project lock, so other
    commands can run between saves.
    """
    from lisible import serve

    return serve.serve(config, args.port)


def cmd_languages(config: Config, args: argparse.Namespace) -> int:
    """List, add or remove the published languages (extra.lisible.languages in mkdocs.yml).

    ``add`` does what msginit does for every text; ``remove`` moves the
    catalogues to locales/removed/ and refuses, without --force, when they
    hold reviewed work.
    """
    from lisible import language_setup

    action = getattr(args, "languages_command", None) or "list"
    if action == "list":
        lines = language_setup.listing(config)
    elif action == "add":
        lines = language_setup.add(config, args.code)
    else:
        lines = language_setup.remove(config, args.code, force=args.force_remove)
    for line in lines:
        print(line)
    return 0


def _add(sub: Any, name: str, func: Command | None, example: str,
         summary: str | None = None) -> argparse.ArgumentParser:
    """One command: its help line, its description (the function's docstring) and an example."""
    doc = inspect.getdoc(func) if func is not None else summary or ""
    parser = sub.add_parser(
        name, help=summary or doc.split("\n")[0],
        description=f"{doc}\n\nExample:\n  python build.py {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    if func is not None:
        parser.set_defaults(func=func)
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the lisible publication: Markdown, catalogues, site, PDFs.",
        epilog="Example: python build.py    (the whole build; add --strict in CI)",
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    parser.add_argument("--strict", action="store_true", help="turn warnings into a failing exit")
    parser.add_argument("--force", action="store_true",
                        help="redo every stage's work, even where its inputs are unchanged")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add(sub, "build", cmd_build, "build --strict")
    _add(sub, "convert", cmd_convert, "convert")
    _add(sub, "catalogs", cmd_catalogs, "catalogs")
    _add(sub, "status", cmd_status, "status --json").add_argument(
        "--json", action="store_true", help="machine-readable output")
    _add(sub, "check", cmd_check, "check")
    _add(sub, "translate", cmd_translate, "translate --redo-drafts").add_argument(
        "--redo-drafts", action="store_true",
        help="also replace earlier machine drafts (never reviewed text)")
    _models(sub)
    _memory(sub)
    _easyread(sub)
    _add(sub, "pdf", cmd_pdf, "pdf")
    _add(sub, "site", cmd_site, "site")
    _languages(sub)
    _add(sub, "serve", cmd_serve, "serve --port 8001").add_argument(
        "--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    return parser


def _models(sub: Any) -> None:
    group = _add(sub, "models", None, "models list",
                 "List or install the translation packages (argos), kept in models/.")
    actions = group.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    _add(actions, "list", cmd_models_list, "models list")
    install = _add(actions, "install", cmd_models_install,
                   "models install --from-index fr nl en")
    install.add_argument("file", nargs="?", help="a .argosmodel file")
    install.add_argument("--from-index", nargs="+", metavar="LANG",
                         help="source then target languages, e.g. fr en nl (needs internet)")


def _languages(sub: Any) -> None:
    group = _add(sub, "languages", cmd_languages, "languages add de",
                 "List, add or remove the published languages (mkdocs.yml).")
    actions = group.add_subparsers(dest="languages_command", metavar="ACTION")
    _add(actions, "list", cmd_languages, "languages list", "The published languages.")
    _add(actions, "add", cmd_languages, "languages add de",
         "Publish a language: mkdocs.yml and its catalogues (what msginit does)."
         ).add_argument("code", help="gettext language code: de, es, pt_BR")
    remove = _add(actions, "remove", cmd_languages, "languages remove de",
                  "Stop publishing a language; its catalogues go to locales/removed/.")
    remove.add_argument("code", help="gettext language code")
    remove.add_argument("--force", action="store_true", dest="force_remove",
                        help="also when its catalogues hold reviewed translations")


def _memory(sub: Any) -> None:
    group = _add(sub, "memory", None, "memory export memory.tmx",
                 "The translation memory shared by all texts.")
    actions = group.add_subparsers(dest="memory_command", metavar="ACTION", required=True)
    _add(actions, "export", cmd_memory_export, "memory export memory.tmx").add_argument(
        "file", help="the TMX file to write")


def _easyread(sub: Any) -> None:
    group = _add(sub, "easyread", None, "easyread lint build/markdown/fr@falc/<slug>.md",
                 "Easy-read French: lint, draft, readability.")
    actions = group.add_subparsers(dest="easyread_command", metavar="ACTION", required=True)
    _add(actions, "lint", cmd_easyread_lint,
         "easyread lint build/markdown/fr@falc/<slug>.md").add_argument(
        "files", nargs="+", help="text, Markdown or .po files")
    _add(actions, "draft", cmd_easyread_draft, "easyread draft").add_argument(
        "--redo", action="store_true",
        help="also redraft entries that still hold a drafter's draft")
    _add(actions, "readability", cmd_easyread_readability,
         "easyread readability --json").add_argument(
        "--json", action="store_true", help="machine-readable output")


# Commands that only read: they may run while a build holds the project lock.
# ``serve`` runs for hours: it takes the lock for each rebuild, not for the session.
READ_ONLY = frozenset({"status", "check", "serve"})


def run(func: Command, config: Config, args: argparse.Namespace) -> int:
    """Run one command; commands that write hold the project lock and first
    clear the temporary files a killed build left behind.

    Every command but ``languages`` (which lists them itself) first warns
    about catalogues in ``locales/`` for a language that is not published.
    """
    if getattr(args, "command", None) != "languages":
        from lisible.language_setup import unconfigured_warnings

        for line in unconfigured_warnings(config):
            print(line, file=sys.stderr)
    listing = getattr(args, "command", None) == "languages" and getattr(
        args, "languages_command", None) in (None, "list")
    if getattr(args, "command", None) in READ_ONLY or listing:
        return func(config, args)
    from lisible import fsio

    with fsio.project_lock(config.build_dir / ".lock"):
        fsio.remove_stale_temps([config.build_dir, config.locales_dir])
        if getattr(args, "force", False):
            from lisible import stamps

            stamps.clear(config.build_dir)
        return func(config, args)


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
            error = LisibleError.from_os_error(error)
        print(error.report(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: every file is either old or new, none half-written", file=sys.stderr)
        return 130
