"""An inspection document as named fields, and the differences between two documents field by field.

The admin shows an inspector, before an import replaces a stored inspection, every field whose value would change.
Fields are named as the importer names them (`judgements/2.1/rating`, `recommendations/3/text`), items by their
natural key so that a recommendation added in the middle does not make every later one "differ".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

_SCALARS = [
    "framework",
    "status",
    "published",
    "fieldwork_start",
    "fieldwork_end",
    "lead_inspector",
    "overall_rating",
    "title",
]
# Per item: its natural key and the fields shown (a judgement's name and domain follow from its code).
_ITEMS = {
    "judgements": ("code", ["rating", "score_percent", "professional_discretion", "note"]),
    "key_questions": ("code", ["text", "percent_yes", "note"]),
    "recommendations": ("number", ["addressee", "text", "domain"]),
    "findings": (None, ["kind", "standard", "text", "attribution"]),
    "key_facts": ("measure", ["value", "unit", "comparator", "comparator_value", "period", "source", "area"]),
}


@dataclass(frozen=True)
class Difference:
    field: str
    stored: Any
    imported: Any


def document_fields(document: dict[str, Any]) -> dict[str, Any]:
    """Every value of a document by its field path, in the document's order. Absent optional keys are None."""
    fields: dict[str, Any] = {}
    service = document.get("service") if isinstance(document.get("service"), dict) else {}
    for key in ("name", "slug", "nation", "local_authorities"):
        fields[f"service/{key}"] = service.get(key)
    for key in _SCALARS:
        fields[key] = document.get(key)
    cases = document.get("cases") if isinstance(document.get("cases"), dict) else {}
    for key in ("court", "out_of_court", "total"):
        fields[f"cases/{key}"] = cases.get(key)
    fields["notes"] = document.get("notes")
    for items, (natural_key, names) in _ITEMS.items():
        for name, item in _named_items(document.get(items), natural_key):
            for field in names:
                fields[f"{items}/{name}/{field}"] = item.get(field)
    return fields


def document_differences(stored: dict[str, Any], imported: dict[str, Any]) -> list[Difference]:
    """The fields whose value differs, the stored document's order first, then fields only the import has.

    A field one document lacks (an item not in it) counts as None there.
    """
    before, after = document_fields(stored), document_fields(imported)
    paths = list(before) + [path for path in after if path not in before]
    return [
        Difference(path, before.get(path), after.get(path))
        for path in paths
        if _differ(before.get(path), after.get(path))
    ]


def _differ(stored: Any, imported: Any) -> bool:
    # 120 and 120.0 are the same figure; True and 1 are not the same answer.
    return stored != imported or isinstance(stored, bool) != isinstance(imported, bool)


def _named_items(items: Any, natural_key: str | None) -> list[tuple[str, dict[str, Any]]]:
    """Each item with its name in a path: its natural key, made unique by position where it repeats
    (key facts repeat a measure for each local authority); findings by their position."""
    items = [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
    if natural_key is None:
        return [(str(position), item) for position, item in enumerate(items)]
    keys = [str(item.get(natural_key)) for item in items]
    repeated = {key for key, count in Counter(keys).items() if count > 1}
    seen: Counter = Counter()
    named = []
    for key, item in zip(keys, items, strict=True):
        if key in repeated:
            seen[key] += 1
            key = f"{key}:{item.get('area') or seen[key]}"
        named.append((key, item))
    return named
