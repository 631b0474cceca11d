"""The columns of the exported spreadsheets: a key, the heading in the reader's language and a width; and which
headings an import recognises (every column's heading in Swedish and in English, so an export imports back in
either language, and a few common alternatives)."""
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from tracker.spreadsheets import Column


@dataclass(frozen=True)
class Spec:
    key: str
    header: Any  # a lazy translation
    width: int
    imported: bool = False


ACTION_SPECS = (
    Spec("agreement", _l("Agreement"), 32),
    Spec("title", _l("Title"), 40, imported=True),
    Spec("description", _l("Description"), 50, imported=True),
    Spec("organisation", _l("Owning organisation"), 28, imported=True),
    Spec("owner", _l("Owner"), 24, imported=True),
    Spec("owner_email", _l("Owner's e-mail"), 30, imported=True),
    Spec("deadline", _l("Deadline"), 13, imported=True),
    Spec("status", _l("Status"), 14, imported=True),
    Spec("progress", _l("Progress (%)"), 12, imported=True),
    Spec("blocked_reason", _l("Why blocked"), 30, imported=True),
    Spec("attention", _l("Attention"), 36),
    Spec("last_update", _l("Last update"), 14),
    Spec("number", _l("Number in Samverka"), 12),
    Spec("link", _l("Link"), 45),
)
IMPORTED = tuple(s for s in ACTION_SPECS if s.imported)
REQUIRED = ("title", "organisation", "deadline")  # and the owner, by name or e-mail
# Headings people write for these columns in their own sheets (compared in lower case, spaces collapsed).
ALIASES = {
    "title": ("titel", "åtgärd", "action"),
    "organisation": ("organisation", "organization", "owning organization", "ansvarig myndighet"),
    "owner": ("ansvarig person", "owner name", "namn", "name"),
    "owner_email": ("e-post", "epost", "ansvarig e-post", "e-mail", "email", "owner e-mail", "owner email"),
    "deadline": ("due date", "slutdatum", "datum"),
    "progress": ("progress", "genomfört", "progress %", "genomfört %"),
}

AGREEMENT_SPECS = (
    Spec("title", _l("Title"), 40),
    Spec("reference_number", _l("Reference number"), 16),
    Spec("theme", _l("Theme"), 28),
    Spec("area", _l("Area"), 18),
    Spec("lead", _l("Lead organisation"), 28),
    Spec("parties", _l("Parties"), 40),
    Spec("starts_on", _l("Starts"), 13),
    Spec("ends_on", _l("Ends"), 13),
    Spec("next_review_on", _l("Next review"), 14),
    Spec("status", _l("Status"), 12),
    Spec("actions", _l("Actions"), 10),
    Spec("open", _l("Open actions"), 10),
    Spec("stalled", _l("Stalled actions"), 10),
    Spec("done", _l("Done actions"), 10),
    Spec("number", _l("Number in Samverka"), 12),
    Spec("link", _l("Link"), 45),
)


def columns(specs: Sequence[Spec]) -> list[Column]:
    return [Column(s.header, s.width) for s in specs]


def action_specs(with_agreement: bool) -> tuple[Spec, ...]:
    """The action columns; the agreement's only in a list that spans agreements."""
    return ACTION_SPECS if with_agreement else ACTION_SPECS[1:]


def normalised(heading: str) -> str:
    return " ".join(heading.replace("\ufeff", "").lower().split()).rstrip(":").strip()


def heading_keys() -> dict[str, str]:
    """{normalised heading: column key}: the action columns' headings in Swedish and English, and the aliases."""
    keys: dict[str, str] = {}
    for key, aliases in ALIASES.items():
        keys.update(dict.fromkeys(aliases, key))
    for language in ("en", "sv"):
        with force_locale(language):
            keys.update({normalised(str(s.header)): s.key for s in ACTION_SPECS})
    return keys


def recognise(header: Sequence[str], keys: dict[str, str] | None = None) -> list[str | None]:
    """The column key of each heading, None for a heading that names no column."""
    keys = heading_keys() if keys is None else keys
    return [keys.get(normalised(h)) for h in header]


def ignored(header: Sequence[str], keys: Sequence[str | None]) -> list[str]:
    """The headings of the columns an import leaves out: unknown ones, and the export's own that are not imported."""
    imported = {s.key for s in IMPORTED}
    return [h for h, key in zip(header, keys, strict=True) if h.strip() and key not in imported]


def known_count(header: Sequence[str]) -> int:
    """How many headings name a column (tracker.spreadsheet_reading picks a CSV file's separator by it)."""
    return sum(key is not None for key in recognise(header))
