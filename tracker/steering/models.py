import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.accounts.models import User
from tracker.actions.models import Action
from tracker.agreements.models import Agreement
from tracker.clock import utcnow
from tracker.extensions import Model


class EffectKind(enum.StrEnum):
    NEW_OWNER = "new_owner"
    NEW_DEADLINE = "new_deadline"
    CANCEL = "cancel"
    ACCEPTED_DELAY = "accepted_delay"

    @property
    def label(self) -> str:
        return str(EFFECT_KIND_LABELS[self])


EFFECT_KIND_LABELS = {
    EffectKind.NEW_OWNER: _l("New owner"),
    EffectKind.NEW_DEADLINE: _l("New deadline"),
    EffectKind.CANCEL: _l("Cancel the action"),
    EffectKind.ACCEPTED_DELAY: _l("Delay accepted"),
}


class Decision(Model):
    """A steering-group decision on an agreement: append-only, applied to its actions when it is recorded."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    decided_on: Mapped[dt.date] = mapped_column(index=True)
    meeting: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship()
    recorded_by: Mapped[User] = relationship()
    effects: Mapped[list["DecisionEffect"]] = relationship(back_populates="decision", order_by="DecisionEffect.id")

    def __str__(self) -> str:
        return self.meeting


class DecisionEffect(Model):
    """What a decision changes on one action of its agreement."""

    __tablename__ = "decision_effects"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    kind: Mapped[EffectKind]
    new_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    new_deadline: Mapped[dt.date | None]

    decision: Mapped[Decision] = relationship(back_populates="effects")
    action: Mapped[Action] = relationship()
    new_owner: Mapped[User | None] = relationship()
