from tests.factories import make_admin


def test_admin_signs_in_and_sees_the_start_page(client, as_user):
    admin = make_admin(name="Anna Admin")
    as_user(admin)
    page = client.get("/").get_data(as_text=True)
    assert "Anna Admin" in page
