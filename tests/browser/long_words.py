"""Words too long for any screen, in every kind of text a person types: an organisation's name, an agreement's
title, an action's title and a progress update, all where Erik (coordinator at the police) sees them, and a
monthly report of the agreement in the archive."""
import datetime as dt

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.actions.models import ActionStatus
from tracker.actions.rules import Thresholds
from tracker.actions.services import create_action, log_progress
from tracker.agreements.models import Theme
from tracker.agreements.services import create_agreement
from tracker.clock import local_today
from tracker.extensions import db
from tracker.organisations.models import OrganisationKind
from tracker.organisations.services import create_organisation
from tracker.reports.period import Month
from tracker.reports.services import generate

ERIK = "erik.johansson@polisen.example.se"
ANNA = "anna.lindqvist@lansstyrelsen.example.se"
# The longest each field takes: titles 300 characters, an organisation's name 200.
AGREEMENT_TITLE = "Samverkansöverenskommelse" * 12
ACTION_TITLE = "Skolvägsvandringsplanering" * 11 + "Ska"
ORGANISATION_NAME = "Stadsdelsförvaltningsenheten" * 7 + "Stad"
UPDATE_TEXT = "Lägesrapport" * 25


def add_long_words() -> int:
    """Add the long words (in an app context) and commit; the new agreement's id."""
    erik = db.session.scalars(select(User).where(User.email == ERIK)).one()
    anna = db.session.scalars(select(User).where(User.email == ANNA)).one()
    organisation = create_organisation({"name": ORGANISATION_NAME, "short_name": "Långt namn",
                                        "kind": OrganisationKind.MUNICIPALITY}, by=anna)
    db.session.flush()
    today = local_today()
    agreement = create_agreement({"title": AGREEMENT_TITLE, "theme": Theme.OTHER, "starts_on": today.replace(day=1),
                                  "lead_organisation_id": erik.organisation_id,
                                  "party_ids": [organisation.id]}, by=erik)
    action = create_action(agreement, {"title": ACTION_TITLE, "owner_organisation_id": erik.organisation_id,
                                       "owner_id": erik.id, "deadline": today - dt.timedelta(days=3)}, by=erik)
    log_progress(action, text=UPDATE_TEXT, status=ActionStatus.BLOCKED, progress=10,
                 blocked_reason=UPDATE_TEXT, by=erik, version=action.version)
    generate([agreement], Month.of(today), language="sv", by=erik, today=today, thresholds=Thresholds())
    db.session.commit()
    return agreement.id
