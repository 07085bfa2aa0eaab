"""The mediation desk: case manager for police–school joint mediation centres."""

__version__ = "0.1.0"
