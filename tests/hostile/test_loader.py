"""Property-based: a real inspection document, damaged, loads or is refused naming where it is wrong; a refused
load writes nothing (every table's row count, the history tables' too, is what it was).

The damage: a value replaced by one of another type or a hostile one (NUL, a lone surrogate, a huge number,
non-ASCII digits, markup, a very long text), a key lost, an unknown key added, a list item repeated.
"""

import json

import pytest
from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st

from inspections.jsonchecks import DocumentInvalid
from inspections.services import reports_load
from tests.conftest import SLUGS, report_document

pytestmark = [pytest.mark.integration, pytest.mark.django_db, pytest.mark.usefixtures("loaded_reports")]

DOCUMENTS = {slug: report_document(slug) for slug in SLUGS}
HOSTILE_VALUES = [
    None,
    True,
    0,
    -1,
    101,
    10**30,
    -(10**30),
    1.5,
    1e308,
    float("inf"),
    float("nan"),
    "",
    " ",
    "\x00",
    "text\x00",
    "\ud800",
    "<script>alert(1)</script>",
    "\u0662\u0660\u0661\u0665-\u0660\u0665",
    "2015-02-30",
    "2015-05\n",
    "x" * 100_000,
    [],
    [None],
    {},
    {"unexpected": 1},
]


def every_path(value, path="$", keys=()):
    """Every value in a document: (JSON path as the loader writes it, the keys that reach it)."""
    yield path, keys
    if isinstance(value, dict):
        for key, item in value.items():
            yield from every_path(item, f"{path}.{key}", (*keys, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from every_path(item, f"{path}[{index}]", (*keys, index))


def related(a: str, b: str) -> bool:
    """One path is the other, or inside it."""
    short, long = sorted([a, b], key=len)
    return long == short or long.startswith((short + ".", short + "["))


@st.composite
def damaged_document(draw) -> tuple[dict, str, str]:
    """A seed document with one value damaged: (document, path of the damage, what was done)."""
    document = json.loads(json.dumps(DOCUMENTS[draw(st.sampled_from(SLUGS))]))
    paths = [(path, keys) for path, keys in every_path(document) if keys]
    path, keys = draw(st.sampled_from(paths))
    *parents, last = keys
    container = document
    for key in parents:
        container = container[key]
    action = draw(st.sampled_from(["replace", "replace", "replace", "lose", "add", "repeat"]))
    if action == "replace":
        container[last] = draw(st.sampled_from(HOSTILE_VALUES) | st.text(max_size=20) | st.integers())
    elif action == "lose" and isinstance(container, dict):
        del container[last]
    elif action == "add" and isinstance(container[last], dict):
        container[last]["unexpected"] = draw(st.sampled_from(HOSTILE_VALUES))
    elif action == "repeat" and isinstance(container, list):
        container.insert(last, json.loads(json.dumps(container[last])))
    else:
        action = "replace"
        container[last] = draw(st.sampled_from(HOSTILE_VALUES))
    return document, path, action


def row_counts() -> dict[str, int]:
    """Every table's row count (history tables included)."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@given(damage=damaged_document())
def test_a_damaged_document_loads_or_is_refused_naming_the_place(tmp_path_factory, damage):
    document, path, action = damage
    file = tmp_path_factory.mktemp("damaged") / "report.json"
    # ensure_ascii: a lone surrogate or NUL travels as a \\u escape, as a hostile file would spell it.
    file.write_text(json.dumps(document, ensure_ascii=True), encoding="utf-8")
    before = row_counts()
    try:
        reports_load(paths=[file])
    except DocumentInvalid as refused:
        assert refused.problems, action
        for problem_path, message in refused.problems:
            assert problem_path.startswith("$") and message.strip()
        assert str(refused).startswith(f"{file}: $")
        if action != "repeat":
            # The damage is named: its own path, the object that lost a key, or the key that was added.
            assert any(related(path, problem_path) for problem_path, _ in refused.problems), (path, refused)
        assert row_counts() == before
