"""The county-scale set's actions and their histories: progress updates chained per action (each update's status
and progress are where the previous one left them), requests between partners, steering-group decisions, and the
audit events the services would have recorded for each, so that past months rebuild from the trail."""
import datetime as dt
from collections import Counter
from typing import Any

from tracker.actions.models import AUDITED_FIELDS, ActionStatus, RequestOutcome
from tracker.actions.models import ActionStatus as S
from tracker.agreements.models import AgreementStatus
from tracker.audit.services import plain
from tracker.clock import local_date
from tracker.demo.scale import Sizes, World
from tracker.demo.scale_words import (
    ACTION_TITLES,
    ANSWER_TEXTS,
    BLOCKED_REASONS,
    DECISION_TEXTS,
    PLACES,
    REQUEST_TEXTS,
    UPDATE_TEXTS,
)
from tracker.steering.models import EffectKind

DAY = dt.timedelta(days=1)
FINAL = {  # the status mix an action ends up in, by its agreement's status
    AgreementStatus.ACTIVE: ([S.DONE, S.CANCELLED, S.IN_PROGRESS, S.PLANNED, S.BLOCKED], [28, 5, 40, 15, 12]),
    AgreementStatus.ENDED: ([S.DONE, S.CANCELLED, S.IN_PROGRESS, S.PLANNED, S.BLOCKED], [75, 15, 5, 3, 2]),
}
SILENT_SHARE, OVERDUE_SHARE, OWNERLESS_SHARE, RAISED_SHARE, REQUEST_SHARE = 0.3, 0.22, 0.03, 0.01, 0.05


def make_actions(world: World, agreements: list[dict[str, Any]], sizes: Sizes) -> None:
    """Actions for every agreement (the first two the largest), then the updates spread by each action's age."""
    counts = _counts(world, agreements, sizes)
    for agreement in agreements:
        for _ in range(counts[agreement["id"]]):
            _action(world, agreement)
    actions = world.rows.get("actions", [])
    minimum = [a["_k"] for a in actions]
    extra = sizes.updates - sum(minimum)
    if extra > 0:
        weights = [0.0 if a["status"] is S.PLANNED and a["_k"] == 0 else
                   0.2 if a["status"] is S.PLANNED else 1 + (a["_end"] - a["created_at"]).days / 30 for a in actions]
        for index, more in Counter(world.rng.choices(range(len(actions)), weights, k=extra)).items():
            actions[index]["_k"] += more
    agreements_by_id = {a["id"]: a for a in agreements}
    for action in actions:
        _history(world, action, agreements_by_id[action["agreement_id"]])


def _counts(world: World, agreements: list[dict[str, Any]], sizes: Sizes) -> Counter:
    counts = Counter({agreements[0]["id"]: sizes.largest, agreements[1]["id"]: sizes.second})
    rest = agreements[2:]
    weights = [0.1 if a["status"] is AgreementStatus.DRAFT else 0.3 + 1.4 * world.rng.random() for a in rest]
    counts.update(a["id"] for a in world.rng.choices(rest, weights, k=sizes.actions - sizes.largest - sizes.second))
    return counts


def _action(world: World, agreement: dict[str, Any]) -> None:
    """One action: who owns it, when it was made, how it ends up and when it was last heard of."""
    rng, now, today = world.rng, world.now, world.today
    status_of_agreement = agreement["status"]
    latest = min(now - DAY, world.morning(agreement["ends_on"]) - 30 * DAY)
    created = world.between(agreement["created_at"] + DAY, latest) if latest > agreement["created_at"] + DAY \
        else agreement["created_at"] + dt.timedelta(hours=1)
    age = (now - created).days
    if status_of_agreement is AgreementStatus.DRAFT:
        status = S.PLANNED
    else:
        statuses, weights = FINAL[status_of_agreement]
        status = rng.choices(statuses, weights)[0] if age > 20 else rng.choice([S.PLANNED, S.IN_PROGRESS])
    organisation = rng.choice(agreement["_parties"])
    owner = rng.choice(world.coordinators[organisation])
    if status.is_open:
        silent = age > 45 and rng.random() < SILENT_SHARE
        end = now - rng.randint(31, min(age - 1, 500)) * DAY if silent else \
            max(created + dt.timedelta(hours=1), now - world.rng.random() * 25 * DAY)
        overdue = age > 30 and rng.random() < OVERDUE_SHARE
        deadline = today - rng.randint(1, min(age - 10, 240)) * DAY if overdue else \
            today + rng.randint(0, 400) * DAY
    else:
        closing_limit = min(now, world.morning(agreement["ends_on"])) if status_of_agreement is \
            AgreementStatus.ENDED else now
        end = world.between(created + 7 * DAY, closing_limit) if closing_limit > created + 7 * DAY else \
            created + dt.timedelta(hours=2)
        deadline = max(local_date(end) + rng.randint(-60, 60) * DAY, local_date(created) + 7 * DAY)
    if deadline > agreement["ends_on"] and deadline >= today:
        deadline = max(agreement["ends_on"], today)
    place = rng.choice(PLACES)
    world.add("actions", {
        "agreement_id": agreement["id"], "title": rng.choice(ACTION_TITLES).format(p=place),
        "description": f"Åtgärden genomförs i {place} i {agreement['area']} i samverkan mellan parterna.",
        "owner_organisation_id": organisation, "owner_id": owner,
        "deadline": None if rng.random() < 0.02 else deadline, "status": status, "progress": 0, "blocked_reason": "",
        "blocked_since": None, "owner_lost_on": None, "raised_at": None, "raised_by_id": None, "raised_reason": "",
        "last_progress_at": None, "created_at": created, "created_by_id": world.coordinators[organisation][0],
        "version": 1, "_end": end, "_closed_at": None if status.is_open else end,
        "_k": 0 if status is S.PLANNED and rng.random() < 0.5 else 1})


