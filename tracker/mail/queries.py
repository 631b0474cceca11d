"""Reading the outbox for the administrators' page."""
from sqlalchemy import Select, func, or_, select

from tracker.extensions import db
from tracker.mail.models import MessageState, OutboxMessage
from tracker.search import like_pattern


def search_messages(text: str, state: MessageState | None) -> Select[tuple[OutboxMessage]]:
    """Messages whose recipient or subject contains text, in one state or all; the newest first."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if state is not None:
        query = query.where(OutboxMessage.state == state)
    if text:
        pattern = like_pattern(text)
        query = query.where(or_(OutboxMessage.to_address.ilike(pattern, escape="\\"),
                                OutboxMessage.to_name.ilike(pattern, escape="\\"),
                                OutboxMessage.subject.ilike(pattern, escape="\\")))
    return query


def counts_by_state() -> dict[MessageState, int]:
    """How many messages are in each state."""
    rows = db.session.execute(select(OutboxMessage.state, func.count(OutboxMessage.id))
                              .group_by(OutboxMessage.state)).all()
    found: dict[MessageState, int] = dict(rows)  # type: ignore[arg-type]  # rows of (state, count)
    return {state: found.get(state, 0) for state in MessageState}
