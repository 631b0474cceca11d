"""Words, numbers and dates: plurals in both languages, British dates in English, user text marked Swedish."""
import datetime as dt

import pytest
from flask_babel import force_locale, ngettext

from tests.factories import make_action, make_agreement, make_organisation, make_user
from tests.test_reports import pdf_text
from tracker.accounts.models import Role
from tracker.actions.rules import Thresholds
from tracker.extensions import db
from tracker.i18n import babel_locale
from tracker.reports import services
from tracker.reports.period import Month
from tracker.templating import local_date

NOV_25 = dt.date(2026, 11, 25)


def test_english_formats_dates_the_british_way():
    assert babel_locale("en") == "en_GB"
    assert babel_locale("sv") == "sv"


def test_an_english_page_shows_british_dates_and_keeps_html_lang_en(app, as_user):
    org = make_organisation()
    agreement = make_agreement(parties=[org], lead_organisation=org, starts_on=NOV_25, ends_on=None)
    client = as_user(make_user(organisation=org, language="en"))
    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert "25 Nov 2026" in page and "11/25/26" not in page and "Nov 25, 2026" not in page
    assert '<html lang="en">' in page


def test_cli_messages_in_english_use_british_dates(app):
    """Outside a request the shell's locale (LANG=en_GB.UTF-8 in the tests) picks English, formatted en_GB."""
    with app.app_context():
        assert local_date(NOV_25) == "25 Nov 2026"
        assert local_date(NOV_25, "short") == "25/11/2026"


def test_an_english_pdf_shows_british_dates(app):
    agreement = make_agreement(title="Avtal", starts_on=dt.date(2026, 1, 5))
    db.session.commit()
    pdf = services.render_pdf([agreement], Month(2026, 11), language="en", today=NOV_25, thresholds=Thresholds(),
                              generated_at=dt.datetime(2026, 11, 25, 7, tzinfo=dt.UTC), generated_by=None)
    text = pdf_text(pdf)
    assert "5 Jan 2026" in text
    assert "25 November 2026" in text
    assert "11/25" not in text and "Jan 5" not in text


def test_a_state_agency_is_a_kind_of_its_own_with_a_swedish_label_and_an_audit_label(app, as_user):
    from tracker.audit.naming import VALUES
    from tracker.organisations.models import Organisation, OrganisationKind

    client = as_user(make_user(organisation=make_organisation(), role=Role.ADMIN, language="sv"))
    response = client.post("/admin/organisations/new", data={
        "name": "Kriminalvården, frivården Stockholm", "short_name": "Frivården", "kind": "state_agency",
        "municipality": "Stockholm", "contact_email": ""})
    assert response.status_code == 303
    agency = db.session.query(Organisation).filter_by(short_name="Frivården").one()
    assert agency.kind is OrganisationKind.STATE_AGENCY
    with force_locale("sv"):
        assert OrganisationKind.STATE_AGENCY.label == "Statlig myndighet"
        assert str(VALUES["kind"][OrganisationKind.STATE_AGENCY]) == "Statlig myndighet"
    assert "Statlig myndighet" in client.get("/admin/organisations/").get_data(as_text=True)


def test_the_demo_types_lansstyrelsen_as_a_state_agency():
    from tracker.demo.organisations import ORGANISATIONS
    from tracker.organisations.models import OrganisationKind

    [lansstyrelsen] = [o for o in ORGANISATIONS if o[1] == "Länsstyrelsen"]
    assert lansstyrelsen[2] is OrganisationKind.STATE_AGENCY


PLURALS = [
    ("sv", 1, "open action of mine", "1 öppen åtgärd där jag är ansvarig"),
    ("sv", 2, "open action of mine", "2 öppna åtgärder där jag är ansvarig"),
    ("en", 1, "open action of mine", "1 open action of mine"),
    ("en", 2, "open action of mine", "2 open actions of mine"),
    ("sv", 1, "stalled commitment", "1 avstannat åtagande"),
    ("sv", 2, "stalled commitment", "2 avstannade åtaganden"),
    ("en", 1, "stalled commitment", "1 stalled commitment"),
    ("en", 2, "stalled commitment", "2 stalled commitments"),
]
PLURAL_FORMS = {"open action of mine": "open actions of mine", "stalled commitment": "stalled commitments"}


