"""The mediation desk: case manager for police–school joint mediation centres."""

from typing import Any


def __getattr__(name: str) -> Any:
    # The version comes from the installed distribution's metadata (mediation.about);
    # looked up only when asked for, so importing the package stays cheap.
    if name == "__version__":
        from mediation.about import version

        return version()
    raise AttributeError(f"module 'mediation' has no attribute {name!r}")
