"""``python -m mediation``: the command line (same as the ``mediation`` script)."""

from mediation.cli import main

raise SystemExit(main())
