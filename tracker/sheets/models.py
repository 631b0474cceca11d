import datetime as dt

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.clock import utcnow
from tracker.extensions import Model


class ImportBatch(Model):
    """An uploaded spreadsheet, read and kept on the server between its preview and the confirmation that saves it
    (so any instance of the app can confirm it, and only once). Only its uploader confirms it, into its agreement."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    # {"columns": [column key or None per cell], "ignored": [headers not imported], "rows": [[row number, cells]]}
    content: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    used_at: Mapped[dt.datetime | None]

    @property
    def rows(self) -> list[tuple[int, list[str]]]:
        return [(number, cells) for number, cells in self.content["rows"]]
