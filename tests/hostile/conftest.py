"""The hostile-input tests' users and helpers: a logged-in client per user, and reading a whole response."""

import pytest
from django.test import Client


def body(response) -> bytes:
    """The whole body, streamed or not: an error in a CSV or JSON generator must surface here, not in a browser."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture(params=["anonymous", "inspector"])
def visitor(request) -> Client:
    """A client as anonymous, then as an inspector (who also sees drafts, so reaches more code)."""
    client = Client()
    if request.param == "inspector":
        client.force_login(request.getfixturevalue("inspector"))
    return client
