"""``python build.py serve``, for real: a subprocess on a free port, a catalogue entry
edited as a translator would, the page fetched and changed, a broken catalogue
reported as ``file:line: error:`` without stopping, its repair rebuilt, then Ctrl-C.

Each save is made the moment the previous line is printed: a save made as soon
as the terminal says "serving" or "error" must start a rebuild (it did not once)."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SLUG = "appel"
FRENCH = "Nous demandons un guichet ouvert dans chaque commune."
DUTCH = "Wij vragen een open loket in elke gemeente."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


class Lines:
    """The server's output, line by line, read in the background."""

    def __init__(self, stream) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.queue.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        pytest.fail(f"no line matching {pattern!r} in {timeout} s; got {self.seen}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / f"{SLUG}.md").write_text(f"# Notre appel\n\n{FRENCH}\n", "utf-8")
    (tmp_path / "content" / f"{SLUG}.meta.yml").write_text('title: "Notre appel"\n', "utf-8")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    return tmp_path


def test_serve_rebuilds_on_save_reports_errors_and_stops_on_ctrl_c(project: Path) -> None:
    port = _free_port()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(project), "serve",
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=env)
    try:
        lines = Lines(process.stdout)
        lines.wait_for(rf"^serving .* at http://127\.0\.0\.1:{port}/", timeout=300)
        catalogue = project / "locales" / "nl" / f"{SLUG}.po"
        po = catalogue.read_text("utf-8")
        entry = f'msgid "{FRENCH}"\nmsgstr ""\n'
        assert entry in po
        catalogue.write_text(po.replace(entry, f'msgid "{FRENCH}"\nmsgstr "{DUTCH}"\n'), "utf-8")
        before = (project / "site" / "nl" / SLUG / "index.html").read_text("utf-8")
        assert FRENCH in before and DUTCH not in before  # the first build's page
        line = lines.wait_for(r"^rebuilt ", timeout=180)
        assert f"locales/nl/{SLUG}.po" in line
        page = f"http://127.0.0.1:{port}/nl/{SLUG}/"
        status, text = _get(page)
        assert status == 200 and DUTCH in text

        good = catalogue.read_text("utf-8")
        catalogue.write_text(good + '\nmsgid "unfinished\n', "utf-8")
        error = lines.wait_for(r": error: ", timeout=180)
        catalogue.write_text(good, "utf-8")  # repaired at once
        assert re.match(rf"^{re.escape(str(catalogue))}:\d+: error: ", error), error
        assert process.poll() is None  # still serving the last good site
        assert _get(page) == (200, text)
        lines.wait_for(r"^rebuilt ", timeout=180)

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
        lines.wait_for(r"^stopped$", timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert not any("Traceback" in line for line in lines.seen), lines.seen
