"""The three jobs the web UI is for, walked in a real browser, with axe checking every public page on the way.

- An analyst filters the services by a standard's rating, adjusts the filter and downloads the list as CSV.
- A manager opens a service's scorecard and reads its ratings and the recommendations it must act on.
- An inspector corrects a rating in the admin and sees the public scorecard change.

The first two also save the README's screenshots (docs/screenshots/).
"""

import csv
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from inspections.models import Inspection
from tests.browser.conftest import assert_no_axe_violations, log_in, screenshot

pytestmark = pytest.mark.e2e

WESTERN_BAY = "Western Bay Youth Justice and Early Intervention Service"
WARWICKSHIRE = "Warwickshire Youth Justice Service"
ASSESSMENT_2018 = "2.1 Assessment (Youth offending service inspection standards (2018))"


def listed_services(page: Page) -> list[str]:
    """The service names in the list's table, in order."""
    return page.locator("table.govuk-table tbody th[scope=row] > a").all_inner_texts()


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def tab_to(page: Page, target: Locator, *, limit: int = 60) -> None:
    """Press Tab from the top of the page until the target has the keyboard focus, as a keyboard user would."""
    page.locator("body").focus()
    page.evaluate("document.activeElement.blur()")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{target} was not reached in {limit} presses of Tab")


def test_analyst_filters_by_a_standard_rating_and_downloads_the_csv(page, reports, analyst):
    log_in(page, "analyst")
    page.goto("/services/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Services")
    expect(page.locator(".moj-action-bar")).to_contain_text("5 services.")

    # Choose the standard and its rating in the filter form, then apply.
    standard = page.get_by_label("Standard", exact=True)
    standard.select_option(label=ASSESSMENT_2018)
    page.get_by_label("Rating of that standard").select_option(label="Inadequate")
    page.get_by_role("button", name="Apply filters").click()

    assert query(page)["standard"] == ["2.1"]
    assert query(page)["standard_rating"] == ["Inadequate"]
    expect(page.locator(".moj-action-bar")).to_contain_text("1 service.")
    assert listed_services(page) == [WESTERN_BAY]
    row = page.locator("table.govuk-table tbody tr")
    expect(row).to_contain_text("Wales: Swansea, Neath Port Talbot, Bridgend")
    expect(row.locator(".rating-tag")).to_have_text("Inadequate")

    # The chosen filters are shown as tags that remove themselves.
    tags = page.locator(".moj-filter__selected a.moj-filter__tag")
    expect(tags).to_have_text(
        [
            f"Remove this filter: Standard {ASSESSMENT_2018}",
            "Remove this filter: Rating of that standard Inadequate",
        ]
    )
    assert_no_axe_violations(page)
    screenshot(page, "services-filtered")

    # Remove the rating: every service whose latest inspection rated 2.1 at all.
    tags.filter(has_text="Inadequate").click()
    assert "standard_rating" not in query(page)
    assert listed_services(page) == [WARWICKSHIRE, WESTERN_BAY]
    expect(tags).to_have_text([f"Remove this filter: Standard {ASSESSMENT_2018}"])
    expect(page.get_by_label("Standard", exact=True)).to_have_value("2.1")
    expect(page.get_by_label("Rating of that standard")).to_have_value("")

    # Re-apply it from the keyboard alone: Tab to "Apply filters" and press Enter.
    page.get_by_label("Rating of that standard").select_option(label="Inadequate")
    apply = page.get_by_role("button", name="Apply filters")
    tab_to(page, apply)
    page.keyboard.press("Enter")
    page.wait_for_url("**standard_rating=Inadequate**")
    assert listed_services(page) == [WESTERN_BAY]
    assert_no_axe_violations(page)

    # Download what is listed.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV of these services").click()
    download = download_info.value
    assert download.suggested_filename == "services.csv"
    with open(download.path(), newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [(row["service"], row["slug"], row["overall_rating"]) for row in rows] == [
        (WESTERN_BAY, "western-bay", "Inadequate")
    ]
    assert "2.1: Inadequate" in rows[0]["standard_ratings"].split("; ")
    assert rows[0]["url"].endswith("/services/western-bay/")


def summary_value(page: Page, key: str) -> Locator:
    """The value of a GOV.UK summary list row, by its key."""
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key").get_by_text(key, exact=True)
    )
    return row.locator(".govuk-summary-list__value").first


def standard_row(page: Page, domain: str, code: str) -> Locator:
    """A standard's row in the scorecard's ratings table of its domain (tables are named by their caption)."""
    return (
        page.get_by_role("table", name=domain, exact=True)
        .locator("tr")
        .filter(has=page.locator("th[scope=row]").get_by_text(code, exact=False))
    )


RECOMMENDATIONS_BY_ADDRESSEE = [
    ("Western Bay Youth Justice and Early Intervention Service (WBYJEIS) Management Board", 6),
    ("The WBYJEIS Manager", 2),
    ("The directors of children's services", 2),
    ("The local authority education services", 3),
    ("Abertawe Bro Morgannwg University Health Board (ABMUHB)", 1),
]


