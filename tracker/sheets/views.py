from collections.abc import Iterator
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from tracker import policy
from tracker.actions import views as action_views
from tracker.actions.queries import search_actions
from tracker.actions.today import thresholds
from tracker.agreements import views as agreement_views
from tracker.agreements.models import Agreement
from tracker.agreements.queries import search_agreements
from tracker.clock import request_today, utcnow
from tracker.errors import MESSAGES
from tracker.extensions import db
from tracker.loading import load_or_403, load_or_404
from tracker.sheets import columns, exports, imports, services
from tracker.sheets.columns import Spec
from tracker.sheets.forms import ConfirmImportForm, UploadForm
from tracker.sheets.models import ImportBatch
from tracker.spreadsheet_reading import Unreadable, read_table
from tracker.spreadsheets import XLSX_MIMETYPE, Value, csv_chunks, xlsx_bytes

bp = Blueprint("sheets", __name__, template_folder="templates")
MAX_ROWS = 2000
KIND = "<any(xlsx, csv):kind>"


def _send(kind: str, name: str, title: str, specs: tuple[Spec, ...],
          rows: Iterator[list[list[Value]]]) -> Response:
    filename = f"{name}-{request_today().isoformat()}.{kind}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if kind == "xlsx":
        return Response(xlsx_bytes(title, columns.columns(specs), rows), mimetype=XLSX_MIMETYPE, headers=disposition)
    return Response(stream_with_context(csv_chunks(columns.columns(specs), rows)), mimetype="text/csv",
                    headers=disposition)


def _back_to(endpoint: str) -> Response:
    """A refused filter would export everything: back to the list, which says why."""
    return redirect(f"{url_for(endpoint)}?{urlencode(list(request.args.items(multi=True)))}", 303)


@bp.get(f"/agreements/<int:agreement_id>/actions.{KIND}")
def agreement_actions(agreement_id: int, kind: str) -> Response:
    agreement = load_or_403(Agreement, agreement_id, policy.can_read_agreement)
    rows = exports.action_rows(exports.agreement_actions(agreement), request_today(), with_agreement=False)
    return _send(kind, f"samverka-agreement-{agreement.id}-actions", _("Actions"), columns.action_specs(False), rows)


@bp.get(f"/actions/export.{KIND}")
def actions(kind: str) -> Response:
    form, filters = action_views.list_filters()
    if form.errors:
        return _back_to("actions.index")
    today = request_today()
    rows = exports.action_rows(search_actions(current_user, filters, today, thresholds()), today, with_agreement=True)
    return _send(kind, "samverka-actions", _("Actions"), columns.action_specs(True), rows)


@bp.get(f"/agreements/export.{KIND}")
def agreements(kind: str) -> Response:
    form, filters = agreement_views.list_filters()
    if form.errors:
        return _back_to("agreements.index")
    rows = exports.agreement_rows(search_agreements(current_user, filters), request_today())
    return _send(kind, "samverka-agreements", _("Agreements"), columns.AGREEMENT_SPECS, rows)


@bp.route("/agreements/<int:agreement_id>/import", methods=["GET", "POST"])
def upload(agreement_id: int) -> ResponseReturnValue:
    agreement = load_or_403(Agreement, agreement_id, policy.can_import_actions)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            table = read_table(form.file.data.read(), max_rows=MAX_ROWS, known=columns.known_count)
        except Unreadable as error:
            form.file.errors.append(str(error))
        else:
            keys = columns.recognise(table.header)
            batch = services.keep_upload(agreement, form.filename, keys, columns.ignored(table.header, keys),
                                         table.rows, by=current_user, now=utcnow())
            db.session.commit()
            return redirect(url_for("sheets.preview", agreement_id=agreement.id, batch_id=batch.id), 303)
    return render_template("sheets/upload.html", agreement=agreement, form=form)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A file over the app's body limit is refused before it is read: the upload page says so."""
    agreement_id = (request.view_args or {}).get("agreement_id")
    if request.endpoint != "sheets.upload" or agreement_id is None:
        return render_template("errors/error.html", code=413, message=MESSAGES[413]), 413
    agreement = load_or_403(Agreement, agreement_id, policy.can_import_actions)
    form = UploadForm(formdata=None)
    form.file.errors = [_("The file is larger than 2 MB. Upload at most 2,000 actions at a time, without pictures "
                          "or other sheets: save the actions alone as CSV, or split them into several files.")]
    return render_template("sheets/upload.html", agreement=agreement, form=form), 413


def _batch(agreement_id: int, batch_id: int) -> tuple[Agreement, ImportBatch]:
    """The agreement (the user must still be allowed to import into it) and the user's own batch for it."""
    agreement = load_or_403(Agreement, agreement_id, policy.can_import_actions)
    batch = load_or_404(ImportBatch, batch_id)
    if batch.user_id != current_user.id or batch.agreement_id != agreement.id:
        abort(404)
    return agreement, batch


def _checked(agreement: Agreement, batch: ImportBatch) -> imports.Preview:
    directory = imports.Directory.of(agreement, current_user, request_today())
    return imports.check(batch.rows, batch.content["columns"], directory)


def _gone(agreement: Agreement, batch: ImportBatch) -> Response | None:
    """Where to go instead of a preview that was imported already or has expired."""
    if batch.used_at is not None:
        flash(_("This file is imported already; its actions are listed below."), "info")
        return redirect(url_for("agreements.show", agreement_id=agreement.id), 303)
    if batch.expires_at < utcnow():
        flash(_("The preview had expired (after two hours). Upload the file again."), "error")
        return redirect(url_for("sheets.upload", agreement_id=agreement.id), 303)
    return None


@bp.get("/agreements/<int:agreement_id>/import/<int:batch_id>")
def preview(agreement_id: int, batch_id: int) -> ResponseReturnValue:
    agreement, batch = _batch(agreement_id, batch_id)
    return _gone(agreement, batch) or _render_preview(agreement, batch, _checked(agreement, batch))


def _render_preview(agreement: Agreement, batch: ImportBatch, checked: imports.Preview) -> str:
    shown = [s for s in columns.IMPORTED if s.key in batch.content["columns"]]  # the file's own columns
    return render_template("sheets/preview.html", agreement=agreement, batch=batch, preview=checked, specs=shown,
                           form=ConfirmImportForm(), upload=UploadForm(formdata=None))


@bp.post("/agreements/<int:agreement_id>/import/<int:batch_id>")
def confirm(agreement_id: int, batch_id: int) -> ResponseReturnValue:
    agreement, batch = _batch(agreement_id, batch_id)
    if gone := _gone(agreement, batch):
        return gone
    if not ConfirmImportForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
        return redirect(url_for("sheets.preview", agreement_id=agreement.id, batch_id=batch.id), 303)
    checked = _checked(agreement, batch)
    if not checked.is_valid:  # something changed since the preview (a person deactivated): it says what
        return _render_preview(agreement, batch, checked)
    try:
        saved = services.import_actions(batch, agreement, checked, by=current_user, now=utcnow())
    except services.AlreadyImported:
        db.session.rollback()
        return _gone(agreement, db.session.get(ImportBatch, batch_id) or batch) or abort(409)
    db.session.commit()
    flash(ngettext("%(num)d action imported.", "%(num)d actions imported.", len(saved)), "success")
    return redirect(url_for("agreements.show", agreement_id=agreement.id), 303)
