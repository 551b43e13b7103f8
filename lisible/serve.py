"""``python build.py serve``: preview the site while writing and translating.

Builds once, serves ``site/`` on 127.0.0.1 (never on the network: a preview
holds unreviewed drafts), and rebuilds whenever a file in ``content/`` or
``locales/`` or ``mkdocs.yml`` is saved. Each rebuild prints one line; an
expected failure (a catalogue that does not parse, a bad source) prints
``file:line: error: message`` and the server keeps serving the last good
site, since :mod:`lisible.publish` swaps ``site/`` only when a build is whole.

Why polling rather than inotify: no new dependency, the same behaviour on
every system and on network folders, and a project has a few hundred files at
most, so a stat of each twice a second costs nothing.

The project lock is taken for each rebuild, not for the whole session, so
``python build.py translate`` can run in another terminal between saves.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lisible.config import Config
from lisible.errors import LisibleError

POLL_SECONDS = 0.5
SETTLE_SECONDS = 0.3  # an editor's save is often several writes: wait for the last one

Snapshot = dict[Path, tuple[int, int]]


@dataclass(frozen=True)
class Rebuild:
    """What one build did, as the one line the terminal shows."""

    ok: bool
    seconds: float
    changed: tuple[str, ...]
    detail: str  # the checks' summary, or the error lines

    def line(self) -> str:
        what = ", ".join(self.changed[:3]) + (f" and {len(self.changed) - 3} more"
                                              if len(self.changed) > 3 else "")
        cause = f" ({what})" if what else ""
        if self.ok:
            return f"rebuilt{cause} in {self.seconds:.1f} s; {self.detail}"
        return self.detail


def watched(config: Config) -> list[Path]:
    """What a rebuild depends on and a person edits: sources, catalogues, mkdocs.yml."""
    return [config.content_dir, config.locales_dir, config.root / "mkdocs.yml"]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Modification time and size of every file under ``paths``."""
    state: Snapshot = {}
    for path in paths:
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            with contextlib.suppress(FileNotFoundError):
                info = file.stat()
                if file.is_file() and not file.name.startswith(".") and ".tmp" not in file.name:
                    state[file] = (info.st_mtime_ns, info.st_size)
    return state


def changes(before: Snapshot, after: Snapshot, root: Path) -> tuple[str, ...]:
    """The files added, changed or removed, relative to the project."""
    names = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    return tuple(sorted(p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p)
                        for p in names))


def error_line(error: BaseException) -> str:
    """An expected failure as ``file:line: error: message`` (``error: message`` without a file)."""
    if isinstance(error, OSError):  # disk full, read-only folder: as the command line says it
        error = LisibleError.from_os_error(error)
    if isinstance(error, LisibleError):
        return error.report()
    return f"error: {error}"


def run_build(config: Config, build: Callable[[Config], int],
              changed: tuple[str, ...] = ()) -> Rebuild:
    """One build under the project lock, its chatter kept, summed up in a :class:`Rebuild`."""
    from lisible import fsio

    started = time.perf_counter()
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                fsio.project_lock(config.build_dir / ".lock"):
            fsio.remove_stale_temps([config.build_dir, config.locales_dir])
            code = build(config)
    except (LisibleError, OSError) as error:
        return Rebuild(False, time.perf_counter() - started, changed, error_line(error))
    seconds = time.perf_counter() - started
    if code:
        errors = [line for line in err.getvalue().splitlines() if line.strip()]
        return Rebuild(False, seconds, changed, "\n".join(errors) or "error: build failed")
    checks = [line for line in out.getvalue().splitlines() if line.startswith("catalogue checks")]
    return Rebuild(True, seconds, changed, checks[-1] if checks else "site published")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves site/ quietly: the terminal shows rebuilds, not every request."""

    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload shows the last rebuild
        super().end_headers()


def start_server(site_dir: Path, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for ``site_dir`` on 127.0.0.1, answering in a background thread.

    The folder is named, not opened: when a build swaps in a new ``site/``,
    the next request reads the new one.
    """
    handler = functools.partial(_Handler, directory=str(site_dir))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        raise LisibleError(f"cannot serve on 127.0.0.1:{port}: {error.strerror}; "
                           "choose another port with --port") from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch(config: Config, build: Callable[[Config], int], say: Callable[[str], None],
          stop: threading.Event, poll: float = POLL_SECONDS,
          before: Snapshot | None = None) -> None:
    """Rebuild after every save until ``stop`` is set; a failed build waits for the next save.

    The state after a build is the new reference, taken before the build's
    line is printed (a save made as soon as it is read must count): what the
    build itself wrote into ``locales/`` (merged catalogues, drafts) starts
    no rebuild. A save made while a build runs is in that state too, so it
    waits for the next save; the build's line says which files it saw.
    """
    paths = watched(config)
    before = snapshot(paths) if before is None else before
    while not stop.wait(poll):
        now = snapshot(paths)
        if now == before:
            continue
        stop.wait(SETTLE_SECONDS)
        now = snapshot(paths)
        report = run_build(config, build, changes(before, now, config.root))
        before = snapshot(paths)
        say(report.line())


def serve(config: Config, port: int, build: Callable[[Config], int] | None = None,
          say: Callable[[str], None] | None = None) -> int:
    """Build, serve ``site/`` on 127.0.0.1:``port`` and rebuild on save, until Ctrl-C."""
    if build is None:
        from lisible import pipeline

        build = pipeline.build
    say = say or (lambda line: print(line, flush=True))
    first = run_build(config, build)
    state = snapshot(watched(config))  # before "serving" is printed: the next save counts
    say(first.line().replace("rebuilt", "built", 1))
    config.site_dir.mkdir(parents=True, exist_ok=True)
    server = start_server(config.site_dir, port)
    say(f"serving {config.site_dir} at http://127.0.0.1:{server.server_address[1]}/ "
        "(rebuilds when content/, locales/ or mkdocs.yml change; Ctrl-C stops)")
    stop = threading.Event()
    try:
        watch(config, build, say, stop, before=state)
    except KeyboardInterrupt:
        say("stopped")
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
    return 0