def _history(world: World, action: dict[str, Any], agreement: dict[str, Any]) -> None:
    """The action's updates from Planned at 0 % to its final status and progress, then what happened besides."""
    rng, final, k = world.rng, action["status"], action["_k"]
    action["_deadline0"] = action["deadline"]
    steps = _steps(world, final, k)
    start = action["created_at"] + dt.timedelta(hours=1)
    times = [*sorted(world.between(start, action["_end"]) for _ in range(k - 1)), max(start, action["_end"])]
    reason = rng.choice(BLOCKED_REASONS)
    state: dict[str, Any] = {"status": S.PLANNED, "progress": 0, "blocked_reason": "", "blocked_since": None}
    for (status, progress), at in zip(steps, times[-k:] if k else [], strict=True):
        author = action["owner_id"] or action["created_by_id"]
        blocked = status is S.BLOCKED
        new = {"status": status, "progress": progress, "blocked_reason": reason if blocked else "",
               "blocked_since": (state["blocked_since"] if state["status"] is S.BLOCKED else local_date(at))
               if blocked else None}
        next_step = rng.random() < 0.2 and status.is_open
        update_id = world.add("progress_updates", {
            "action_id": action["id"], "author_id": author, "at": at, "text": rng.choice(UPDATE_TEXTS[status]),
            "status_from": state["status"], "status_to": status, "progress_from": state["progress"],
            "progress_to": progress, "next_step": "Avstämning med parterna" if next_step else "",
            "next_step_on": local_date(at) + rng.randint(14, 45) * DAY if next_step else None})
        world.audit(author, "progress", "actions", action["id"],
                    {f: [plain(state[f]), plain(v)] for f, v in new.items() if state[f] != v}, at)
        if rng.random() < REQUEST_SHARE:
            _request(world, action, agreement, update_id, author, at)
        state = new
    action.update(state)
    action["last_progress_at"] = times[-1] if k else None
    _ownerless_or_raised(world, action, agreement)


def _steps(world: World, final: ActionStatus, k: int) -> list[tuple[ActionStatus, int]]:
    """k (status, progress) pairs ending in final: progress never goes back; a blocked spell on the way now and
    then; Done is 100 %."""
    rng = world.rng
    if final is S.PLANNED:
        return [(S.PLANNED, 0)] * k
    top = {S.DONE: 95, S.IN_PROGRESS: 90, S.BLOCKED: 70, S.CANCELLED: 60}[final]
    progress = sorted(rng.randint(0, top) for _ in range(k))
    statuses = [S.IN_PROGRESS] * (k - 1) + [final]
    if final is S.BLOCKED and k >= 2 and rng.random() < 0.4:
        statuses[-2] = S.BLOCKED
    elif k >= 3 and rng.random() < 0.15:
        statuses[rng.randint(1, k - 2)] = S.BLOCKED
    if final is S.DONE:
        progress[-1] = 100
    return list(zip(statuses, progress, strict=True))


def _request(world: World, action: dict, agreement: dict, update_id: int, author: int, at: dt.datetime) -> None:
    rng = world.rng
    others = [o for o in agreement["_parties"] if o != action["owner_organisation_id"]]
    if not others:
        return
    to = rng.choice(others)
    request = {"action_id": action["id"], "progress_update_id": update_id,
               "from_organisation_id": action["owner_organisation_id"], "to_organisation_id": to,
               "text": rng.choice(REQUEST_TEXTS), "asked_at": at, "asked_by_id": author, "answered_at": None,
               "answered_by_id": None, "answer": "", "outcome": None}
    request_id = world.add("requests", request)
    world.audit(author, "create", "requests", request_id, {
        "action_id": [None, action["id"]], "from_organisation_id": [None, action["owner_organisation_id"]],
        "to_organisation_id": [None, to], "text": [None, request["text"]]}, at)
    answered_at = at + rng.randint(1, 20) * DAY + rng.randint(0, 480) * dt.timedelta(minutes=1)
    if answered_at < world.now and rng.random() < 0.75:
        by = rng.choice(world.coordinators[to])
        outcome = rng.choice(list(RequestOutcome))
        request.update(answered_at=answered_at, answered_by_id=by, answer=rng.choice(ANSWER_TEXTS), outcome=outcome)
        world.audit(by, "answer", "requests", request_id, {
            "answered_at": [None, plain(answered_at)], "answered_by_id": [None, by],
            "answer": [None, request["answer"]], "outcome": [None, outcome.value]}, answered_at)


