"""The pages about the API: a person's API keys ("API-nycklar"), every key for administrators, and the API's
documentation, rendered on the server from the OpenAPI document (no scripts, nothing from elsewhere)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import once, policy
from tracker.accounts.models import User
from tracker.accounts.queries import people_choices
from tracker.api import openapi, reference, tokens
from tracker.api.forms import PersonTokenForm, TokenForm
from tracker.api.models import ApiToken
from tracker.api.views import PREFIX
from tracker.clock import request_today, utcnow
from tracker.extensions import db
from tracker.formfields import ConfirmForm, options
from tracker.loading import load_or_403, load_or_404, require
from tracker.pagination import paginate
from tracker.problems import TYPES, explanation

bp = Blueprint("api_pages", __name__, template_folder="templates")
PER_PAGE = 50


def _make(form: TokenForm, person: User, again_url: str) -> tuple[str | None, ResponseReturnValue | None]:
    """Make the key the form describes: (its secret, None), or (None, a redirect) for a form sent twice."""
    repeat = once.refuse_repeat(form.once.data, _("This form was already sent; the key was made once."), again_url)
    if repeat:
        return None, repeat
    try:
        _token, secret = tokens.create_token(person, name=form.name.data, scope=form.scope.data,
                                             expires_on=form.expires_on.data, by=current_user, today=request_today())
    except tokens.NotAllowed:
        form.scope.errors = [*form.scope.errors, _("A steering-group member's keys only read.")]
        return None, None
    db.session.commit()
    once.complete(form.once.data, again_url)
    return secret, None


@bp.route("/account/api-keys", methods=["GET", "POST"])
def own_tokens() -> ResponseReturnValue:
    person = current_user._get_current_object()  # always one's own: the page names nobody else
    require(policy.can_manage_api_tokens(current_user, person))
    form, secret = TokenForm(today=request_today(), person=person), None
    if form.validate_on_submit():
        secret, repeat = _make(form, person, url_for("api_pages.own_tokens"))
        if repeat:
            return repeat
    if secret or not form.is_submitted():
        form = TokenForm(formdata=None, today=request_today(), person=person)
        form.once.data = once.issue()
    return render_template("api/tokens.html", form=form, secret=secret, tokens=tokens.tokens_of(person),
                           button=ConfirmForm(formdata=None), today=request_today())


@bp.route("/admin/api-keys", methods=["GET", "POST"])
def every_token() -> ResponseReturnValue:
    require(policy.can_list_api_tokens(current_user))
    form, secret, person = PersonTokenForm(today=request_today()), None, None
    form.person_id.choices = options(people_choices(User.is_active.is_(True)))
    if form.validate_on_submit():
        person = load_or_404(User, form.person_id.data)
        require(policy.can_manage_api_tokens(current_user, person))
        secret, repeat = _make(form, person, url_for("api_pages.every_token"))
        if repeat:
            return repeat
    if secret or not form.is_submitted():
        form = PersonTokenForm(formdata=None, today=request_today(), person_id=form.person_id.data)
        form.person_id.choices = options(people_choices(User.is_active.is_(True)))
        form.once.data = once.issue()
    return render_template("api/every_token.html", form=form, secret=secret, person=person,
                           page=paginate(tokens.every_token(), per_page=PER_PAGE), button=ConfirmForm(formdata=None),
                           today=request_today())


@bp.post("/account/api-keys/<int:token_id>/revoke")
def revoke(token_id: int) -> ResponseReturnValue:
    token = load_or_403(ApiToken, token_id, policy.can_revoke_api_token)
    back = url_for("api_pages.own_tokens" if token.user_id == current_user.id else "api_pages.every_token")
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
    elif tokens.revoke_token(token, by=current_user, now=utcnow()):
        db.session.commit()
        flash(_("The key “%(name)s” is revoked: it opens nothing any more.", name=token.name), "success")
    else:
        flash(_("That key was already revoked."), "info")
    return redirect(back, 303)


@bp.get("/api-docs")
def documentation() -> str:
    document = openapi.document(PREFIX)
    return render_template("api/docs.html", document=document, operations=reference.operations(document),
                           schemas=reference.schemas(document),
                           problems=[(slug, status, str(title), explanation(slug))
                                     for slug, (status, title) in TYPES.items()])
