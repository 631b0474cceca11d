"""Every message has a Swedish translation, the catalogue is current with the code, and a page in one language
shows none of the other's interface text."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.factories import make_action, make_admin, make_agreement, make_organisation

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "tracker" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=language)


def strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_message_has_a_translation(language):
    missing = [m.id for m in catalogue(language) if m.id and (not all(strings(m)) or m.fuzzy)]
    assert missing == []


def test_swedish_translations_keep_every_placeholder():
    wrong = []
    for message in catalogue("sv"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for text in strings(message):
            if set(PLACEHOLDER.findall(text)) - wanted or (len(ids) == 1 and set(PLACEHOLDER.findall(text)) != wanted):
                wrong.append((message.id, text))
    assert wrong == []


def test_catalogue_holds_every_message_in_the_code(tmp_path):
    """A string added to the code without `make extract-messages` and a translation fails here."""
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy", "-k", "lazy_pgettext:1c,2", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as f:
        in_code = {(m.context, m.id) for m in read_po(f) if m.id}
    in_catalogue = {(m.context, m.id) for m in catalogue("sv") if m.id}
    assert sorted(map(str, in_code - in_catalogue)) == []


def interface_texts(language: str) -> set[str]:
    """The other language's interface strings that are long and distinctive enough to spot on a page."""
    texts = set()
    for message in catalogue("sv"):
        if not message.id or isinstance(message.id, tuple) or PLACEHOLDER.search(message.id):
            continue
        swedish = strings(message)[0]
        if swedish and swedish != message.id and len(message.id) >= 12 and len(swedish) >= 12:
            texts.add(swedish if language == "en" else message.id)
    return texts


@pytest.mark.parametrize("language", ["en", "sv"])
def test_a_page_in_one_language_shows_none_of_the_other(client, as_user, language):
    organisation = make_organisation(name="Org")
    admin = make_admin(organisation=organisation, language=language)
    agreement = make_agreement(lead_organisation=organisation, title="X")
    action = make_action(agreement=agreement, title="Y", owner=admin)
    as_user(admin)
    foreign = interface_texts(language)
    leaks = {}
    for path in ("/", "/agreements/", f"/agreements/{agreement.id}", f"/actions/{action.id}",
                 f"/actions/{action.id}/edit", "/agreements/new", "/actions/", "/reports/", "/admin/users/",
                 "/admin/organisations/", "/admin/audit/", "/password"):
        page = client.get(path).get_data(as_text=True)
        found = sorted(t for t in foreign if t in page)
        if found:
            leaks[path] = found
    assert leaks == {}


@pytest.mark.parametrize(("locale", "expected"), [
    ({"LANG": "sv_SE.UTF-8"}, "ange antingen --agreement ID eller --all"),
    ({"LANG": "C.UTF-8"}, "ange antingen --agreement ID eller --all"),
    ({"LANG": "sv_SE.UTF-8", "LC_ALL": "en_US.UTF-8"}, "give either --agreement ID or --all"),
    ({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "give either --agreement ID or --all"),
])
def test_operator_output_follows_the_shell_locale_else_swedish(app, monkeypatch, locale, expected):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in locale.items():
        monkeypatch.setenv(name, value)
    result = app.test_cli_runner().invoke(args=["reports", "generate", "--month", "2026-10"])
    assert result.exit_code == 2 and expected in result.output
