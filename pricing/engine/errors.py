"""Errors. Every error names the field it is about and what would have been allowed."""
from __future__ import annotations

from datetime import date, datetime


class PricingError(ValueError):
    """Base class for every error the package raises on bad input or bad data."""


class InputError(PricingError):
    """A caller passed a value the rules cannot price: the message names the field and what is allowed."""

    def __init__(self, field: str, got: object, allowed: str):
        self.field, self.got, self.allowed = field, got, allowed
        shown = repr(got.isoformat()) if isinstance(got, (datetime, date)) else repr(got)   # '2100-01-01T00:00:00'
        super().__init__(f"{field}: missing; allowed: {allowed}" if got is None else f"{field}: got {shown}; allowed: {allowed}")


class CatalogError(PricingError):
    """A catalog file is malformed: the message names the file and the key."""

    def __init__(self, file: str, key: str, problem: str):
        self.file, self.key, self.problem = file, key, problem
        super().__init__(f"{file}: {key}: {problem}")


class RuleError(PricingError):
    """A request the billing rules refuse (for example a downgrade below current usage)."""

    def __init__(self, field: str, problem: str):
        self.field, self.problem = field, problem
        super().__init__(f"{field}: {problem}")
