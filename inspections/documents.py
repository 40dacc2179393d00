"""The inspection document (docs/data-format.md): checking one fully, and its canonical form.

``document_check`` reads untrusted JSON and returns the canonical document (the exact dict that
``export_reports`` would write for it once loaded, with a derived overall rating filled in), or raises
``DocumentInvalid`` naming every problem with its JSON path. It checks types, the framework's own codes, names,
question wording and rating scale, and the rating rules; model validation runs when the rows are built
(``inspections.services``).
"""

import re
from typing import Any

from findings.models import FindingKind
from inspections.jsonchecks import MISSING, Checker, DocumentInvalid, json_number
from inspections.models import InspectionStatus, Nation
from ratings.rules import judgement_problem
from ratings.selectors import FrameworkCatalogue

TOP_LEVEL_KEYS = [
    "service",
    "framework",
    "status",
    "published",
    "fieldwork_start",
    "fieldwork_end",
    "lead_inspector",
    "cases",
    "overall_rating",
    "title",
    "notes",
    "judgements",
    "key_questions",
    "recommendations",
    "findings",
    "key_facts",
]
OPTIONAL_TOP_LEVEL_KEYS = ["title", "notes"]
JUDGEMENT_KEYS = ["code", "name", "domain", "rating", "score_percent", "professional_discretion", "note"]
KEY_QUESTION_KEYS = ["code", "text", "percent_yes"]
RECOMMENDATION_KEYS = ["number", "addressee", "text"]
FINDING_KEYS = ["kind", "standard", "text"]
KEY_FACT_KEYS = ["measure", "value", "unit", "comparator", "comparator_value", "period", "source"]


SERVICE_ACRONYM = re.compile(r"\b(?:YOT|YOS|YJS|YJEIS)\b")


def question_key(text: str) -> str:
    """A key question's wording, for matching a report's printing of it to the framework's.

    Reports name their own kind of service in the questions ("the YOT's recommendations" in one, "the YOS's"
    in another), print typographic apostrophes and wrap lines: none of that makes it another question.
    """
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(SERVICE_ACRONYM.sub("SERVICE", text).split())


