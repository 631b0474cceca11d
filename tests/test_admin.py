"""Administering organisations and accounts through the test client: lists, create, edit, deactivate, audit."""
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_admin, make_organisation, make_user
from tracker.accounts.models import Role, User
from tracker.audit.models import AuditEvent
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind

TEMPORARY = "temporary river lantern"


@pytest.fixture
def admin(client):
    admin = make_admin(language="en", name="Ada Admin")
    sign_in(client, admin)
    return admin


def ids_listed(client, url: str, kind: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    return [int(i) for i in re.findall(rf'href="/admin/{kind}/(\d+)/edit"', response.get_data(as_text=True))]


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def events(verb: str | None = None) -> list[AuditEvent]:
    """Audit events of changes (signing in is audited too, but is not a change)."""
    query = select(AuditEvent).where(AuditEvent.verb.not_like("sign_in%")).order_by(AuditEvent.id)
    return list(db.session.scalars(query if verb is None else query.where(AuditEvent.verb == verb)))


ORGANISATION = {"name": "Polisen Järva", "short_name": "Polisen J", "kind": "police", "municipality": "Stockholm",
                "contact_email": "jarva@polisen.example.se"}


def new_user_form(organisation_id: int, /, **overrides) -> dict:
    return {"name": "Anna Lindqvist", "email": "Anna.Lindqvist@Example.se", "organisation_id": organisation_id,
            "role": "coordinator", "language": "en", "first_password": "temporary", "new_password": TEMPORARY,
            "confirm": TEMPORARY} | overrides


def edit_user(client, user, **overrides):
    data = {"name": user.name, "email": user.email, "organisation_id": user.organisation_id, "role": user.role.value,
            "language": "en", "version": user.version}
    return client.post(f"/admin/users/{user.id}/edit", data=data | overrides)


def test_organisation_list_searches_name_short_name_and_municipality(client, admin):
    hits = [make_organisation(name="Polisen Järva"), make_organisation(short_name="Järva skola"),
            make_organisation(municipality="Järva")]
    make_organisation(name="Botkyrka kommun")
    percent = make_organisation(name="100% trygg")
    assert sorted(ids_listed(client, "/admin/organisations/?q=järva", "organisations")) == sorted(o.id for o in hits)
    assert ids_listed(client, "/admin/organisations/?q=%25", "organisations") == [percent.id]
    assert ids_listed(client, "/admin/organisations/?q=nothing-like-this", "organisations") == []


def test_organisation_list_pages_by_25_in_name_order(client, admin):
    made = [make_organisation(name=f"Kommun {n:02}") for n in range(1, 31)]
    assert ids_listed(client, "/admin/organisations/", "organisations") == [o.id for o in made[:25]]
    second = ids_listed(client, "/admin/organisations/?page=2", "organisations")
    assert second == [o.id for o in made[25:]] + [admin.organisation_id]
    assert ids_listed(client, "/admin/organisations/?page=99", "organisations") == []
    assert ids_listed(client, "/admin/organisations/?page=abc", "organisations")[:1] == [made[0].id]


def test_user_list_searches_filters_by_organisation_and_pages(client, admin):
    police = make_organisation(name="Polisen Järva")
    erik = make_user(name="Erik Johansson", email="erik@polisen.example.se", organisation=police)
    karin = make_user(name="Karin Ström", email="karin@skolan.example.se")
    assert ids_listed(client, "/admin/users/?q=johansson", "users") == [erik.id]
    assert ids_listed(client, "/admin/users/?q=skolan.example", "users") == [karin.id]
    assert ids_listed(client, "/admin/users/?q=polisen järva", "users") == [erik.id]
    assert ids_listed(client, f"/admin/users/?organisation={police.id}", "users") == [erik.id]
    many = [make_user(name=f"Zz {n:02}", organisation=police) for n in range(30)]
    assert len(ids_listed(client, f"/admin/users/?organisation={police.id}", "users")) == 25
    assert ids_listed(client, f"/admin/users/?organisation={police.id}&page=2", "users") == [u.id for u in many[24:]]


def test_admin_registers_an_organisation_and_it_is_audited(client, admin):
    response = client.post("/admin/organisations/new", data=ORGANISATION)
    assert response.status_code == 303 and response.location == "/admin/organisations/"
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == "Polisen Järva"))
    assert (organisation.short_name, organisation.kind, organisation.municipality, organisation.is_active) == (
        "Polisen J", OrganisationKind.POLICE, "Stockholm", True)
    [event] = events("create")
    assert (event.actor_id, event.object_type, event.object_id) == (admin.id, "organisations", organisation.id)
    assert event.changes["name"] == [None, "Polisen Järva"]


