"""Frozen entry of ``mediation-desk`` (the windowed program of the bundle).

In the bundle ``sys.executable`` is this program, so the demo generator's helper
process is started as ``mediation-desk _demo-helper`` when the desktop app generates
demo data: that hidden command belongs to the command line, which handles it.
"""

import sys

HELPER_COMMAND = "_demo-helper"

if __name__ == "__main__":
    if sys.argv[1:2] == [HELPER_COMMAND]:
        from mediation.cli import main as cli_main

        sys.exit(cli_main(sys.argv[1:]))
    from mediation.ui.app import main

    sys.exit(main())
