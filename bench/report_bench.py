"""Report generation benchmark: pages and seconds of the monthly report, our overhead over WeasyPrint alone, and
the CLI's start-up.

    python bench/report_bench.py [--agreements 20] [--actions 300] [--stalled 160] [--updates 2000] [--partners 6]
                                 [--runs 3]

Builds a throw-away SQLite database through the migrations (one agreement of 300 actions of which 160 have stalled,
6 partners and 2,000 progress updates, and a portfolio of 20 such agreements), then measures, each in a fresh
process so that peak memory belongs to that measurement alone:
  ours   the monthly report as the application makes it: queries, content, template, PDF;
  pure   WeasyPrint alone rendering the identical final HTML with the same options;
  marks  within the pure run, the post-processing that turns running headers and footers into artifacts
         (tracker/reports/artifacts.py), timed on WeasyPrint's bytes; ours includes it;
  board  page 1 and the summary only (the board-level summary).
Prints pages, the median time, peak resident memory and the ratio ours/pure; then the start-up of
`flask --app wsgi --help` against `python -c "import weasyprint"`. Targets (2-core machine): the single agreement in
at most 20 pages and under 3 s, the board-level summary in at most 2 pages, overhead under 15 %.
"""
import argparse
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MONTH = "2026-10"
TODAY = dt.date(2026, 11, 15)


def app_for(database: Path) -> "Flask":
    from tracker import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench"})


def build(database: Path, agreements: int, actions: int, stalled: int, updates: int, partners: int) -> None:
    """The data set, inserted in bulk (the services' per-row audit would only slow the set-up)."""
    from flask_migrate import upgrade

    from tracker.accounts.models import Role, User
    from tracker.actions.models import Action, ActionStatus, ProgressUpdate
    from tracker.agreements.models import Agreement, AgreementStatus, Theme
    from tracker.extensions import db
    from tracker.organisations.models import Organisation, OrganisationKind

    rng = random.Random(2026)
    app = app_for(database)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        organisations = [Organisation(name=f"Partnerorganisation {i} i Stockholms län", short_name=f"Partner {i}",
                                      kind=list(OrganisationKind)[i % 7], municipality="Stockholm")
                         for i in range(partners)]
        db.session.add_all(organisations)
        db.session.flush()
        people = [User(email=f"person{i}@example.se", name=f"Person {i} Åberg", organisation_id=o.id,
                       role=Role.COORDINATOR, password_hash="x") for i, o in enumerate(organisations * 3)]
        db.session.add_all(people)
        db.session.flush()
        start = dt.datetime(2025, 11, 1, 8, tzinfo=dt.UTC)
        statuses = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.IN_PROGRESS,
                    ActionStatus.BLOCKED, ActionStatus.DONE, ActionStatus.CANCELLED]
        for n in range(agreements):
            agreement = Agreement(title=f"Samverkansavtal {n + 1}: trygghet i Järva och Södertälje",
                                  theme=Theme.YOUTH_CRIME_PREVENTION, starts_on=dt.date(2025, 11, 1),
                                  ends_on=dt.date(2028, 12, 31), status=AgreementStatus.ACTIVE,
                                  lead_organisation_id=organisations[0].id, parties=organisations,
                                  steering_group=people[:3])
            db.session.add(agreement)
            db.session.flush()
            rows, fine = [], []
            for i in range(actions):
                # The first `stalled` actions have stalled at the end of the month (overdue, blocked or silent);
                # the rest are on track: a deadline ahead and an update in the month. Some are done or cancelled.
                owner = rng.choice(people)
                stuck = i < stalled
                status = (rng.choice([ActionStatus.IN_PROGRESS, ActionStatus.PLANNED, ActionStatus.BLOCKED])
                          if stuck else rng.choice([s for s in statuses if s is not ActionStatus.BLOCKED]))
                deadline = (dt.date(2026, 10, 31) - dt.timedelta(days=rng.randrange(-60, 200)) if stuck
                            else dt.date(2026, 11, 1) + dt.timedelta(days=rng.randrange(0, 600)))
                action = Action(agreement_id=agreement.id, title=f"Åtgärd {i + 1}: insats för barn och unga "
                                f"i riskzon, del {i % 7 + 1}", description="Beskrivning. " * 10,
                                owner_organisation_id=owner.organisation_id, owner_id=owner.id, deadline=deadline,
                                status=status, progress=rng.randrange(0, 101),
                                blocked_reason="Väntar på beslut om lokaler från fastighetsägaren.",
                                created_at=start)
                rows.append(action)
                if not stuck:
                    fine.append(action)
            db.session.add_all(rows)
            db.session.flush()
            month_end = dt.datetime(2026, 10, 31, 12, tzinfo=dt.UTC)
            for n_update in range(updates):
                # Stalled ones last heard of more than 30 days before the month's end; the rest all year round,
                # each on-track action at least once in October.
                if n_update < len(fine):
                    action, at = fine[n_update], month_end - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 28))
                else:
                    action = rng.choice(rows)
                    latest = month_end - dt.timedelta(days=35) if action not in fine else month_end
                    at = latest - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 320))
                db.session.add(ProgressUpdate(action_id=action.id, author_id=action.owner_id, at=at,
                                              text="Lägesrapport: arbetet går vidare enligt plan. " * 3,
                                              status_from=action.status, status_to=action.status,
                                              progress_from=action.progress, progress_to=action.progress))
                if action.last_progress_at is None or at > action.last_progress_at:
                    action.last_progress_at = at
            db.session.commit()


