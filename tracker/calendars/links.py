"""The addresses of a person's calendar feeds, built from their token (known only right after it was made) and
always from BASE_URL."""
from dataclasses import dataclass

from tracker.accounts.models import User
from tracker.accounts.sessions import hash_token
from tracker.calendars import queries
from tracker.calendars.models import CalendarToken
from tracker.mail.links import absolute_url


@dataclass(frozen=True)
class FeedLink:
    """One feed: what it holds, its https address (to paste into a calendar) and its webcal address (to open)."""
    label: str
    url: str

    @property
    def webcal(self) -> str:
        return "webcal://" + self.url.split("://", 1)[1]


@dataclass(frozen=True)
class FeedLinks:
    personal: FeedLink
    agreements: list[FeedLink]


def opens(existing: CalendarToken, token: object) -> bool:
    """The token is the person's current one (not one replaced meanwhile, in another tab)."""
    return isinstance(token, str) and hash_token(token) == existing.token_hash


def feed_links(person: User, token: str) -> FeedLinks:
    """The person's own feed and one for each agreement they may read that has not ended."""
    return FeedLinks(
        personal=FeedLink(person.name, absolute_url("calendar_feeds.personal", token=token)),
        agreements=[FeedLink(a.title, absolute_url("calendar_feeds.agreement", token=token, agreement_id=a.id))
                    for a in queries.linkable_agreements(person)])
