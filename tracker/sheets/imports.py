"""Checking the rows of an uploaded spreadsheet against an agreement, as the action form checks one action: each
cell gets its errors (and notes) next to it, and a row becomes the data create_action takes only when none has an
error. Run again at confirmation, so what changed meanwhile (a person deactivated) is caught before anything is
saved. The parties and their people are read once, whatever the number of rows."""
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from tracker import policy
from tracker.accounts.models import User
from tracker.actions.forms import REASON_MAX, TEXT_MAX
from tracker.actions.models import ACTION_STATUS_LABELS, ActionStatus
from tracker.agreements.models import Agreement
from tracker.extensions import db
from tracker.formfields import EARLIEST_DATE, LATEST_DATE, NoPersonalNumber, OneLine
from tracker.organisations.models import Organisation
from tracker.secrecy import contains_personal_number
from tracker.sheets.columns import IMPORTED, REQUIRED
from tracker.spreadsheet_reading import parse_date, parse_number
from tracker.spreadsheets import looks_like_formula

TITLE_MAX = 300


@dataclass
class Cell:
    text: str
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Row:
    number: int
    cells: dict[str, Cell]
    errors: list[str] = field(default_factory=list)  # about the row as a whole
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors and not any(c.errors for c in self.cells.values())


@dataclass
class Preview:
    rows: list[Row]
    problems: list[str]  # about the file as a whole: missing columns, no rows

    @property
    def error_count(self) -> int:
        return sum(not r.is_valid for r in self.rows)

    @property
    def is_valid(self) -> bool:
        return not self.problems and bool(self.rows) and not self.error_count


def column_problems(keys: Sequence[str | None]) -> list[str]:
    """What is wrong with the header row: no column known at all (most often another separator), a needed column
    missing, or a column named twice."""
    labels = {s.key: str(s.header) for s in IMPORTED}
    if not any(keys):
        return [_("The first row names no column that Samverka knows. Is the file separated by something other "
                  "than semicolons (;), commas (,) or tabs? The first row must name the columns %(columns)s.",
                  columns=", ".join(labels[k] for k in (*REQUIRED, "owner")))]
    problems = [_("The column %(column)s is named twice.", column=labels.get(k, k)) for k in sorted(
        {k for k in keys if k is not None and keys.count(k) > 1})]
    missing = [labels[k] for k in REQUIRED if k not in keys]
    if "owner" not in keys and "owner_email" not in keys:
        missing.append(f"{labels['owner']} / {labels['owner_email']}")
    if missing:
        problems.append(_("The first row must name the columns %(columns)s. It lacks: %(missing)s.",
                          columns=", ".join(labels[k] for k in (*REQUIRED, "owner")), missing=", ".join(missing)))
    return problems


@dataclass
class Directory:
    """The agreement's active parties and their active people, and what the importing user may do with them."""
    agreement: Agreement
    user: User
    parties: list[Organisation]
    people: dict[int, list[User]]
    today: dt.date

    @classmethod
    def of(cls, agreement: Agreement, user: User, today: dt.date) -> "Directory":
        parties = [o for o in agreement.parties if o.is_active]
        people = db.session.scalars(select(User).where(User.organisation_id.in_([o.id for o in parties]),
                                                       User.is_active.is_(True)).order_by(User.name)).all()
        return cls(agreement, user, parties, {o.id: [u for u in people if u.organisation_id == o.id]
                                              for o in parties}, today)


def check(rows: Sequence[tuple[int, list[str]]], keys: Sequence[str | None], directory: Directory) -> Preview:
    """Every row checked; problems with the columns or an empty file are said once, for the whole file."""
    problems = column_problems(keys)
    if not rows:
        problems.append(_("The file has a header row but no actions under it."))
    statuses = _status_words()
    return Preview([_row(number, cells, keys, directory, statuses) for number, cells in rows], problems)


def _row(number: int, texts: list[str], keys: Sequence[str | None], directory: Directory,
         statuses: dict[str, ActionStatus]) -> Row:
    row = Row(number, {s.key: Cell("") for s in IMPORTED})
    for key, text in zip(keys, texts, strict=False):
        if key in row.cells:
            row.cells[key] = Cell(text.strip())
    if any(t.strip() for t in texts[len(keys):]):
        row.errors.append(_("This row has more cells than the first row has columns: check the separator and the "
                            "quotation marks."))
    c = row.cells
    row.values["title"] = _text(c["title"], TITLE_MAX, required=_("Give the action a title."), one_line=True)
    row.values["description"] = _text(c["description"], TEXT_MAX)
    organisation = _organisation(c["organisation"], directory)
    row.values["owner_organisation_id"] = organisation.id if organisation else None
    owner = _owner(c["owner"], c["owner_email"], organisation, directory) if organisation else None
    row.values["owner_id"] = owner.id if owner else None
    row.values["deadline"] = _deadline(c["deadline"], directory.agreement, directory.today)
    _status_and_progress(row, statuses, organisation, directory.user)
    return row


def _text(cell: Cell, longest: int, required: str | None = None, one_line: bool = False) -> str:
    text = cell.text
    if not text and required:
        cell.errors.append(required)
    if len(text) > longest:
        cell.errors.append(_("At most %(max)d characters; this has %(num)d.", max=longest, num=len(text)))
    if one_line and ("\n" in text or "\r" in text):
        cell.errors.append(str(OneLine.message))
    if contains_personal_number(text):
        cell.errors.append(str(NoPersonalNumber.message))
    if looks_like_formula(text):
        cell.notes.append(_("Begins like a formula: saved as plain text, never run."))
    return text


