"""A NUL character in any URL parameter is a bad request, on every page (PostgreSQL cannot compare one)."""

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/inspections/inspection/?status__exact=draft%00",
        "/admin/inspections/service/?q=%00",
        "/admin/auth/user/?is_staff__exact=1%00",
        "/services/?q=Swindon%00",
        "/findings/?kind%00=summary",
    ],
)
def test_a_nul_in_a_parameter_is_a_bad_request(client, inspector, url):
    client.force_login(inspector)
    response = client.get(url)
    assert response.status_code == 400


def test_a_parameter_without_nul_passes(client, inspector, frameworks):
    client.force_login(inspector)
    assert client.get("/admin/inspections/inspection/?status__exact=draft").status_code == 200
