#!/usr/bin/env python3
"""Build the publication: ``python build.py [COMMAND]``; ``--help`` lists the commands."""

import sys

from lisible.cli import main

if __name__ == "__main__":
    sys.exit(main())
