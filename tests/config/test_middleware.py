import pytest


@pytest.mark.parametrize("query", ["?q=a%00b", "?comune=%00", "?%00=1"])
def test_nul_characters_in_parameters_are_a_clear_400(client, plan, query):
    response = client.get("/cerca/" + query)
    assert response.status_code == 400
    assert "caratteri non validi" in response.content.decode()


def test_nul_characters_in_form_fields_are_refused(client, plan):
    response = client.post("/account/login/", {"login": "a\x00b@example.org", "password": "x"})
    assert response.status_code == 400


def test_ordinary_parameters_pass(client, plan):
    assert client.get("/cerca/?q=giovani").status_code == 200
