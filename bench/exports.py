"""Export timings and memory on PostgreSQL: 1,000 and 10,000 rows, CSV and XLSX, wide and long layouts.

    .venv/bin/python bench/exports.py            # builds passage_bench_exports, measures, writes bench/results/exports.md

Each measurement runs in a fresh process, so that its peak resident memory (getrusage) is its
own: the process imports the app, reads one small export to warm up, notes its resident memory,
then writes the export to /dev/null twice: once untraced (wall time, growth of the peak RSS) and
once under tracemalloc (peak of Python allocations). Streaming means the last two numbers stay
flat from 1,000 to 10,000 rows.
"""
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATABASE = "passage_bench_exports"
URL = SERVER.rsplit("/", 1)[0] + "/" + DATABASE
SESSIONS = 20
# slug -> participants; each participant is expected at (and marked for) all 20 sessions.
WORKSHOPS = {"p50": 50, "p500": 500, "p1000": 1_000, "p10000": 10_000}
CASES = [  # (label, slug, layout): the number of rows each gives
    ("1,000 rows: 50 participants × 20 sessions, long", "p50", "long"),
    ("10,000 rows: 500 participants × 20 sessions, long", "p500", "long"),
    ("1,000 rows: 1,000 participants, wide (20 session columns)", "p1000", "wide"),
    ("10,000 rows: 10,000 participants, wide (20 session columns)", "p10000", "wide"),
]


def make_app():
    from app import create_app
    from config import TestingConfig

    config = type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": URL})
    return create_app(config)


def build() -> None:
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from app.attendance.models import Attendance, AttendanceStatus, MarkSource
    from app.auth.models import Constituency, Sex, User
    from app.core.permissions import Role
    from app.extensions import db
    from app.workshops.models import Registration, RegistrationStatus, Workshop, WorkshopSession, WorkshopStatus

    admin = sa.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{DATABASE}"')
    admin.dispose()
    app = make_app()
    statuses = list(AttendanceStatus)
    with app.app_context():
        upgrade()
        now = datetime.now(UTC)
        start = date.today() - timedelta(days=SESSIONS)
        number = 0
        for slug, participants in WORKSHOPS.items():
            workshop = Workshop(slug=slug, title={"en": f"Bench {slug}"}, starts_on=start, ends_on=date.today(), timezone="UTC",
                                languages=["en"], capacity=participants, status=WorkshopStatus.CLOSED)
            db.session.add(workshop)
            db.session.flush()
            sessions = [WorkshopSession(workshop_id=workshop.id, title={"en": f"Day {i + 1}: labour migration, session {i + 1}"},
                                        starts_at=datetime.combine(start + timedelta(days=i), datetime.min.time(), UTC)
                                        + timedelta(hours=9), ends_at=datetime.combine(start + timedelta(days=i),
                                        datetime.min.time(), UTC) + timedelta(hours=12), room="Room B")
                        for i in range(SESSIONS)]
            db.session.add_all(sessions)
            db.session.flush()
            for first in range(0, participants, 2_000):
                batch = range(first, min(first + 2_000, participants))
                ids = db.session.scalars(sa.insert(User).returning(User.id), [
                    {"email": f"bench{number + i}@example.net", "name": f"Participant Nguyễn {number + i:05d}",
                     "password_hash": "x", "role": Role.PARTICIPANT, "preferred_language": "en", "country": "PH",
                     "organisation": "Department of Migrant Workers, \"DMW\"", "constituency": Constituency.GOVERNMENT,
                     "sex": Sex.FEMALE, "active": True, "session_version": 1} for i in batch]).all()
                number += len(batch)
                db.session.execute(sa.insert(Registration), [
                    {"workshop_id": workshop.id, "user_id": user_id, "status": RegistrationStatus.CONFIRMED,
                     "sequence": first + i + 1, "constituency": Constituency.GOVERNMENT, "working_language": "en",
                     "motivation": "", "consent_at": now} for i, user_id in enumerate(ids)])
                db.session.execute(sa.insert(Attendance), [
                    {"session_id": session.id, "user_id": user_id, "status": statuses[(i + j) % 4],
                     "source": MarkSource.TRAINER, "marked_at": now}
                    for i, user_id in enumerate(ids) for j, session in enumerate(sessions)])
            db.session.commit()
            print(f"built {slug}: {participants} participants, {SESSIONS} sessions", flush=True)
    with sa.create_engine(URL, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.exec_driver_sql("ANALYZE")  # what autovacuum does after a bulk load: real plans, real estimates


def rss_mib() -> float:
    """Current resident memory of this process, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(slug: str, layout: str, fmt: str) -> dict:
    from app.exports import files
    from app.workshops import access

    app = make_app()
    with app.test_request_context("/?lang=en"):
        def run():
            workshop = access.get_by_slug(slug)
            export = files.export(workshop, "attendance", fmt, layout=layout)
            size = 0
            for chunk in export.chunks:
                size += len(chunk)
            return size

        warm = access.get_by_slug("p50")
        for chunk in files.export(warm, "attendance", fmt).chunks:
            pass
        base_rss, base_peak = rss_mib(), peak_rss_mib()
        began = time.perf_counter()
        size = run()
        seconds = time.perf_counter() - began
        peak_growth = max(peak_rss_mib() - max(base_rss, base_peak), 0.0)
        tracemalloc.start()
        run()
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {"seconds": seconds, "bytes": size, "rss_before_mib": base_rss, "peak_rss_growth_mib": peak_growth,
            "traced_peak_mib": traced_peak / 2**20}


def main() -> None:
    if len(sys.argv) == 4:  # one measurement, in its own process
        print(json.dumps(measure(*sys.argv[1:])))
        return
    if "--no-build" not in sys.argv:
        build()
    lines = ["# Export timings and memory (bench/exports.py)", "",
             f"PostgreSQL, one process per measurement, {os.cpu_count()} CPU cores shared with other work. "
             "Time: building the whole file (query, rows, writer). Peak RSS growth: the process's peak "
             "resident memory during the export above what it held before. Traced peak: the largest "
             "Python allocation total during the export (tracemalloc).", "",
             "| rows | format | time (s) | file size | RSS before (MiB) | peak RSS growth (MiB) | traced peak (MiB) |",
             "|---|---|---|---|---|---|---|"]
    for label, slug, layout in CASES:
        for fmt in ("csv", "xlsx"):
            output = subprocess.run([sys.executable, __file__, slug, layout, fmt], check=True, capture_output=True,
                                    text=True, cwd=ROOT).stdout.strip().splitlines()[-1]
            result = json.loads(output)
            line = (f"| {label} | {fmt} | {result['seconds']:.2f} | {result['bytes'] / 1024:,.0f} KiB | "
                    f"{result['rss_before_mib']:.0f} | {result['peak_rss_growth_mib']:.1f} | {result['traced_peak_mib']:.1f} |")
            print(line, flush=True)
            lines.append(line)
    out = ROOT / "bench" / "results" / "exports.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
