"""Two inspectors edit the same inspection in two browsers: the second save is refused, the first edit survives."""

import pytest
from playwright.sync_api import Browser, expect

from inspections.models import Inspection
from tests.browser.conftest import VIEWPORT, log_in
from tests.conftest import INSPECTOR, _user

pytestmark = pytest.mark.e2e


def test_the_second_inspector_is_told_who_saved_first_and_nothing_of_theirs_is_lost(
    browser: Browser, live_server, reports, inspector, django_user_model
):
    _user(django_user_model, "second-inspector", INSPECTOR)
    swindon = Inspection.objects.get(service__slug="swindon")
    url = f"/admin/inspections/inspection/{swindon.pk}/change/"
    contexts = [browser.new_context(base_url=live_server.url, viewport=VIEWPORT) for _ in range(2)]
    try:
        first, second = (context.new_page() for context in contexts)
        for context in contexts:
            context.set_default_timeout(30_000)
        log_in(first, "inspector")
        log_in(second, "second-inspector")
        first.goto(url)
        second.goto(url)

        first.get_by_label("Lead inspector:").fill("First Inspector")
        first.get_by_role("button", name="Save", exact=True).click()
        expect(first.locator("ul.messagelist li.success")).to_contain_text("was changed successfully.")

        second.get_by_label("Lead inspector:").fill("Second Inspector")
        second.get_by_role("button", name="Save", exact=True).click()
        error = second.locator("ul.errorlist.nonfield li")
        expect(error).to_contain_text("Not saved: inspector changed this inspection on ")
        expect(error).to_contain_text("Open the inspection again to see their changes, then make yours.")
        swindon.refresh_from_db()
        assert swindon.lead_inspector == "First Inspector"
    finally:
        for context in contexts:
            context.close()
