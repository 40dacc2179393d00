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
def damaged_document(draw) -> tuple[dict, str, str, str, str | None]:
    """A seed document with one value damaged: (document, path of the damage, what was done, the path of the object
    that holds it, that object's code if it has one)."""
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
    owner = path[: -len(f".{last}")] if isinstance(last, str) else path[: -len(f"[{last}]")]
    code = container.get("code") if isinstance(container, dict) and isinstance(container.get("code"), str) else None
    return document, path, action, owner, code


def names_the_damage(path: str, owner: str, code: str | None, problems: list[tuple[str, str]]) -> bool:
    """A problem at the damage (its own path, the object that lost a key, the key that was added), at another field
    of the object that holds it (a comparator_value damaged is refused at the comparator it needs), or naming that
    object by its code (a key question's % damaged is refused at the judgement it no longer supports, "the lowest
    key question (2.1.1 at 3%)")."""
    for problem_path, message in problems:
        if related(path, problem_path) or (owner != "$" and related(owner, problem_path)):
            return True
        if code and f"({code} at" in message:
            return True
    return False


def row_counts() -> dict[str, int]:
    """Every table's row count (history tables included)."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@given(damage=damaged_document())
def test_a_damaged_document_loads_or_is_refused_naming_the_place(tmp_path_factory, damage):
    document, path, action, owner, code = damage
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
            assert names_the_damage(path, owner, code, refused.problems), (path, refused)
        assert row_counts() == before


def refusal(tmp_path, document: dict) -> list[tuple[str, str]]:
    file = tmp_path / "report.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DocumentInvalid) as refused:
        reports_load(paths=[file])
    return refused.value.problems


def test_a_damage_refused_at_another_field_of_its_object_or_by_its_code_is_named(tmp_path):
    # Found by the property above: the refusal names the damage's object, or the damaged key question's code, not
    # always the damaged value's own path.
    document = json.loads(json.dumps(DOCUMENTS["western-bay"]))
    document["key_facts"][0]["comparator"] = None
    problems = refusal(tmp_path, document)
    assert problems == [("$.key_facts[0].comparator", "a comparator_value needs the comparator it belongs to")]
    assert names_the_damage("$.key_facts[0].comparator_value", "$.key_facts[0]", None, problems)

    document = json.loads(json.dumps(DOCUMENTS["warwickshire"]))
    [index] = [i for i, question in enumerate(document["key_questions"]) if question["code"] == "2.1.1"]
    document["key_questions"][index]["percent_yes"] = 3
    problems = refusal(tmp_path, document)
    assert problems == [
        (
            "$.judgements[4]",
            "standard 2.1: rating 'Outstanding' differs from 'Inadequate', which the lowest key question (2.1.1 at 3%) "
            "proposes: correct the rating, or set professional discretion and give the reason",
        )
    ]
    damaged = f"$.key_questions[{index}].percent_yes"
    assert names_the_damage(damaged, f"$.key_questions[{index}]", "2.1.1", problems)
    assert not names_the_damage(damaged, f"$.key_questions[{index}]", "2.1.2", problems)