def document_check(data: Any, *, source: str, catalogues: dict[str, FrameworkCatalogue]) -> dict:
    """The canonical form of a valid inspection document; DocumentInvalid naming every problem otherwise."""
    check = Checker()
    root = check.object(
        data,
        "$",
        required=[k for k in TOP_LEVEL_KEYS if k not in OPTIONAL_TOP_LEVEL_KEYS],
        optional=OPTIONAL_TOP_LEVEL_KEYS,
    )
    if root is None:
        raise DocumentInvalid(source, check.problems)

    service = check.object(
        root.get("service", MISSING), "$.service", required=["name", "slug", "nation", "local_authorities"]
    )
    canonical_service = None
    if service is not None:
        authorities = []
        for i, name in enumerate(check.array(service.get("local_authorities"), "$.service.local_authorities")):
            name = check.string(name, f"$.service.local_authorities[{i}]", max_length=200)
            if name in authorities:
                check.add(f"$.service.local_authorities[{i}]", f"{name!r} is listed twice")
            elif name is not None:
                authorities.append(name)
        canonical_service = {
            "name": check.string(service.get("name"), "$.service.name", max_length=200),
            "slug": check.slug(service.get("slug"), "$.service.slug", max_length=100),
            "nation": check.choice(service.get("nation"), "$.service.nation", Nation.values, what="nation"),
            "local_authorities": authorities,
        }

    framework_code = root.get("framework")
    catalogue = catalogues.get(framework_code) if isinstance(framework_code, str) else None
    if catalogue is None:
        known = ", ".join(sorted(catalogues)) or "none loaded: run load_frameworks first"
        check.add("$.framework", f"{framework_code!r} is not a known framework ({known})")
        raise DocumentInvalid(source, check.problems)

    grade_names = list(catalogue.grades)
    scale_words = ", ".join(grade_names) if grade_names else "this framework gives no ratings"

    def rating(value: Any, path: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in catalogue.grades:
            check.add(path, f"{value!r} is not a rating of the {catalogue.framework.code} framework ({scale_words})")
            return None
        return value

    published = check.partial_date(root.get("published"), "$.published", nullable=True)
    fieldwork_start = check.partial_date(root.get("fieldwork_start"), "$.fieldwork_start", nullable=True)
    fieldwork_end = check.partial_date(root.get("fieldwork_end"), "$.fieldwork_end", nullable=True, month_end=True)
    if fieldwork_start and fieldwork_end and fieldwork_end[0] < fieldwork_start[0]:
        check.add("$.fieldwork_end", "is before fieldwork_start")

    cases = check.object(root.get("cases", MISSING), "$.cases", required=["court", "out_of_court", "total"])
    canonical_cases = {key: None for key in ("court", "out_of_court", "total")}
    if cases is not None:
        for key in canonical_cases:
            canonical_cases[key] = check.integer(cases.get(key), f"$.cases.{key}", nullable=True, maximum=100_000)

    notes = []
    for i, note in enumerate(check.array(root.get("notes", []), "$.notes")):
        notes.append(check.string(note, f"$.notes[{i}]"))

    judgements = _judgements(check, root.get("judgements"), catalogue, rating)
    key_questions = _key_questions(check, root.get("key_questions"), catalogue)
    _check_rules(check, judgements, key_questions, catalogue)

    overall = rating(root.get("overall_rating"), "$.overall_rating")
    derived = catalogue.derived_overall({j["code"]: j["rating"] for j in judgements})
    if overall is not None and not catalogue.rules.overall_bands:
        check.add("$.overall_rating", f"the {catalogue.framework.code} framework gives no overall rating: use null")
    elif overall is not None and derived is not None and overall != derived:
        check.add(
            "$.overall_rating",
            f"{overall!r} is not the {derived!r} that the standards' ratings add up to under the framework's "
            "overall rule: correct the overall rating or the standards' ratings",
        )

    canonical = {
        "service": canonical_service,
        "framework": catalogue.framework.code,
        "status": check.choice(root.get("status"), "$.status", InspectionStatus.values, what="status"),
        "published": root.get("published") if published else None,
        "fieldwork_start": root.get("fieldwork_start") if fieldwork_start else None,
        "fieldwork_end": root.get("fieldwork_end") if fieldwork_end else None,
        "lead_inspector": check.string(root.get("lead_inspector"), "$.lead_inspector", nullable=True, max_length=200),
        "cases": canonical_cases,
        "overall_rating": overall if overall is not None else derived,
        "title": check.string(root.get("title"), "$.title", nullable=True, max_length=300),
        "notes": notes,
        "judgements": judgements,
        "key_questions": key_questions,
        "recommendations": _recommendations(check, root.get("recommendations"), catalogue),
        "findings": _findings(check, root.get("findings"), catalogue),
        "key_facts": _key_facts(check, root.get("key_facts")),
    }
    if check.problems:
        raise DocumentInvalid(source, check.problems)
    return canonical


def _judgements(check: Checker, value: Any, catalogue: FrameworkCatalogue, rating) -> list[dict]:
    judgements, seen = [], set()
    for i, item in enumerate(check.array(value, "$.judgements")):
        path = f"$.judgements[{i}]"
        item = check.object(item, path, required=JUDGEMENT_KEYS)
        if item is None:
            continue
        code = item.get("code")
        standard = catalogue.standards.get(code) if isinstance(code, str) else None
        if standard is None:
            check.add(
                f"{path}.code",
                f"{code!r} is not a standard of {catalogue.framework.code} ({', '.join(catalogue.standards)})",
            )
            continue
        if code in seen:
            check.add(f"{path}.code", f"standard {code} is judged twice")
        seen.add(code)
        if item.get("name") != standard.name:
            check.add(f"{path}.name", f"{item.get('name')!r} is not the framework's name for {code}: {standard.name!r}")
        domain_code = standard.domain.code if standard.domain else None
        if item.get("domain") != domain_code:
            check.add(
                f"{path}.domain", f"standard {code} belongs to domain {domain_code!r}, not {item.get('domain')!r}"
            )
        discretion = check.boolean(item.get("professional_discretion"), f"{path}.professional_discretion")
        judgements.append(
            {
                "code": code,
                "name": standard.name,
                "domain": domain_code,
                "rating": rating(item.get("rating"), f"{path}.rating"),
                "score_percent": check.integer(
                    item.get("score_percent"), f"{path}.score_percent", nullable=True, maximum=100
                ),
                "professional_discretion": bool(discretion),
                "note": check.string(item.get("note"), f"{path}.note", nullable=True),
                "_path": path,
            }
        )
    return judgements


def _key_questions(check: Checker, value: Any, catalogue: FrameworkCatalogue) -> list[dict]:
    questions, seen = [], set()
    for i, item in enumerate(check.array(value, "$.key_questions")):
        path = f"$.key_questions[{i}]"
        item = check.object(item, path, required=KEY_QUESTION_KEYS, optional=["note"])
        if item is None:
            continue
        code = item.get("code")
        question = catalogue.key_questions.get(code) if isinstance(code, str) else None
        if question is None:
            check.add(f"{path}.code", f"{code!r} is not a key question of {catalogue.framework.code}")
            continue
        if code in seen:
            check.add(f"{path}.code", f"key question {code} is scored twice")
        seen.add(code)
        text = item.get("text")
        if not isinstance(text, str) or question_key(text) != question_key(question.text):
            check.add(f"{path}.text", f"does not match the framework's wording of {code}: {question.text!r}")
            text = question.text
        entry = {
            "code": code,
            "text": text,
            "percent_yes": check.integer(item.get("percent_yes"), f"{path}.percent_yes", nullable=True, maximum=100),
        }
        note = check.string(item.get("note"), f"{path}.note", nullable=True)
        if note is not None:
            entry["note"] = note
        questions.append(entry)
    return questions


def _check_rules(
    check: Checker, judgements: list[dict], key_questions: list[dict], catalogue: FrameworkCatalogue
) -> None:
    percents = {question["code"]: question["percent_yes"] for question in key_questions}
    for judgement in judgements:
        problem = judgement_problem(
            rating=judgement["rating"],
            proposal=catalogue.proposal(judgement["code"], percents),
            professional_discretion=judgement["professional_discretion"],
            reason=judgement["note"] or "",
        )
        if problem:
            check.add(judgement["_path"], f"standard {judgement['code']}: {problem}")
    for judgement in judgements:
        del judgement["_path"]
    # The canonical order is the framework's, whatever order the file uses, so that reloading is a no-op.
    judgements.sort(key=lambda j: (catalogue.standards[j["code"]].position, j["code"]))
    key_questions.sort(key=lambda q: _question_order(catalogue, q["code"]))


def _question_order(catalogue: FrameworkCatalogue, code: str) -> tuple:
    question = catalogue.key_questions[code]
    return (catalogue.standards_by_id[question.standard_id].position, question.position, code)


def _recommendations(check: Checker, value: Any, catalogue: FrameworkCatalogue) -> list[dict]:
    recommendations, numbers = [], set()
    for i, item in enumerate(check.array(value, "$.recommendations")):
        path = f"$.recommendations[{i}]"
        item = check.object(item, path, required=RECOMMENDATION_KEYS, optional=["domain"])
        if item is None:
            continue
        number = check.integer(item.get("number"), f"{path}.number", minimum=1, maximum=1000)
        if number in numbers:
            check.add(f"{path}.number", f"recommendation {number} appears twice")
        numbers.add(number)
        entry = {
            "number": number,
            "addressee": check.string(item.get("addressee"), f"{path}.addressee", max_length=300),
            "text": check.string(item.get("text"), f"{path}.text"),
        }
        domain = item.get("domain")
        if domain is not None:
            if not isinstance(domain, str) or domain not in catalogue.domains:
                check.add(f"{path}.domain", f"{domain!r} is not a domain of {catalogue.framework.code}")
            entry["domain"] = domain
        recommendations.append(entry)
    recommendations.sort(key=lambda r: r["number"] or 0)
    return recommendations


def _findings(check: Checker, value: Any, catalogue: FrameworkCatalogue) -> list[dict]:
    findings = []
    for i, item in enumerate(check.array(value, "$.findings")):
        path = f"$.findings[{i}]"
        item = check.object(item, path, required=FINDING_KEYS, optional=["attribution"])
        if item is None:
            continue
        standard = item.get("standard")
        if standard is not None and (
            not isinstance(standard, str) or (standard not in catalogue.standards and standard not in catalogue.domains)
        ):
            check.add(
                f"{path}.standard", f"{standard!r} is neither a standard nor a domain of {catalogue.framework.code}"
            )
        entry = {
            "kind": check.choice(item.get("kind"), f"{path}.kind", FindingKind.values, what="finding kind"),
            "standard": standard,
            "text": check.string(item.get("text"), f"{path}.text"),
        }
        attribution = check.string(item.get("attribution"), f"{path}.attribution", nullable=True, max_length=200)
        if attribution is not None:
            entry["attribution"] = attribution
        findings.append(entry)
    return findings


def _key_facts(check: Checker, value: Any) -> list[dict]:
    facts = []
    for i, item in enumerate(check.array(value, "$.key_facts")):
        path = f"$.key_facts[{i}]"
        item = check.object(item, path, required=KEY_FACT_KEYS, optional=["area"])
        if item is None:
            continue
        entry = {
            "measure": check.slug(item.get("measure"), f"{path}.measure", max_length=80),
            "value": json_number(check.number(item.get("value"), f"{path}.value")),
            "unit": check.string(item.get("unit"), f"{path}.unit", max_length=30),
            "comparator": check.string(item.get("comparator"), f"{path}.comparator", nullable=True, max_length=100),
            "comparator_value": json_number(check.number(item.get("comparator_value"), f"{path}.comparator_value")),
            "period": check.string(item.get("period"), f"{path}.period", nullable=True, max_length=200),
            "source": check.string(item.get("source"), f"{path}.source", nullable=True),
        }
        if entry["comparator_value"] is not None and entry["comparator"] is None:
            check.add(f"{path}.comparator", "a comparator_value needs the comparator it belongs to")
        area = check.string(item.get("area"), f"{path}.area", nullable=True, max_length=200)
        if area is not None:
            entry["area"] = area
        facts.append(entry)
    return facts
