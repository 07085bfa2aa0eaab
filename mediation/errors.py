"""Exception hierarchy shared by the core and the front ends.

Every message is meant for the person at the desk (Simplified Chinese by default,
translated through :mod:`mediation.i18n`); none of them contains personal data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class MediationError(Exception):
    """Base class: an expected problem whose message can be shown as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(MediationError):
    """Bad input. Carries one message per field so a form can mark every field at once.

    ``errors`` maps a field name (e.g. ``"parties.0.id_number"``) to its message.
    """

    def __init__(
        self,
        errors: Mapping[str, str] | None = None,
        *,
        field: str | None = None,
        message: str | None = None,
    ) -> None:
        merged: dict[str, str] = dict(errors or {})
        if field is not None and message is not None:
            merged[field] = message
        if not merged:
            raise ValueError("ValidationError needs at least one field message")
        self.errors = merged
        super().__init__("；".join(merged.values()))

    @property
    def field(self) -> str:
        """The first field in error (handy when there is only one)."""
        return next(iter(self.errors))

    def prefixed(self, prefix: str) -> ValidationError:
        """The same errors with ``prefix.`` put before every field name."""
        return ValidationError({f"{prefix}.{k}": v for k, v in self.errors.items()})


class NotFound(MediationError):
    """The record asked for does not exist (or is not visible to this user)."""


class Conflict(MediationError):
    """Someone else changed the record first; nothing was overwritten."""


class PermissionDenied(MediationError):
    """The acting user's role does not allow this action."""


class WorkflowError(MediationError):
    """A stage transition whose guard failed. ``missing`` lists what is lacking."""

    def __init__(self, message: str, missing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.missing = list(missing)


class AuthError(MediationError):
    """Login refused. ``reason`` is one of: unknown, bad_password, locked, expired, disabled."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class StorageError(MediationError):
    """The environment failed: database locked or unreachable, disk full, bad file."""
