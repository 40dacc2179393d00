"""Checking JSON documents by hand, so that every problem is reported with its JSON path in plain words.

Both loaders (frameworks and inspection documents) collect every problem in a file before refusing it, so an
inspector fixes a file in one pass instead of one error per run.
"""

import calendar
import datetime
import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

# ASCII digits only: Python's \d (and int()) would also take "٢٠١٥" or "２０１５" as 2015.
PARTIAL_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?\Z", flags=re.ASCII)
# Text no database row may hold: NUL (PostgreSQL refuses it) and lone surrogates (not encodable as UTF-8),
# which JSON can still spell as "\u0000" or "\ud800".
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")
MISSING = object()


class DocumentInvalid(Exception):
    """A document that cannot be loaded, with every problem found in it."""

    def __init__(self, source: str, problems: Sequence[tuple[str, str]]):
        self.source = source
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{self.source}: {path}: {message}" for path, message in self.problems)


def describe(value: Any) -> str:
    """A short, safe rendering of a bad value for an error message."""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (type(None), bool)) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Checker:
    """Collects problems while reading a JSON value; each reader returns the value, or None when it is wrong."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def object(self, value: Any, path: str, *, required: Iterable[str], optional: Iterable[str] = ()) -> dict | None:
        if value is MISSING:  # its parent has said the key is missing
            return None
        if not isinstance(value, dict):
            self.add(path, f"must be an object, not {type_name(value)}")
            return None
        required, optional = list(required), list(optional)
        for key in required:
            if key not in value:
                self.add(path, f"missing key {key!r}")
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                self.add(f"{path}.{key}", f"unknown key (allowed here: {allowed})")
        return value

    def array(self, value: Any, path: str) -> list:
        if not isinstance(value, list):
            self.add(path, f"must be a list, not {type_name(value)}")
            return []
        return value

    def string(self, value: Any, path: str, *, nullable: bool = False, max_length: int | None = None) -> str | None:
        if value is None or value is MISSING:
            if not nullable and value is None:
                self.add(path, "must not be null")
            return None
        if not isinstance(value, str):
            self.add(path, f"must be a string, not {type_name(value)}")
            return None
        if not value.strip():
            self.add(path, "must not be empty" + (" (use null for unknown)" if nullable else ""))
            return None
        if bad := UNSTORABLE.search(value):
            what = "a NUL character" if bad.group() == "\x00" else "a lone surrogate (not a character)"
            self.add(path, f"holds {what} at position {bad.start()}")
            return None
        if max_length is not None and len(value) > max_length:
            self.add(path, f"is {len(value)} characters long; at most {max_length} fit")
            return None
        return value

    def integer(
        self, value: Any, path: str, *, nullable: bool = False, minimum: int = 0, maximum: int | None = None
    ) -> int | None:
        if value is None or value is MISSING:
            if not nullable and value is None:
                self.add(path, "must not be null")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, f"must be a whole number, not {describe(value)}")
            return None
        if value < minimum or (maximum is not None and value > maximum):
            upper = "" if maximum is None else f" to {maximum}"
            self.add(path, f"{value} is out of range ({minimum}{upper})")
            return None
        return value

    def number(self, value: Any, path: str, *, max_decimal_places: int = 3) -> Decimal | None:
        if value is None or value is MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(path, f"must be a number or null, not {describe(value)}")
            return None
        try:
            decimal = Decimal(str(value))
        except InvalidOperation:
            self.add(path, f"is not a finite number: {describe(value)}")
            return None
        if not decimal.is_finite():
            self.add(path, f"is not a finite number: {describe(value)}")
            return None
        if -decimal.as_tuple().exponent > max_decimal_places:
            self.add(path, f"has more than {max_decimal_places} decimal places: {value}")
            return None
        if abs(decimal) >= Decimal(10) ** 11:
            self.add(path, f"is too large: {value}")
            return None
        return decimal

    def boolean(self, value: Any, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.add(path, f"must be true or false, not {describe(value)}")
            return None
        return value

    def choice(self, value: Any, path: str, choices: Sequence[str], *, what: str, nullable: bool = False) -> str | None:
        if value is None and nullable:
            return None
        if value not in choices or not isinstance(value, str):
            self.add(path, f"{describe(value)} is not a known {what} (one of: {', '.join(choices)})")
            return None
        return value

    def partial_date(
        self, value: Any, path: str, *, nullable: bool = False, month_end: bool = False
    ) -> tuple[datetime.date, str] | None:
        """A ``YYYY-MM-DD`` or ``YYYY-MM`` date as (date, precision).

        A month is kept as its first day, or its last with ``month_end`` (for the end of a period, so that
        "fieldwork from 2 March 2015 to March 2015" stays in order).
        """
        if value is None:
            if not nullable:
                self.add(path, "must not be null")
            return None
        match = PARTIAL_DATE.match(value) if isinstance(value, str) else None
        if match is None:
            self.add(path, f"must be a date as YYYY-MM-DD or YYYY-MM, not {describe(value)}")
            return None
        year, month, day = match.groups()
        try:
            if day is None and month_end:
                date = datetime.date(int(year), int(month), calendar.monthrange(int(year), int(month))[1])
            else:
                date = datetime.date(int(year), int(month), int(day or 1))
        except ValueError:
            self.add(path, f"{value!r} is not a real date")
            return None
        return date, ("month" if day is None else "day")

    def slug(self, value: Any, path: str, *, max_length: int) -> str | None:
        text = self.string(value, path, max_length=max_length)
        if text is not None and not SLUG.match(text):
            self.add(path, f"{describe(text)} must be lower-case letters and digits joined by - or _")
            return None
        return text


def type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def format_partial_date(date: datetime.date | None, precision: str) -> str | None:
    """The inverse of ``Checker.partial_date``."""
    if date is None:
        return None
    return date.strftime("%Y-%m") if precision == "month" else date.isoformat()


def json_number(value: Decimal | None) -> int | float | None:
    """A stored decimal as the JSON number a person would write: 120, not 120.000; 47.9, not 47.900."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())