def test_admin_edits_an_organisation_and_only_real_changes_are_audited(client, admin):
    organisation = make_organisation(**ORGANISATION | {"kind": OrganisationKind.POLICE})
    url = f"/admin/organisations/{organisation.id}/edit"
    unchanged = ORGANISATION | {"version": organisation.version}
    assert client.post(url, data=unchanged).status_code == 303
    assert events("update") == []
    assert client.post(url, data=unchanged | {"municipality": "Solna", "kind": "municipality"}).status_code == 303
    organisation = db.session.get(Organisation, organisation.id)
    assert (organisation.municipality, organisation.kind) == ("Solna", OrganisationKind.MUNICIPALITY)
    [event] = events("update")
    assert event.actor_id == admin.id
    assert event.changes == {"municipality": ["Stockholm", "Solna"], "kind": ["police", "municipality"]}


def test_organisation_is_deactivated_and_reactivated_never_deleted(client, admin):
    organisation = make_organisation(name="Fryshuset")
    member = make_user(organisation=organisation)
    assert f'<option value="{organisation.id}">' in client.get("/admin/users/new").get_data(as_text=True)
    response = client.post(f"/admin/organisations/{organisation.id}/deactivate", data={"version": organisation.version})
    assert response.status_code == 303 and response.location == f"/admin/organisations/{organisation.id}/edit"
    organisation = db.session.get(Organisation, organisation.id)
    assert organisation.is_active is False and db.session.get(User, member.id) is not None
    assert f'<option value="{organisation.id}">' not in client.get("/admin/users/new").get_data(as_text=True)
    refused = client.post("/admin/users/new", data=new_user_form(organisation.id))
    assert refused.status_code == 200 and 'id="organisation_id-error"' in refused.get_data(as_text=True)
    client.post(f"/admin/organisations/{organisation.id}/activate", data={"version": organisation.version})
    assert db.session.get(Organisation, organisation.id).is_active is True
    assert [(e.verb, e.changes) for e in events() if e.object_type == "organisations"] == [
        ("deactivate", {"is_active": [True, False]}), ("reactivate", {"is_active": [False, True]})]


