"""The app served on 127.0.0.1 from a thread, on a migrated database with the demo data, and Debian's Chromium."""
import os
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from tracker import MIGRATIONS, create_app
from tracker.extensions import db

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
DEMO_PASSWORD = "samverka-demo-2026"
# (method, path, status) of every response the live server gave, in order: what the browser fetched on its own
# (a favicon, say) never shows in Playwright's network events.
SERVED: list[tuple[str, str, int]] = []

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_database(tmp_path_factory):
    """SQLite in a temporary folder, or a fresh PostgreSQL database next to DATABASE_URL's."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield "sqlite:///" + str(tmp_path_factory.mktemp("browser") / "browser.sqlite3")
        return
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{base.database}_browser"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def live_server(browser_database, tmp_path_factory):
    app = create_app({"SQLALCHEMY_DATABASE_URI": browser_database, "SECRET_KEY": "browser-tests",
                      "SIGN_IN_ACCOUNT_LIMIT": "1000 per minute", "SIGN_IN_ADDRESS_LIMIT": "1000 per minute"})
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    app.wsgi_app = _recording(app.wsgi_app)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def _recording(wsgi_app):
    def app(environ, start_response):
        def start(status, headers, exc_info=None):
            SERVED.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], int(status.split()[0])))
            return start_response(status, headers, exc_info)

        return wsgi_app(environ, start)

    return app


@pytest.fixture(scope="session")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium package")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so a fixture can tell that its test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page_for(chromium, live_server, request):
    """A signed-in page for a demo user: page_for("erik.johansson@polisen.example.se", width=1280, js=True)."""
    contexts = []

    def make(email: str | None, *, width: int = 1280, js: bool = True, locale: str = "sv-SE", axe: bool = False):
        # axe-core is injected as an inline script, which the app's Content-Security-Policy rightly refuses.
        context = chromium.new_context(viewport={"width": width, "height": 900}, java_script_enabled=js,
                                       locale=locale, base_url=live_server, accept_downloads=True, bypass_csp=axe)
        context.set_default_timeout(60_000)  # a loaded CI machine can take longer than Playwright's 30 s
        contexts.append(context)
        page = context.new_page()
        if email:
            page.goto("/login")
            page.fill("#email", email)
            page.fill("#password", DEMO_PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(lambda url: "/login" not in url)
        return page

    yield make
    failed = getattr(request.node, "report_call", None)
    for context in contexts:
        if failed is not None and failed.failed:
            for page in context.pages:  # Where the browser was when the test failed, for the CI log.
                print(f"--- page at failure: {page.url} | {page.title()}\n{page.inner_text('body')[:1500]}")
        context.close()