def _ownerless_or_raised(world: World, action: dict, agreement: dict) -> None:
    """A few open actions handed to their organisation's coordinators without an owner; a few raised by hand."""
    rng, today = world.rng, world.today
    if not action["status"].is_open:
        return
    lead_coordinator = world.coordinators[agreement["lead_organisation_id"]][0]
    if rng.random() < OWNERLESS_SHARE:
        lost_on = max(today - rng.randint(1, 90) * DAY, local_date(action["created_at"]))
        world.audit(lead_coordinator, "hand_over", "actions", action["id"],
                    {"owner_id": [action["owner_id"], None], "owner_lost_on": [None, plain(lost_on)]},
                    max(world.morning(lost_on), action["created_at"]))
        action.update(owner_id=None, owner_lost_on=lost_on, _owner0=action["owner_id"])
    if rng.random() < RAISED_SHARE:
        raised_at = world.now - rng.randint(1, 30) * DAY
        action.update(raised_at=raised_at, raised_by_id=lead_coordinator,
                      raised_reason="Parterna är oeniga om ansvaret; styrgruppen behöver ta ställning.")
        world.audit(lead_coordinator, "raise", "actions", action["id"], {
            "raised_at": [None, plain(raised_at)], "raised_by_id": [None, lead_coordinator],
            "raised_reason": [None, action["raised_reason"]]}, raised_at)


def make_decisions(world: World, agreements: list[dict[str, Any]]) -> None:
    """Steering-group meetings every four months: a decision now and then, accepting delays or moving a deadline
    (kept as a deadline change citing the decision); then each action's creation, with its first deadline."""
    by_agreement: dict[int, list[dict]] = {}
    for action in world.rows.get("actions", []):
        by_agreement.setdefault(action["agreement_id"], []).append(action)
    for agreement in agreements:
        if agreement["status"] is not AgreementStatus.DRAFT:
            _meetings(world, agreement, by_agreement.get(agreement["id"], []))
    for action in world.rows.get("actions", []):
        first = {**{f: action[f] for f in AUDITED_FIELDS}, "deadline": action["_deadline0"], "status": S.PLANNED,
                 "progress": 0, "blocked_reason": "", "blocked_since": None, "owner_lost_on": None,
                 "raised_at": None, "raised_by_id": None, "raised_reason": "",
                 "owner_id": action.get("_owner0", action["owner_id"])}
        world.audit(action["created_by_id"], "create", "actions", action["id"],
                    {f: [None, plain(v)] for f, v in first.items()}, action["created_at"])


def _meetings(world: World, agreement: dict, actions: list[dict]) -> None:
    rng = world.rng
    recorder = world.coordinators[agreement["lead_organisation_id"]][0]
    last_day = min(world.today, agreement["ends_on"]) - DAY
    day = agreement["starts_on"] + 120 * DAY
    while day <= last_day:
        recorded_at = min(world.morning(day + DAY), world.now)
        if rng.random() < 0.6:
            open_then = [a for a in actions if a["created_at"] < recorded_at
                         and (a["_closed_at"] is None or a["_closed_at"] > recorded_at)]
            _decision(world, agreement, day, recorded_at, recorder, rng.sample(open_then, min(2, len(open_then))))
        day += 120 * DAY


def _decision(world: World, agreement: dict, day: dt.date, recorded_at: dt.datetime, recorder: int,
              actions: list[dict]) -> None:
    rng = world.rng
    meeting = f"Styrgruppsmöte {day.isoformat()}"
    decision_id = world.add("decisions", {"agreement_id": agreement["id"], "decided_on": day, "meeting": meeting,
                                          "text": rng.choice(DECISION_TEXTS), "recorded_by_id": recorder,
                                          "recorded_at": recorded_at})
    effects = []
    for action in actions:
        deadline = action["deadline"]
        moves = (deadline is not None and action["_deadline0"] == deadline and rng.random() < 0.4
                 and agreement["starts_on"] <= deadline <= agreement["ends_on"])
        kind = EffectKind.NEW_DEADLINE if moves else EffectKind.ACCEPTED_DELAY
        world.add("decision_effects", {"decision_id": decision_id, "action_id": action["id"], "kind": kind,
                                       "new_owner_id": None, "new_deadline": deadline if moves else None})
        effects.append(f"{kind.value}:{action['id']}")
        if moves:
            action["_deadline0"] = deadline - rng.randint(20, 120) * DAY
            world.add("deadline_changes", {"action_id": action["id"], "moved_from": action["_deadline0"],
                                           "moved_to": deadline, "by_id": recorder, "at": recorded_at, "reason": "",
                                           "decision_id": decision_id})
            world.audit(recorder, "update", "actions", action["id"],
                        {"deadline": [plain(action["_deadline0"]), plain(deadline)]}, recorded_at)
    world.audit(recorder, "create", "decisions", decision_id, {
        "decided_on": [None, plain(day)], "meeting": [None, meeting],
        "text": [None, world.rows["decisions"][-1]["text"]], "effects": [None, effects]}, recorded_at)
