"""What a phone needs from the markup: every list table labels each cell with its column's heading (a phone shows
each row as a card, labelled by it), and an icon that is found (no 404 on every page)."""
import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from tests.factories import make_action, make_admin, make_agreement, make_organisation, make_update, make_user
from tracker.actions.models import ActionStatus
from tracker.clock import local_today
from tracker.extensions import db
from tracker.reports.models import Report


class StackTables(HTMLParser):
    """The .stack-table tables of a page: each one's column headings (visible words only) and, per body row,
    each cell's (data-label, colspan)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._in_table = self._in_head = self._in_th = False
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        classes = (attr.get("class") or "").split()
        if tag == "table" and "stack-table" in classes:
            self._in_table = True
            self.tables.append({"headings": [], "rows": []})
        elif not self._in_table:
            return
        elif tag == "thead":
            self._in_head = True
        elif tag == "th" and self._in_head:
            self._in_th = True
            self.tables[-1]["headings"].append("")
        elif tag == "span" and self._in_th and ("visually-hidden" in classes or self._hidden_depth):
            self._hidden_depth += 1
        elif tag == "tr" and not self._in_head:
            self.tables[-1]["rows"].append([])
        elif tag == "td":
            self.tables[-1]["rows"][-1].append((attr.get("data-label"), int(attr.get("colspan") or 1)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag == "thead":
            self._in_head = False
        elif tag == "th":
            self._in_th = False
        elif tag == "span" and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_th and not self._hidden_depth:
            self.tables[-1]["headings"][-1] += data.strip()


def stack_tables(html: str) -> list[dict]:
    parser = StackTables()
    parser.feed(html)
    return parser.tables


def unlabelled_cells(table: dict) -> list[tuple[str, str | None]]:
    """Every (heading, data-label) pair of a data row where the two differ; a column whose heading is only for
    screen readers (a button's column) carries no label."""
    wrong = []
    for row in table["rows"]:
        if len(row) == 1 and row[0][1] == len(table["headings"]):
            continue  # "No actions." across the whole row
        assert len(row) == len(table["headings"]), (table["headings"], row)
        wrong += [(heading, label) for heading, (label, _) in zip(table["headings"], row, strict=True)
                  if label != (heading or None)]
    return wrong


@pytest.fixture
def world(app):
    police = make_organisation(name="Polisen Järva", short_name="Polisen")
    erik = make_user(name="Erik Johansson", organisation=police)
    agreement = make_agreement(title="Trygg skolväg", parties=[police], starts_on=dt.date(2026, 1, 1))
    overdue = make_action(agreement=agreement, title="Skolvägsvandring", owner=erik,
                          deadline=local_today() - dt.timedelta(days=3))
    make_action(agreement=agreement, title="Föräldrakväll", owner=erik, status=ActionStatus.PLANNED,
                deadline=local_today() + dt.timedelta(days=40))
    make_update(overdue, erik)
    # An archived report as the archive lists it (rendering a real PDF is for the report tests).
    db.session.add(Report(scope=f"agreement:{agreement.id}", agreement=agreement, agreements=[agreement],
                          title=agreement.title, month="2026-01", number=1, language="sv", generated_by=erik,
                          size=4, sha256="0" * 64, content=b"%PDF"))
    db.session.commit()
    return {"erik": erik, "admin": make_admin(organisation=police), "agreement": agreement}


ERIK_PAGES = ["/", "/actions/", "/agreements/", "/agreements/{agreement}", "/reports/", "/password"]
ADMIN_PAGES = ["/admin/organisations/", "/admin/users/", "/admin/audit/"]


@pytest.mark.parametrize("path", ERIK_PAGES + ADMIN_PAGES)
def test_every_cell_of_a_list_table_is_labelled_with_its_column_heading(client, as_user, world, path):
    as_user(world["admin"] if path.startswith("/admin") else world["erik"])
    response = client.get(path.format(agreement=world["agreement"].id))
    assert response.status_code == 200
    tables = stack_tables(response.get_data(as_text=True))
    assert tables, f"{path} shows no table that turns into cards on a phone"
    for table in tables:
        assert any(table["rows"]), table["headings"]
        assert unlabelled_cells(table) == []


def test_every_table_on_the_pages_turns_into_cards(client, as_user, world):
    as_user(world["erik"])
    for path in ERIK_PAGES:
        html = client.get(path.format(agreement=world["agreement"].id)).get_data(as_text=True)
        assert html.count("<table") == len(stack_tables(html)), path


def test_the_icon_is_linked_from_every_page_and_served(client, as_user, world):
    page = client.get("/login").get_data(as_text=True)
    icon = re.search(r'rel="icon" href="(/static/favicon\.[0-9a-f]{12}\.svg)" type="image/svg\+xml"', page)
    assert icon, "the SVG icon, under its fingerprinted name"
    assert 'rel="icon" href="/favicon.ico"' in page
    with client.get(icon.group(1)) as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
        assert svg.get_data(as_text=True).startswith("<svg")
        assert "img-src 'self'" in svg.headers["Content-Security-Policy"]


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
def test_favicon_ico_is_served_to_anyone_not_a_404_or_a_sign_in_page(client, as_user, world, signed_in):
    if signed_in:
        as_user(world["erik"])
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file's header


def test_a_user_with_a_temporary_password_still_gets_the_icon(client, app):
    user = make_user(must_change_password=True)
    db.session.commit()
    client.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