def measure(kind: str, database: Path, count: int, html_file: Path) -> dict:
    """One measurement in this (fresh) process: seconds, pages and peak resident memory."""
    import io

    from pypdf import PdfReader

    from tracker.actions.rules import Thresholds
    from tracker.agreements.models import Agreement
    from tracker.clock import utcnow
    from tracker.extensions import db
    from tracker.reports import content as report_content
    from tracker.reports import services
    from tracker.reports.artifacts import mark_unlinked_content_as_artifacts
    from tracker.reports.pdf import html_to_pdf, safe_fetcher
    from tracker.reports.period import Month

    app = app_for(database)
    with app.app_context(), app.test_request_context():
        if kind == "pure":
            html = html_file.read_text()
            began = time.perf_counter()
            import weasyprint

            pdf = weasyprint.HTML(string=html, url_fetcher=safe_fetcher(), base_url=None).write_pdf(
                pdf_variant="pdf/ua-1")
            seconds = time.perf_counter() - began
            began = time.perf_counter()
            mark_unlinked_content_as_artifacts(pdf)
            result = {"seconds": seconds, "marks": time.perf_counter() - began}
        else:
            agreements = list(db.session.scalars(db.select(Agreement).order_by(Agreement.id).limit(count)))
            began = time.perf_counter()
            content = report_content.build(agreements, Month.parse(MONTH), TODAY, Thresholds())
            html = services.render_html(content, language="sv", generated_at=utcnow(), generated_by=None,
                                        thresholds=Thresholds(), version=1, board_only=kind == "board")
            pdf = html_to_pdf(html)
            result = {"seconds": time.perf_counter() - began, "rows": len(content.rows),
                      "stalled": len(content.stalled), "updates": len(content.updates)}
            if kind == "ours":
                html_file.write_text(html)
        return result | {"peak_mb": _peak_mb(), "bytes": len(pdf), "pages": len(PdfReader(io.BytesIO(pdf)).pages)}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(kind: str, database: Path, count: int, html_file: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--measure", kind, "--database", str(database),
                             "--count", str(count), "--html", str(html_file)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def compare(label: str, database: Path, count: int, runs: int, workdir: Path) -> None:
    html_file = workdir / f"report-{count}.html"
    ours, pure, board = [], [], []
    for _ in range(runs):
        ours.append(run("ours", database, count, html_file))
        pure.append(run("pure", database, count, html_file))
        board.append(run("board", database, count, html_file))
    ratio = median(o["seconds"] / p["seconds"] for o, p in zip(ours, pure, strict=True))
    first = ours[0]
    print(f"{label}: {first['rows']} actions, {first['stalled']} stalled, {first['updates']} updates this month, "
          f"PDF {first['bytes'] / 1024:.0f} kB")
    print(f"  ours   {first['pages']:3d} pages  median {median(o['seconds'] for o in ours):6.2f} s   "
          f"peak {max(o['peak_mb'] for o in ours):6.0f} MB")
    print(f"  pure   {pure[0]['pages']:3d} pages  median {median(p['seconds'] for p in pure):6.2f} s   "
          f"peak {max(p['peak_mb'] for p in pure):6.0f} MB   (WeasyPrint alone, same HTML)")
    print(f"  marks             median {median(p['marks'] for p in pure):6.2f} s   "
          "(running headers and footers made artifacts, part of ours)")
    print(f"  board  {board[0]['pages']:3d} pages  median {median(b['seconds'] for b in board):6.2f} s   "
          f"(page 1 and the summary)")
    print(f"  ratio ours/pure {ratio:.2f}  (overhead {100 * (ratio - 1):.0f} %)")


def startup(runs: int) -> None:
    """`flask --help` (the monthly CLI's start) against importing WeasyPrint alone, each a fresh process."""
    flask = [str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "--help"]
    weasy = [sys.executable, "-c", "import weasyprint"]
    both = [sys.executable, "-c", "import wsgi, weasyprint"]

    def timed(command: list[str]) -> float:
        began = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        return time.perf_counter() - began

    for command in (flask, weasy, both):  # warm the file cache
        timed(command)
    times = {name: median(timed(c) for _ in range(runs)) for name, c in
             (("flask", flask), ("weasy", weasy), ("both", both))}
    print(f"Start-up: flask --app wsgi --help median {times['flask']:.2f} s; "
          f"import weasyprint alone {times['weasy']:.2f} s; app and WeasyPrint in one process {times['both']:.2f} s "
          f"(the app's own share {100 * (times['both'] / times['weasy'] - 1):.0f} % over WeasyPrint alone)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=20)
    parser.add_argument("--actions", type=int, default=300)
    parser.add_argument("--stalled", type=int, default=160)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--partners", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", choices=["ours", "pure", "board"], help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--html", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.database, args.count, args.html)))
        return
    with tempfile.TemporaryDirectory(prefix="samverka-bench-") as tmp:
        workdir = Path(tmp)
        database = workdir / "bench.sqlite3"
        began = time.perf_counter()
        build(database, args.agreements, args.actions, args.stalled, args.updates, args.partners)
        print(f"Built {args.agreements} agreements x {args.actions} actions, {args.updates} updates each, "
              f"{args.partners} partners, in {time.perf_counter() - began:.1f} s (report month {MONTH}).")
        compare("Single agreement", database, 1, args.runs, workdir)
        startup(args.runs)
        if args.agreements > 1:
            compare(f"Portfolio of {args.agreements} agreements", database, args.agreements, 1, workdir)


if __name__ == "__main__":
    main()
