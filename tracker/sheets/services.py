"""Keeping an uploaded spreadsheet between its preview and its confirmation, and saving it: every row through
create_action (its rules, audit events and notices), a status and progress other than the starting ones as a
progress update, and one audit event on the agreement for the import as a whole. Services flush, never commit."""
import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import delete, update

from tracker.accounts.models import User
from tracker.actions.models import Action, ActionStatus
from tracker.actions.services import create_action, log_progress
from tracker.agreements.models import Agreement
from tracker.audit.services import record
from tracker.extensions import db
from tracker.sheets.imports import Preview
from tracker.sheets.models import ImportBatch

BATCH_LIFETIME = dt.timedelta(hours=2)
KEPT_AFTER_EXPIRY = dt.timedelta(days=1)  # long enough to say "already imported" or "expired", then removed


class AlreadyImported(Exception):
    """The batch was confirmed before (perhaps in another tab, or on another instance of the app)."""


def keep_upload(agreement: Agreement, filename: str, keys: list[str | None], ignored: list[str],
                rows: list[tuple[int, list[str]]], *, by: User, now: dt.datetime) -> ImportBatch:
    """Keep a read upload for its preview and confirmation (and remove the batches long expired)."""
    db.session.execute(delete(ImportBatch).where(ImportBatch.expires_at < now - KEPT_AFTER_EXPIRY))
    batch = ImportBatch(user_id=by.id, agreement_id=agreement.id, filename=filename[:255],
                        content={"columns": keys, "ignored": ignored, "rows": [list(r) for r in rows]},
                        created_at=now, expires_at=now + BATCH_LIFETIME)
    db.session.add(batch)
    db.session.flush()
    return batch


def import_actions(batch: ImportBatch, agreement: Agreement, preview: Preview, *, by: User,
                   now: dt.datetime) -> list[Action]:
    """Save every row of a valid preview, once: a second confirmation of the batch raises AlreadyImported."""
    assert preview.is_valid, "only a preview without errors is imported"
    claimed = db.session.execute(update(ImportBatch).where(ImportBatch.id == batch.id, ImportBatch.used_at.is_(None))
                                 .values(used_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult; the stubs say Result
        raise AlreadyImported()
    actions = [_save(agreement, row.values, batch.filename, by) for row in preview.rows]
    record(by, "import", agreement, {"imported_actions": [None, len(actions)], "file": [None, batch.filename]},
           at=now)
    return actions


def _save(agreement: Agreement, values: dict, filename: str, by: User) -> Action:
    action = create_action(agreement, values, by=by)
    status, progress = values["status"], values["progress"]
    if status is not ActionStatus.PLANNED or progress:
        log_progress(action, text=_("Status and progress as the imported file %(file)s gave them.", file=filename),
                     status=status, progress=progress, blocked_reason=values["blocked_reason"], by=by,
                     version=action.version)
    return action
