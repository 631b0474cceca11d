"""A world for the API tests: agreement A led by LEAD with PARTY as the other party, one action of each party with
a progress update, a request from LEAD to PARTY and a steering-group decision; agreement B of OUTSIDE alone. Keys:
a write key of a LEAD coordinator, a read key of the same person, a key of a LEAD viewer and of an OUTSIDE
coordinator."""
import datetime as dt
from types import SimpleNamespace

import pytest

from tests.factories import (
    make_action,
    make_admin,
    make_agreement,
    make_api_token,
    make_organisation,
    make_request,
    make_update,
    make_user,
    make_viewer,
)
from tracker.clock import local_today
from tracker.extensions import db
from tracker.steering.models import Decision, DecisionEffect, EffectKind


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def world(app):
    today = local_today()
    lead, party, outside = (make_organisation(name=n) for n in ("Lead org", "Party org", "Outside org"))
    coordinator, party_coordinator = make_user(organisation=lead, language="en"), make_user(organisation=party)
    viewer, outsider, admin = make_viewer(organisation=lead), make_user(organisation=outside), make_admin(
        organisation=outside)
    agreement = make_agreement(lead_organisation=lead, parties=[lead, party], starts_on=today - dt.timedelta(days=400),
                               ends_on=today + dt.timedelta(days=400))
    action = make_action(agreement=agreement, owner=coordinator, deadline=today + dt.timedelta(days=60))
    theirs = make_action(agreement=agreement, owner_organisation=party, owner=party_coordinator,
                         deadline=today - dt.timedelta(days=3))
    update = make_update(action, coordinator)
    request = make_request(action, party, coordinator)
    decision = Decision(agreement=agreement, decided_on=today, meeting="Styrgruppen", text="Beslut.",
                        recorded_by=coordinator)
    decision.effects.append(DecisionEffect(action=theirs, kind=EffectKind.ACCEPTED_DELAY))
    db.session.add(decision)
    elsewhere = make_agreement(lead_organisation=outside, parties=[outside])
    hidden = make_action(agreement=elsewhere, owner=outsider)
    hidden_update = make_update(hidden, outsider)
    db.session.flush()
    keys = {"write": make_api_token(coordinator)[1], "read": make_api_token(coordinator, scope="read")[1],
            "viewer": make_api_token(viewer, scope="read")[1], "outsider": make_api_token(outsider)[1],
            "admin": make_api_token(admin)[1], "party": make_api_token(party_coordinator)[1]}
    db.session.commit()
    return SimpleNamespace(
        today=today, lead=lead, party=party, outside=outside, coordinator=coordinator, viewer=viewer,
        outsider=outsider, admin=admin, party_coordinator=party_coordinator, agreement=agreement, action=action,
        theirs=theirs, update=update, request=request, decision=decision, elsewhere=elsewhere, hidden=hidden,
        hidden_update=hidden_update, keys=keys)
