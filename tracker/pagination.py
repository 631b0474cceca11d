"""Pages of a list: the page number comes from ?page=, and a number no list reaches is not a server error."""
from flask import request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from tracker.extensions import db

LAST_PAGE_ASKED = 100_000  # beyond this an OFFSET could overflow the database's integer; no list is that long


def paginate(query: Select, per_page: int) -> Pagination:
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), LAST_PAGE_ASKED)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def count(query: Select) -> int:
    """How many rows the query gives in all: the true total next to a list that shows only its first rows."""
    return db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
