"""The steering group's decisions on an action's page (a panel of the actions blueprint). create_app imports this
module."""
from tracker.actions import panels
from tracker.actions.models import Action
from tracker.steering.queries import decisions_about


@panels.for_page
def decisions(action: Action) -> dict:
    """The decisions that concern the action, newest first, and the same by id (a deadline move cites one)."""
    found = decisions_about(action.id)
    return {"decisions": found, "decisions_by_id": {d.id: d for d in found}}
