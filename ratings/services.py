"""Writes of reference data: loading rating scales and frameworks from ``fixtures/frameworks.json``."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from inspections.jsonchecks import Checker, DocumentInvalid
from ratings.models import (
    Domain,
    Framework,
    Grade,
    KeyQuestion,
    OverallBand,
    PercentBand,
    RatedBy,
    RatingScale,
    Standard,
)


@dataclass
class FrameworksLoaded:
    scales: int
    frameworks: int
    standards: int
    key_questions: int


def frameworks_validate(*, data: Any, source: str) -> None:
    """Refuse a frameworks file with every problem named; return quietly when it can be loaded."""
    check = Checker()
    root = check.object(data, "$", required=["rating_scales", "frameworks"])
    if root is None:
        raise DocumentInvalid(source, check.problems)
    scale_grades: dict[str, set[str]] = {}
    for i, scale in enumerate(check.array(root.get("rating_scales"), "$.rating_scales")):
        path = f"$.rating_scales[{i}]"
        scale = check.object(scale, path, required=["code", "name", "grades"])
        if scale is None:
            continue
        code = check.slug(scale.get("code"), f"{path}.code", max_length=50)
        check.string(scale.get("name"), f"{path}.name", max_length=100)
        names, points = set(), set()
        for j, grade in enumerate(check.array(scale.get("grades"), f"{path}.grades")):
            gpath = f"{path}.grades[{j}]"
            grade = check.object(grade, gpath, required=["name", "points"])
            if grade is None:
                continue
            name = check.string(grade.get("name"), f"{gpath}.name", max_length=50)
            point = check.integer(grade.get("points"), f"{gpath}.points", maximum=100)
            if name in names:
                check.add(f"{gpath}.name", f"grade {name!r} appears twice")
            if point in points:
                check.add(f"{gpath}.points", f"two grades are worth {point} points")
            names.add(name)
            points.add(point)
        if code:
            scale_grades[code] = names

    framework_codes = set()
    for i, framework in enumerate(check.array(root.get("frameworks"), "$.frameworks")):
        path = f"$.frameworks[{i}]"
        framework = check.object(
            framework,
            path,
            required=[
                "code",
                "name",
                "in_force_from",
                "in_force_to",
                "rating_scale",
                "note",
                "percent_bands",
                "overall_bands",
                "domains",
                "standards",
            ],
        )
        if framework is None:
            continue
        code = check.slug(framework.get("code"), f"{path}.code", max_length=50)
        if code in framework_codes:
            check.add(f"{path}.code", f"framework {code!r} appears twice")
        framework_codes.add(code)
        check.string(framework.get("name"), f"{path}.name", max_length=200)
        start = check.integer(framework.get("in_force_from"), f"{path}.in_force_from", nullable=True, maximum=3000)
        end = check.integer(framework.get("in_force_to"), f"{path}.in_force_to", nullable=True, maximum=3000)
        if start and end and end < start:
            check.add(f"{path}.in_force_to", f"{end} is before in_force_from {start}")
        check.string(framework.get("note"), f"{path}.note", nullable=True)
        scale = framework.get("rating_scale")
        grades = set()
        if scale is not None:
            if not isinstance(scale, str) or scale not in scale_grades:
                check.add(f"{path}.rating_scale", f"{scale!r} is not one of the rating_scales in this file")
            grades = scale_grades.get(scale, set()) if isinstance(scale, str) else set()
        for j, band in enumerate(check.array(framework.get("percent_bands"), f"{path}.percent_bands")):
            bpath = f"{path}.percent_bands[{j}]"
            band = check.object(band, bpath, required=["rating", "min_percent"])
            if band is not None:
                check.choice(band.get("rating"), f"{bpath}.rating", sorted(grades), what="grade of this scale")
                check.integer(band.get("min_percent"), f"{bpath}.min_percent", maximum=100)
        for j, band in enumerate(check.array(framework.get("overall_bands"), f"{path}.overall_bands")):
            bpath = f"{path}.overall_bands[{j}]"
            band = check.object(band, bpath, required=["rating", "min_points", "max_points"])
            if band is not None:
                check.choice(band.get("rating"), f"{bpath}.rating", sorted(grades), what="grade of this scale")
                low = check.integer(band.get("min_points"), f"{bpath}.min_points")
                high = check.integer(band.get("max_points"), f"{bpath}.max_points")
                if low is not None and high is not None and high < low:
                    check.add(f"{bpath}.max_points", f"{high} is below min_points {low}")
        codes: set[str] = set()
        standard_lists = [(f"{path}.standards", framework.get("standards"))]
        for j, domain in enumerate(check.array(framework.get("domains"), f"{path}.domains")):
            dpath = f"{path}.domains[{j}]"
            domain = check.object(domain, dpath, required=["code", "name", "standards"])
            if domain is None:
                continue
            _check_code(check, domain.get("code"), f"{dpath}.code", codes)
            check.string(domain.get("name"), f"{dpath}.name", max_length=200)
            standard_lists.append((f"{dpath}.standards", domain.get("standards")))
        for spath, standards in standard_lists:
            for k, standard in enumerate(check.array(standards, spath)):
                kpath = f"{spath}[{k}]"
                standard = check.object(
                    standard,
                    kpath,
                    required=["code", "name", "description", "rated_by", "counts_towards_overall", "key_questions"],
                )
                if standard is None:
                    continue
                _check_code(check, standard.get("code"), f"{kpath}.code", codes)
                check.string(standard.get("name"), f"{kpath}.name", max_length=200)
                check.string(standard.get("description"), f"{kpath}.description", nullable=True)
                check.choice(standard.get("rated_by"), f"{kpath}.rated_by", RatedBy.values, what="rating method")
                check.boolean(standard.get("counts_towards_overall"), f"{kpath}.counts_towards_overall")
                for q, question in enumerate(check.array(standard.get("key_questions"), f"{kpath}.key_questions")):
                    qpath = f"{kpath}.key_questions[{q}]"
                    question = check.object(question, qpath, required=["code", "text"])
                    if question is not None:
                        _check_code(check, question.get("code"), f"{qpath}.code", codes, max_length=12)
                        check.string(question.get("text"), f"{qpath}.text")
    if check.problems:
        raise DocumentInvalid(source, check.problems)


def _check_code(check: Checker, value: Any, path: str, seen: set[str], max_length: int = 10) -> None:
    code = check.string(value, path, max_length=max_length)
    if code is None:
        return
    if code in seen:
        check.add(path, f"code {code!r} is used twice in this framework")
    seen.add(code)


@transaction.atomic
def frameworks_load(*, data: Any, source: str) -> FrameworksLoaded:
    """Create or update every scale and framework in ``data``; rows not in the file are left alone.

    Idempotent: loading the same file twice changes nothing. Raises DocumentInvalid, writing nothing.
    """
    frameworks_validate(data=data, source=source)
    counts = FrameworksLoaded(scales=0, frameworks=0, standards=0, key_questions=0)
    scales = {}
    for scale_data in data["rating_scales"]:
        scale = _upsert(RatingScale, {"code": scale_data["code"]}, name=scale_data["name"])
        for grade in scale_data["grades"]:
            _upsert(Grade, {"scale": scale, "name": grade["name"]}, points=grade["points"])
        scales[scale.code] = scale
        counts.scales += 1
    for framework_data in data["frameworks"]:
        scale_code = framework_data["rating_scale"]
        scale = scales.get(scale_code) if scale_code else None
        framework = _upsert(
            Framework,
            {"code": framework_data["code"]},
            name=framework_data["name"],
            in_force_from=framework_data["in_force_from"],
            in_force_to=framework_data["in_force_to"],
            rating_scale=scale,
            note=framework_data["note"] or "",
        )
        grades = {grade.name: grade for grade in scale.grades.all()} if scale else {}
        for band in framework_data["percent_bands"]:
            _upsert(
                PercentBand, {"framework": framework, "grade": grades[band["rating"]]}, min_percent=band["min_percent"]
            )
        for band in framework_data["overall_bands"]:
            _upsert(
                OverallBand,
                {"framework": framework, "grade": grades[band["rating"]]},
                min_points=band["min_points"],
                max_points=band["max_points"],
            )
        position = 0
        groups = [(None, framework_data["standards"])]
        for domain_position, domain_data in enumerate(framework_data["domains"]):
            domain = _upsert(
                Domain,
                {"framework": framework, "code": domain_data["code"]},
                name=domain_data["name"],
                position=domain_position,
            )
            groups.append((domain, domain_data["standards"]))
        for domain, standards in groups:
            for standard_data in standards:
                standard = _upsert(
                    Standard,
                    {"framework": framework, "code": standard_data["code"]},
                    domain=domain,
                    name=standard_data["name"],
                    description=standard_data["description"] or "",
                    rated_by=standard_data["rated_by"],
                    counts_towards_overall=standard_data["counts_towards_overall"],
                    position=position,
                )
                position += 1
                counts.standards += 1
                for question_position, question in enumerate(standard_data["key_questions"]):
                    _upsert(
                        KeyQuestion,
                        {"standard": standard, "code": question["code"]},
                        text=question["text"],
                        position=question_position,
                    )
                    counts.key_questions += 1
        counts.frameworks += 1
    return counts


def _upsert(model, lookup: dict, **values):
    """Get the row by ``lookup`` and save it only if a value differs, so a reload writes no history."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance._change_reason = "load_frameworks"
        instance.full_clean()
        instance.save()
        return instance
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(instance, name, value)
        instance._change_reason = "load_frameworks"
        instance.full_clean()
        instance.save()
    return instance
