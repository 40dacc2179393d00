"""A NUL character in an admin URL parameter is a bad request (PostgreSQL cannot compare one); public pages
answer it through their forms (tests/findings, tests/inspections/test_service_list.py)."""

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/inspections/inspection/?status__exact=draft%00",
        "/admin/inspections/service/?q=%00",
        "/admin/auth/user/?is_staff__exact=1%00",
        "/admin/findings/finding/?kind%00=summary",
    ],
)
def test_a_nul_in_an_admin_parameter_is_a_bad_request(client, inspector, url):
    client.force_login(inspector)
    response = client.get(url)
    assert response.status_code == 400


def test_a_parameter_without_nul_passes(client, inspector, frameworks):
    client.force_login(inspector)
    assert client.get("/admin/inspections/inspection/?status__exact=draft").status_code == 200


def test_a_public_page_names_the_parameter_holding_a_nul(client, frameworks):
    response = client.get("/services/?q=Swindon%00")
    assert response.status_code == 400
    assert "Service or local authority: Null characters are not allowed." in response.content.decode()
