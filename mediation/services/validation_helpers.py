"""Small glue for services that gather every field's error before raising."""

from __future__ import annotations

from mediation import validation
from mediation.errors import ValidationError


def collect(errors: dict[str, str], field: str, value: str, *, required: bool = False,
            max_len: int = 200) -> str:
    """Validate free text into ``errors`` (returns "" on error so callers can go on)."""
    try:
        return validation.text(value, field=field, required=required, max_len=max_len)
    except ValidationError as exc:
        errors.update(exc.errors)
        return ""
