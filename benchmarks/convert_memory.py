"""Time and weigh the convert stage on a large plain-text source.

    .venv/bin/python benchmarks/convert_memory.py [--mb 10]

Writes a project in a temporary folder whose only source is the carte
blanche repeated to ``--mb`` megabytes, runs ``build.py convert`` on it and
prints the wall time and the peak resident memory of the process and of its
largest child (pandoc). Before conversion went through pandoc in pieces, 10 MB
took 2.1 GB (pandoc alone).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "golden" / "convert" / "carte-blanche-bruxelles-numerique.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of the source, in MB")
    args = parser.parse_args()
    title, body = SOURCE.read_text("utf-8").split("\n", 1)
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        content.mkdir()
        copies = max(1, int(args.mb * 1e6 / len(body.encode())))
        (content / "grand.txt").write_text(title + "\n\n" + "\n".join([body] * copies), "utf-8")
        size = (content / "grand.txt").stat().st_size
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), tmp], check=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        out = Path(tmp) / "build" / "markdown" / "fr" / "grand.md"
        print(f"{size / 1e6:.1f} MB source -> {out.stat().st_size / 1e6:.1f} MB Markdown in "
              f"{seconds:.1f} s; peak memory of the largest process: {peak:.0f} MB")


_CHILD = """
import resource, sys
from lisible import cli
code = cli.main(["--root", sys.argv[2], "convert"])
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"python {me:.0f} MB, largest pandoc {kids:.0f} MB")
sys.exit(code)
"""

if __name__ == "__main__":
    main()