@pytest.mark.parametrize(("language", "count", "singular", "expected"), PLURALS,
                         ids=[f"{p[0]}-{p[1]}-{p[2]}" for p in PLURALS])
def test_counts_take_the_plural_they_need_in_both_languages(app, language, count, singular, expected):
    with app.test_request_context(), force_locale(babel_locale(language)):
        assert f"{count} {ngettext(singular, PLURAL_FORMS[singular], count)}" == expected


@pytest.mark.parametrize(("language", "expected"), [("en", "Portfolio of 2 agreements"),
                                                   ("sv", "Samlad rapport för 2 avtal")])
def test_a_portfolio_title_counts_its_agreements(app, language, expected):
    with app.test_request_context(), force_locale(language):
        assert services.report_title([make_agreement(), make_agreement()]) == expected


@pytest.mark.parametrize(("language", "one", "two"), [
    ("en", "open action of mine<", "open actions of mine<"),
    ("sv", "öppen åtgärd där jag är ansvarig<", "öppna åtgärder där jag är ansvarig<")])
def test_the_start_page_cards_say_one_action_and_two_actions(app, as_user, language, one, two):
    org = make_organisation()
    me = make_user(organisation=org, language=language)
    agreement = make_agreement(parties=[org], lead_organisation=org, starts_on=dt.date(2020, 1, 1),
                               ends_on=dt.date(2040, 1, 1))
    make_action(agreement=agreement, owner=me, deadline=dt.date(2039, 1, 1))
    client = as_user(me)
    assert one in client.get("/").get_data(as_text=True)
    make_action(agreement=agreement, owner=me, deadline=dt.date(2039, 1, 1))
    db.session.commit()
    assert two in client.get("/").get_data(as_text=True)


def test_user_text_is_marked_swedish_on_english_pages_and_left_alone_on_swedish_ones(app, as_user):
    org = make_organisation(name="Polisen Järva")
    agreement = make_agreement(title="Trygg <b>Järva</b>", purpose="Färre unga i brott.", parties=[org],
                               lead_organisation=org)
    make_action(agreement=agreement, title="Fältassistenter")
    user = make_user(organisation=org, language="en")
    client = as_user(user)
    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert '<h1><span lang="sv">Trygg &lt;b&gt;Järva&lt;/b&gt;</span></h1>' in page
    assert '<span lang="sv">Färre unga i brott.</span>' in page
    assert '<span lang="sv">Fältassistenter</span>' in page
    user.language = "sv"
    db.session.commit()
    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert "<h1>Trygg &lt;b&gt;Järva&lt;/b&gt;</h1>" in page and 'lang="sv">Fältassistenter' not in page


def test_an_english_report_marks_user_text_swedish(app):
    from tracker.reports.content import build

    agreement = make_agreement(title="Tidiga insatser", starts_on=dt.date(2026, 1, 5))
    make_action(agreement=agreement, title="Mentorsprogram", deadline=dt.date(2026, 12, 20))
    db.session.commit()
    with app.test_request_context():
        content = build([agreement], Month(2026, 11), NOV_25, Thresholds())
        html = {language: services.render_html(content, language=language, generated_at=dt.datetime.now(dt.UTC),
                                                generated_by=None, thresholds=Thresholds())
                for language in ("en", "sv")}
    assert '<h1><span lang="sv">Tidiga insatser</span></h1>' in html["en"]
    assert '<span lang="sv">Mentorsprogram</span>' in html["en"]
    assert 'lang="sv">Mentorsprogram' not in html["sv"] and "<h1>Tidiga insatser</h1>" in html["sv"]
