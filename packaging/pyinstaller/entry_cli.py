"""Frozen entry of ``mediation`` (the console program of the bundle)."""

import sys

from mediation.cli import main

if __name__ == "__main__":
    sys.exit(main())
