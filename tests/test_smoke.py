def test_home_renders(client, plan):
    response = client.get("/")
    assert response.status_code == 200
    assert "PSM Giovani" in response.content.decode()