def test_manager_reads_the_scorecard_ratings_and_recommendations(page, reports, manager):
    log_in(page, "manager")
    page.goto("/services/")
    page.get_by_role("link", name=WESTERN_BAY, exact=True).click()
    page.wait_for_url("**/services/western-bay/")
    expect(page.get_by_role("heading", level=1)).to_have_text(WESTERN_BAY)

    # The overall rating, as its word in a tag.
    expect(summary_value(page, "Overall rating").locator(".rating-tag")).to_have_text("Inadequate")

    # 3.3: rated Inadequate where the key questions propose Requires improvement, by professional discretion.
    out_of_court = "3 Out-of-court disposals"
    row_3_3 = standard_row(page, out_of_court, "3.3 Implementation and delivery")
    expect(row_3_3.locator(".rating-tag")).to_have_text("Inadequate")
    expect(row_3_3).to_contain_text("Proposed by the key questions: Requires improvement")
    expect(row_3_3).to_contain_text(
        "Professional discretion used. Under 3.3 professional discretion was exercised because of cases close to "
        "the grade boundary."
    )
    expect(standard_row(page, out_of_court, "3.4 Joint working").locator(".rating-tag")).to_have_text("Outstanding")
    expect(standard_row(page, "2 Court disposals", "2.1 Assessment").locator(".rating-tag")).to_have_text("Inadequate")

    # The fourteen recommendations, grouped by whom they are addressed to, numbered as in the report.
    expect(page.get_by_text("The report makes 14 recommendations to 5 addressees.")).to_be_visible()
    for addressee, count in RECOMMENDATIONS_BY_ADDRESSEE:
        heading = page.get_by_role("heading", name=addressee, exact=True)
        expect(heading).to_be_visible()
        expect(heading.locator("xpath=following-sibling::ol[1]/li")).to_have_count(count)
    board = page.get_by_role("heading", name=RECOMMENDATIONS_BY_ADDRESSEE[0][0], exact=True)
    expect(board.locator("xpath=following-sibling::ol[1]/li").first).to_contain_text(
        "review and clarify its role and function"
    )

    assert_no_axe_violations(page)
    screenshot(page, "scorecard-western-bay")


def judgement_rating_select(page: Page, code: str) -> Locator:
    """The rating select of a standard's judgement in the admin's inline (the row whose standard is `code`)."""
    prefix = page.evaluate(
        """code => {
            const selects = document.querySelectorAll("select[name^='judgements-'][name$='-standard']");
            const match = [...selects].find(s => s.selectedOptions[0]?.textContent.startsWith(code + " "));
            return match?.name.replace(/-standard$/, "");
        }""",
        code,
    )
    assert prefix, f"no judgement row for standard {code}"
    return page.locator(f"select[name='{prefix}-rating']")


