"""The handover asked for when a person who owns open actions is deactivated: one choice for all of them, and
optionally one per action. A new owner must be an active person of the action's owning organisation."""
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from tracker.accounts.models import User
from tracker.actions.models import Action
from tracker.formfields import VersionedForm

UNOWNED = "unowned"  # to the owning organisation's coordinators, unassigned ("utan ansvarig")
SAME = ""  # an action's own choice: the same as the choice for all


class HandoverForm(VersionedForm):
    """version: the departing person's account version (the deactivation is part of the same save)."""

    everyone_to = SelectField(_l("Who takes over the open actions?"), validate_choice=False,
                              description=_l("A new owner at the same organisation, or the organisation's "
                                             "coordinators, with the actions unassigned until they name a new "
                                             "owner."))

    actions: list[Action]
    candidates: dict[int, list[User]]

    def action_field(self, action: Action) -> SelectField:
        field: SelectField = getattr(self, f"action_{action.id}")
        return field

    def new_owner(self, action: Action) -> User | None:
        """The validated choice for one action: a person, or None for "utan ansvarig"."""
        choice = self.action_field(action).data or self.everyone_to.data
        return None if choice == UNOWNED else self._person(action, choice)

    def _person(self, action: Action, choice: Any) -> User | None:
        people = {str(u.id): u for u in self.candidates.get(action.owner_organisation_id, [])}
        return people.get(str(choice))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.everyone_to.data in (None, ""):
            self.everyone_to.errors = [*self.everyone_to.errors, _l("Choose who takes over the actions.")]
            return False
        for action in self.actions:
            field = self.action_field(action)
            choice = field.data or self.everyone_to.data
            if choice != UNOWNED and self._person(action, choice) is None:
                message = _l("Choose an active person at %(organisation)s, or leave the action unassigned.",
                             organisation=action.owner_organisation.name)
                target = field if field.data else self.everyone_to
                target.errors = [*target.errors, message] if message not in target.errors else target.errors
                valid = False
        return valid


def handover_form(departing: User, actions: Sequence[Action], candidates: dict[int, list[User]],
                  **kwargs: Any) -> HandoverForm:
    """The form for these actions; candidates: {organisation id: its active people other than the departing one}."""
    fields = {f"action_{a.id}": SelectField(a.title, validate_choice=False) for a in actions}
    form_class = type("ActionsHandoverForm", (HandoverForm,), fields)
    form: HandoverForm = form_class(**kwargs)
    form.actions, form.candidates = list(actions), candidates
    unowned = (UNOWNED, str(_l("Unassigned: to the coordinators of the owning organisation")))
    everyone = {u.id: u for people in candidates.values() for u in people
                if u.organisation_id == departing.organisation_id}.values()
    form.everyone_to.choices = [("", str(_l("Choose…"))), unowned, *((str(u.id), u.name) for u in everyone)]
    for action in actions:
        people = candidates.get(action.owner_organisation_id, [])
        form.action_field(action).choices = [(SAME, str(_l("As chosen above"))), unowned,
                                             *((str(u.id), u.name) for u in people)]
    return form
