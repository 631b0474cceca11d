from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, render_template, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue

from tracker import policy
from tracker.audit import search as queries
from tracker.audit.export import csv_lines
from tracker.audit.forms import AuditFilterForm
from tracker.audit.labels import describe
from tracker.audit.models import AuditEvent
from tracker.keyset import BadCursor, keyset_page
from tracker.listfilters import id_from_args
from tracker.loading import admins_only
from tracker.organisations.queries import organisation_choices

bp = Blueprint("audit", __name__, template_folder="templates")
admins_only(bp, policy.can_read_audit_log)
PER_PAGE = 50
CSV_BATCH = 1000  # events read from the database and sent to the browser at a time


def _filters() -> tuple[AuditFilterForm, queries.AuditFilters]:
    organisations = organisation_choices(id_from_args(request.args, "organisation"))
    form = AuditFilterForm.from_args(request.args, organisation=[(None, "–"), *organisations])
    filters = queries.AuditFilters(**{name: form.value(field) for name, field in (
        ("who", "who"), ("organisation_id", "organisation"), ("object_type", "object_type"),
        ("object_id", "object_id"), ("verb", "verb"), ("from_day", "from_day"), ("to_day", "to_day"))})
    return form, filters


@bp.get("/")
def index() -> str:
    form, filters = _filters()
    query, bad_cursor = queries.search_events(filters), False
    try:
        page = keyset_page(query, AuditEvent.at, AuditEvent.id, PER_PAGE,
                           after=request.args.get("after"), before=request.args.get("before"))
    except BadCursor:
        page, bad_cursor = keyset_page(query, AuditEvent.at, AuditEvent.id, PER_PAGE), True
    nobody = filters.who is not None and not page.items and not queries.anyone_matches(filters.who)
    page.items = describe(page.items, with_organisation=True)
    return render_template("audit/index.html", form=form, page=page, bad_cursor=bad_cursor, nobody=nobody)


@bp.get("/export.csv")
def export() -> ResponseReturnValue:
    """Every matching event, streamed in batches: the export is never cut short, however long the log."""
    form, filters = _filters()
    if form.errors:  # a refused filter would export everything: back to the log, which says why
        query = urlencode(list(request.args.items(multi=True)))  # every name, even _scheme, stays in the query
        return redirect(f"{url_for('audit.index')}?{query}", 303)
    lines = csv_lines(queries.search_events(filters), CSV_BATCH)
    return Response(stream_with_context(lines), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="samverka-audit.csv"'})