def test_inspector_changes_a_rating_in_the_admin_and_the_scorecard_follows(page, reports, inspector):
    # Django's admin is Django's markup, not ours: axe runs on our public pages only.
    log_in(page, "inspector")
    page.locator("tr.model-inspection th a").click()
    page.get_by_role("link", name=WESTERN_BAY, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change inspection")

    # 1.1 is rated by judgement (no key questions), so no professional discretion is needed to change it.
    rating = judgement_rating_select(page, "1.1")
    expect(rating.locator("option:checked")).to_have_text("Inadequate")
    rating.select_option(label="Requires improvement")
    # An empty overall rating is derived from the standards on save: 1.1 now scores 1, so 7 points.
    page.get_by_label("Overall rating:").select_option("")
    page.get_by_role("button", name="Save", exact=True).click()

    messages = page.locator("ul.messagelist")
    expect(messages.locator("li.success")).to_contain_text("was changed successfully.")
    expect(messages.locator("li.info")).to_have_text(
        "The overall rating was derived from the standards: Requires improvement."
    )
    western_bay = Inspection.objects.select_related("overall_rating").get(service__slug="western-bay")
    assert western_bay.overall_rating.name == "Requires improvement"
    # The search files 1.1's findings under their new rating (Finding.filed_rating, kept by triggers).
    under_1_1 = western_bay.findings.filter(standard__code="1.1")
    page.goto("/findings/?service=western-bay&standard=1.1&rating=Requires+improvement")
    assert under_1_1.count() > 1
    expect(page.locator("#result-count")).to_have_text(f"{under_1_1.count()} results")

    page.goto("/services/western-bay/")
    expect(summary_value(page, "Overall rating").locator(".rating-tag")).to_have_text("Requires improvement")
    row_1_1 = standard_row(page, "1 Organisational delivery", "1.1 Governance and leadership")
    expect(row_1_1.locator(".rating-tag")).to_have_text("Requires improvement")
    expect(standard_row(page, "1 Organisational delivery", "1.2 Staff").locator(".rating-tag")).to_have_text(
        "Inadequate"
    )
    assert_no_axe_violations(page)


def test_analyst_compares_services_typed_by_name(page, reports):
    """Part of a name in each input; the comparison's address is by slugs; an ambiguous name says what it matched."""
    page.goto("/compare/")
    page.get_by_label("First service").fill("western bay")
    page.get_by_label("Second service").fill("Warwick")
    page.get_by_role("button", name="Compare").click()

    assert query(page) == {"services": ["western-bay", "warwickshire"]}
    expect(page.get_by_label("First service")).to_have_value(WESTERN_BAY)
    expect(page.get_by_label("Second service")).to_have_value(WARWICKSHIRE)
    expect(page.locator("table.compare-table thead th")).to_have_text([WESTERN_BAY, WARWICKSHIRE])
    assert_no_axe_violations(page)

    page.get_by_label("Third service (optional)").fill("offending")
    page.get_by_role("button", name="Compare").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    message = (
        "Services (services): “offending” matches 3 services: Bromley Youth Offending Service, "
        "Northamptonshire Youth Offending Service, Swindon Youth Offending Team; type more of the name or its slug"
    )
    expect(summary.locator("li")).to_have_text([message])
    expect(page.get_by_label("Third service (optional)")).to_have_value("offending")
    assert_no_axe_violations(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("First service")).to_be_focused()


PUBLIC_PAGES = [
    "/",
    "/findings/?q=assessment",
    "/compare/?services=western-bay&services=warwickshire",
    "/inspections/{western_bay}/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_axe_violations(page, reports, path):
    """The pages the journeys lead to that they don't already check, seen by an anonymous visitor."""
    western_bay = Inspection.objects.get(service__slug="western-bay").pk
    response = page.goto(path.format(western_bay=western_bay))
    assert response.status == 200, f"{page.url} answered HTTP {response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_no_axe_violations(page)


def test_axe_check_fails_on_a_page_with_a_violation(page):
    """The check is not vacuous: an image without alternative text is reported by id, impact and target."""
    page.set_content('<!DOCTYPE html><html lang="en"><title>Broken</title><main><img src="x.png" id="bad"></main>')
    with pytest.raises(AssertionError, match=r"image-alt \(critical\): Images must have alternative text .*#bad"):
        assert_no_axe_violations(page)


def test_inspector_corrects_a_finding_on_the_second_page_of_findings(page, reports, inspector):
    western_bay = Inspection.objects.get(service__slug="western-bay")
    second_page = list(western_bay.findings.order_by("position", "pk"))[50:100]
    log_in(page, "inspector")
    page.goto(f"/admin/inspections/inspection/{western_bay.pk}/change/")
    pages = page.locator("nav.findings-pages")
    expect(pages).to_contain_text("Findings 1 to 50 of 185.")

    pages.get_by_role("link", name="Next findings").click()
    expect(page.locator("nav.findings-pages")).to_contain_text("Findings 51 to 100 of 185.")
    expect(page.locator("#findings-group tbody tr.has_original")).to_have_count(50)
    text = page.locator("#findings-group tbody tr.has_original").first.locator("textarea[name$='-text']")
    expect(text).to_have_value(second_page[0].text)
    text.fill("Corrected on the second page of findings.")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator("ul.messagelist li.success")).to_contain_text("was changed successfully.")
    expect(page.locator("nav.findings-pages")).to_contain_text("Findings 51 to 100 of 185.")
    second_page[0].refresh_from_db()
    assert second_page[0].text == "Corrected on the second page of findings."
    assert western_bay.findings.count() == 185


def test_inspector_adds_one_recommendation_and_deletes_another_in_the_same_save(page, reports, inspector):
    """The stored rows are written without forms (StoredRowWriter): the admin's inline script must still number a
    new row after them, and a stored row's delete box must still delete that row and no other."""
    western_bay = Inspection.objects.get(service__slug="western-bay")
    recommendations = list(western_bay.recommendations.order_by("number"))
    deleted = recommendations[0]
    log_in(page, "inspector")
    page.goto(f"/admin/inspections/inspection/{western_bay.pk}/change/")
    group = page.locator("#recommendations-group")
    expect(group.locator("tbody tr.has_original")).to_have_count(len(recommendations))

    group.locator("input[name='recommendations-0-DELETE']").check()
    group.get_by_role("button", name="Add another Recommendation").click()  # the inline script's
    new = group.locator(f"tbody tr#recommendations-{len(recommendations)}")
    new.locator("input[name$='-number']").fill("99")
    new.locator("input[name$='-addressee']").fill("The management board")
    new.locator("textarea[name$='-text']").fill("Added in the browser after the stored rows.")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator("ul.messagelist li.success")).to_contain_text("was changed successfully.")
    stored = list(western_bay.recommendations.order_by("number").values_list("number", "addressee", "text"))
    assert stored == [
        *((r.number, r.addressee, r.text) for r in recommendations[1:]),
        (99, "The management board", "Added in the browser after the stored rows."),
    ]
    assert not western_bay.recommendations.filter(pk=deleted.pk).exists()