@pytest.mark.parametrize(("existing", "name"), [
    ("Polisen Järva", "polisen järva"), ("Polisen Järva", "  Polisen Järva  "),
    ("Örebro kommun", "Örebro kommun"), ("Örebro kommun", "ÖREBRO KOMMUN"),
], ids=["lower-case", "padded", "same-non-ascii", "upper-case-non-ascii"])
def test_duplicate_organisation_name_is_refused_next_to_the_field_and_input_kept(app, client, admin, existing, name):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    make_organisation(name=existing)
    before = count(Organisation)
    response = client.post("/admin/organisations/new", data=ORGANISATION | {"name": name, "short_name": "Kept short"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page and "Another organisation already has this name." in page
    assert 'value="Kept short"' in page and 'value="jarva@polisen.example.se"' in page
    assert count(Organisation) == before


def test_renaming_an_organisation_to_a_taken_name_is_refused(client, admin):
    make_organisation(name="Polisen Järva")
    other = make_organisation(name="Polisen Syd")
    response = client.post(f"/admin/organisations/{other.id}/edit",
                           data=ORGANISATION | {"name": "polisen järva", "version": other.version})
    assert response.status_code == 200 and 'id="name-error"' in response.get_data(as_text=True)
    assert db.session.get(Organisation, other.id).name == "Polisen Syd"


@pytest.mark.parametrize(("field", "value"), [
    ("name", ""), ("name", "   "), ("name", "x" * 201), ("short_name", ""), ("short_name", "x" * 41),
    ("kind", "spaceship"), ("kind", ""), ("municipality", "x" * 101), ("contact_email", "not an e-mail"),
    ("contact_email", "a" * 250 + "@x.se"),
])
def test_bad_organisation_input_is_refused_and_nothing_is_saved(client, admin, field, value):
    before = count(Organisation)
    response = client.post("/admin/organisations/new", data=ORGANISATION | {field: value})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    kept = "short_name" if field != "short_name" else "name"
    assert f'value="{ORGANISATION[kept]}"' in page
    assert count(Organisation) == before and events() == []


def test_admin_creates_an_account_with_a_temporary_password(app, client, admin):
    organisation = make_organisation()
    response = client.post("/admin/users/new", data=new_user_form(organisation.id))
    assert response.status_code == 303 and response.location == "/admin/users/"
    user = db.session.scalar(select(User).where(User.email == "anna.lindqvist@example.se"))
    assert (user.name, user.organisation_id, user.role, user.language) == (
        "Anna Lindqvist", organisation.id, Role.COORDINATOR, "en")
    assert user.is_active and user.must_change_password
    assert [(e.verb, e.actor_id, e.object_id) for e in events() if e.object_type == "users" and e.actor_id] == [
        ("create", admin.id, user.id), ("set_temporary_password", admin.id, user.id)]
    newcomer = app.test_client()
    newcomer.post("/login", data={"email": "anna.lindqvist@example.se", "password": TEMPORARY})
    assert newcomer.get("/").location == "/password"


@pytest.mark.parametrize("email", ["Anna@X.se", "anna@x.se", " ANNA@x.SE "])
def test_duplicate_e_mail_is_refused_whatever_its_case_and_input_kept(client, admin, email):
    make_user(email="anna@x.se")
    before = count(User)
    response = client.post("/admin/users/new",
                           data=new_user_form(admin.organisation_id, email=email, name="Anna Andersson"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page and "Another account already uses this e-mail address." in page
    assert 'value="Anna Andersson"' in page and f'value="{email.strip()}"' in page
    assert count(User) == before


def test_changing_an_e_mail_to_a_taken_one_is_refused(client, admin):
    make_user(email="anna@x.se")
    other = make_user(email="other@x.se")
    response = edit_user(client, other, email="ANNA@x.se")
    assert response.status_code == 200 and 'id="email-error"' in response.get_data(as_text=True)
    assert db.session.get(User, other.id).email == "other@x.se"


@pytest.mark.parametrize(("field", "value"), [
    ("name", ""), ("name", "x" * 201), ("email", ""), ("email", "not-an-e-mail"), ("email", "a" * 250 + "@x.se"),
    ("organisation_id", "abc"), ("organisation_id", "999999"), ("organisation_id", ""), ("role", "superuser"),
    ("role", ""), ("language", "xx"), ("new_password", "short"), ("confirm", "something else entirely"),
])
def test_bad_account_input_is_refused_and_nothing_is_saved(client, admin, field, value):
    before = count(User)
    response = client.post("/admin/users/new", data=new_user_form(admin.organisation_id, **{field: value}))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    if field != "name":
        assert 'value="Anna Lindqvist"' in page
    assert count(User) == before


def test_account_without_a_language_preference_can_be_saved(client, admin):
    response = client.post("/admin/users/new", data=new_user_form(admin.organisation_id, language=""))
    assert response.status_code == 303
    assert db.session.scalar(select(User).where(User.email == "anna.lindqvist@example.se")).language is None


def test_admin_edits_an_account_and_a_role_change_ends_its_sessions(app, client, admin):
    user = make_user(name="Erik Polis", email="erik@x.se", language="en")
    school = make_organisation()
    their_client = app.test_client()
    sign_in(their_client, user)
    response = edit_user(client, user, name="Erik Johansson", email="Erik.J@X.se", organisation_id=school.id,
                         role="viewer", language="sv")
    assert response.status_code == 303
    user = db.session.get(User, user.id)
    assert (user.name, user.email, user.organisation_id, user.role, user.language) == (
        "Erik Johansson", "erik.j@x.se", school.id, Role.VIEWER, "sv")
    [event] = events("update")
    assert event.actor_id == admin.id and event.changes["role"] == ["coordinator", "viewer"]
    assert set(event.changes) == {"name", "email", "organisation_id", "role", "language"}
    assert their_client.get("/").status_code == 302


def test_account_is_deactivated_and_reactivated_never_deleted(app, client, admin):
    user = make_user()
    their_client = app.test_client()
    sign_in(their_client, user)
    assert client.post(f"/admin/users/{user.id}/deactivate", data={"version": user.version}).status_code == 303
    user = db.session.get(User, user.id)
    assert user is not None and user.is_active is False
    assert their_client.get("/").status_code == 302
    assert their_client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post(f"/admin/users/{user.id}/activate", data={"version": user.version}).status_code == 303
    assert db.session.get(User, user.id).is_active is True
    assert their_client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 303
    assert [e.verb for e in events() if e.actor_id == admin.id] == ["deactivate", "reactivate"]


def test_admin_sets_a_temporary_password_and_it_is_audited(client, admin):
    user = make_user()
    response = client.post(f"/admin/users/{user.id}/password",
                           data={"new_password": TEMPORARY, "confirm": TEMPORARY, "version": user.version})
    assert response.status_code == 303 and response.location == f"/admin/users/{user.id}/edit"
    user = db.session.get(User, user.id)
    assert user.must_change_password
    [event] = events("set_temporary_password")
    assert (event.actor_id, event.object_id) == (admin.id, user.id)


@pytest.mark.parametrize(("new", "confirm", "field"), [
    ("short", "short", "new_password"), ("ingrid carlsson 2026", "ingrid carlsson 2026", "new_password"),
    (TEMPORARY, TEMPORARY + "!", "confirm"),
], ids=["short", "personal", "mismatch"])
def test_weak_temporary_password_is_refused(client, admin, new, confirm, field):
    user = make_user(name="Ingrid Carlsson")
    before = user.password_hash
    response = client.post(f"/admin/users/{user.id}/password",
                           data={"new_password": new, "confirm": confirm, "version": user.version})
    assert response.status_code == 200 and f'id="{field}-error"' in response.get_data(as_text=True)
    user = db.session.get(User, user.id)
    assert user.password_hash == before and not user.must_change_password


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/admin/organisations/999999/edit"), ("post", "/admin/organisations/999999/edit"),
    ("post", "/admin/organisations/999999/deactivate"), ("post", "/admin/organisations/999999/activate"),
    ("get", "/admin/users/999999/edit"), ("post", "/admin/users/999999/edit"),
    ("post", "/admin/users/999999/deactivate"), ("get", "/admin/users/999999/password"),
    ("post", "/admin/users/999999/password"), ("get", "/admin/users/0/edit"), ("get", "/admin/users/-1/edit"),
    ("get", "/admin/users/abc/edit"), ("post", "/admin/users/1/delete"),
])
def test_unknown_ids_and_actions_are_404(client, admin, method, url):
    assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize("object_id", [
    2**31, 10**20,
], ids=["above-int4", "above-int8"])
def test_ids_beyond_the_integer_range_are_404(app, client, admin, object_id):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.get(f"/admin/users/{object_id}/edit").status_code == 404
    assert client.get(f"/admin/organisations/{object_id}/edit").status_code == 404


def test_the_only_active_admin_can_be_neither_demoted_nor_deactivated_until_there_is_another(client, admin):
    make_admin(is_active=False)
    response = edit_user(client, admin, role="coordinator")
    assert response.status_code == 200
    assert 'id="role-error"' in response.get_data(as_text=True)
    assert client.post(f"/admin/users/{admin.id}/deactivate", data={"version": admin.version}).status_code == 303
    admin = db.session.get(User, admin.id)
    assert admin.role is Role.ADMIN and admin.is_active
    assert events("update") == [] and events("deactivate") == []
    make_admin()
    assert edit_user(client, admin, role="coordinator").status_code == 303
    assert db.session.get(User, admin.id).role is Role.COORDINATOR


def test_deactivating_the_only_admins_organisation_does_not_lock_everyone_out(client, admin):
    organisation = db.session.get(Organisation, admin.organisation_id)
    response = client.post(f"/admin/organisations/{organisation.id}/deactivate",
                           data={"version": organisation.version}, follow_redirects=True)
    assert "make someone in another organisation an administrator first" in response.get_data(as_text=True)
    assert db.session.get(Organisation, organisation.id).is_active
    client.post("/logout")
    assert client.post("/login", data={"email": admin.email, "password": PASSWORD}).status_code == 303


def test_a_new_account_is_a_coordinator_unless_someone_chooses_otherwise(client, admin):
    page = client.get("/admin/users/new").get_data(as_text=True)
    role = page[page.index('name="role"'):]
    role = role[:role.index("</select>")]
    assert re.search(r'<option selected value="coordinator">|<option value="coordinator" selected>', role)
    assert 'value="admin" selected' not in role and '<option selected value="admin">' not in role


def test_a_new_account_names_no_organisation_until_one_is_chosen(client, admin):
    make_organisation(name="Aaa först i listan")
    page = client.get("/admin/users/new").get_data(as_text=True)
    assert '<option selected value="">Choose an organisation</option>' in page
    before = count(User)
    for chosen in ("", "   ", "not-a-number", "999999"):
        refused = client.post("/admin/users/new", data=new_user_form(0, organisation_id=chosen))
        text = refused.get_data(as_text=True)
        assert refused.status_code == 200 and 'id="organisation_id-error"' in text
        assert 'value="Anna Lindqvist"' in text
    assert "Choose the organisation the person works for." in client.post(
        "/admin/users/new", data=new_user_form(0, organisation_id="")).get_data(as_text=True)
    assert count(User) == before