def _organisation(cell: Cell, directory: Directory) -> Organisation | None:
    if not cell.text:
        cell.errors.append(_("Name the owning organisation."))
        return None
    wanted = cell.text.casefold()
    found = next((o for o in directory.parties if wanted in (o.name.casefold(), o.short_name.casefold())), None)
    if found is None:
        cell.errors.append(_("No party of this agreement is called that. The parties are: %(parties)s.",
                             parties=", ".join(o.name for o in directory.parties)))
    elif not policy.can_assign_actions_to_any_party(directory.user, directory.agreement) and \
            found.id != directory.user.organisation_id:
        cell.errors.append(_("You may add actions for your own organisation only."))
        return None
    return found


def _owner(name: Cell, email: Cell, organisation: Organisation, directory: Directory) -> User | None:
    people = directory.people.get(organisation.id, [])
    if email.text:
        person = next((u for u in people if u.email.casefold() == email.text.casefold()), None)
        if person is None:
            email.errors.append(_("No active person at %(organisation)s has this e-mail address.",
                                  organisation=organisation.name))
        elif name.text and name.text.casefold() != person.name.casefold():
            name.errors.append(_("The e-mail address is %(name)s's: correct the name or the address.",
                                 name=person.name))
        return person
    if not name.text:  # as an export writes an action without an owner
        name.notes.append(_("No owner: saved without one, for the coordinators of %(organisation)s to give it to "
                            "someone; until then it counts as without an owner.", organisation=organisation.name))
        return None
    if "@" in name.text:  # an address in the owner's column
        return _owner(Cell(""), name, organisation, directory)
    named = [u for u in people if u.name.casefold() == name.text.casefold()]
    if not named:
        name.errors.append(_("No active person at %(organisation)s is called that.", organisation=organisation.name))
    elif len(named) > 1:
        name.errors.append(_("More than one person at %(organisation)s is called that: give the e-mail address "
                             "too.", organisation=organisation.name))
    return named[0] if len(named) == 1 else None


def _deadline(cell: Cell, agreement: Agreement, today: dt.date) -> dt.date | None:
    if not cell.text:
        cell.errors.append(_("Give a deadline."))
        return None
    day = parse_date(cell.text)
    if day is None:
        cell.errors.append(_("Write the date as 2026-11-24 or 24/11/2026."))
    elif not EARLIEST_DATE <= day <= LATEST_DATE:
        cell.errors.append(_("Give a date from %(first)s to %(last)s.", first=format_date(EARLIEST_DATE),
                             last=format_date(LATEST_DATE)))
    elif day < agreement.starts_on:
        cell.errors.append(_("The deadline cannot be before the agreement starts (%(date)s).",
                             date=agreement.starts_on.isoformat()))
    elif agreement.ends_on and day > agreement.ends_on:
        cell.errors.append(_("The deadline cannot be after the agreement ends (%(date)s). Extend the agreement "
                             "first if the parties have agreed to that.", date=agreement.ends_on.isoformat()))
    elif day < today:
        cell.notes.append(_("This deadline has passed: the action counts as overdue from the moment it is saved."))
    return day


def _status_words() -> dict[str, ActionStatus]:
    """{status as written, in lower case: status}: the labels in Swedish and English, and the stored values."""
    words = {s.value: s for s in ActionStatus}
    for language in ("en", "sv"):
        with force_locale(language):
            words.update({str(label).casefold(): status for status, label in ACTION_STATUS_LABELS.items()})
    return words


def _status_and_progress(row: Row, statuses: dict[str, ActionStatus], organisation: Organisation | None,
                         user: User) -> None:
    """A status and progress other than Planned at 0 % are given as a progress update at the import, by whoever may
    give them for the owning organisation; Blocked needs its reason, Done is at 100 %."""
    status_cell, progress_cell, reason_cell = row.cells["status"], row.cells["progress"], row.cells["blocked_reason"]
    status = statuses.get(status_cell.text.casefold()) if status_cell.text else ActionStatus.PLANNED
    if status is None:
        status_cell.errors.append(_("Give one of: %(statuses)s.", statuses=", ".join(
            str(label) for label in ACTION_STATUS_LABELS.values())))
    progress = _progress(progress_cell, status)
    reason = _text(reason_cell, REASON_MAX)
    if status is ActionStatus.BLOCKED and not reason:
        reason_cell.errors.append(_("Say why the action is blocked."))
    if status not in (None, ActionStatus.BLOCKED) and reason:
        reason_cell.errors.append(_("Only a blocked action has a reason here: clear it, or make the status "
                                    "Blocked."))
    reported = status not in (None, ActionStatus.PLANNED) or bool(progress)
    if reported and organisation and not policy.can_report_progress_for(user, organisation.id):
        status_cell.errors.append(_("Only %(organisation)s's coordinators give the status and progress of its "
                                    "actions: leave them at Planned and 0 %%.", organisation=organisation.name))
    row.values.update(status=status, progress=progress, blocked_reason=reason)


def _progress(cell: Cell, status: ActionStatus | None) -> int:
    if not cell.text:
        return 100 if status is ActionStatus.DONE else 0
    number = parse_number(cell.text)
    if number is None or not number.is_integer() or not 0 <= number <= 100:
        cell.errors.append(_("Give a whole number from %(min)d to %(max)d.", min=0, max=100))
        return 0
    if status is ActionStatus.DONE and number != 100:
        cell.errors.append(_("A done action is at 100 %%."))
    return int(number)
