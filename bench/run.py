"""`make bench`: every main page's throughput and latency under gunicorn + PostgreSQL, against hello-world.

Builds a fresh PostgreSQL database (`demo load --scale 2000`, plus a workshop with 6,000
registrations), serves Passage and a bare Flask hello-world with the same gunicorn settings
(5 sync workers), and measures each page in the same run:

- closed loop: wrk, 50 connections, no think time: requests/s, its ratio to hello-world's, p95;
- open loop: a steady 100 requests/s for each page, latency counted from when each request was
  due (so a slow answer delays the ones behind it, as for real visitors): p95;
- the SQL statements one request of the page costs (counted in-process on the same database),
  and whether it ends with COMMIT or ROLLBACK, and the pool's pre-pings;
- 200 quiz submissions released at once from a barrier: all graded once, no error, p95;
- the stack's ceiling: two empty routes of the same app (bench/ceiling.py), served the same way,
  show how far any page can go before it renders anything or reads more than the user.

The load is realistic: each simulated participant logs in through the form and has their own
session cookie, reads different sections, and sends a browser's User-Agent, Accept-Encoding and
Accept-Language. Writes bench/RESULTS.md (date, machine, commit) and prints it.

Needs wrk (`apt-get install wrk`) and PostgreSQL (BENCH_PG: a server URL; the database named in
it is only used to create and drop BENCH_DATABASE).
"""
import http.client
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "passage_bench")
SCALE = int(os.environ.get("BENCH_SCALE", "2000"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
OPEN_RATE = int(os.environ.get("BENCH_OPEN_RATE", "100"))
OPEN_SECONDS = int(os.environ.get("BENCH_OPEN_SECONDS", "8"))
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "40"))
BURST = int(os.environ.get("BENCH_BURST", "200"))
ONLY = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]
EXPORT_CONNECTIONS = 2
PASSAGE_PORT, HELLO_PORT, CEILING_PORT = 8077, 8078, 8079
CEILING = "stack ceiling"  # the rows served by bench/ceiling.py
PASSWORD = "demo-pass-2026"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
# What that browser sends with a page request (Chrome has offered zstd since version 123; Flask-Compress answers
# zstd, then br, then gzip): the closed loop (bench/p95.lua, through $BENCH_HEADERS) and the open loop send the same.
BROWSER_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Accept-Language": "en-GB,en;q=0.9,fr;q=0.8",
}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def run(*args, env=None, **kwargs):
    try:
        return subprocess.run(args, check=True, env={**os.environ, **(env or {})}, cwd=ROOT, **kwargs)
    except subprocess.CalledProcessError as error:
        print(error.stderr or "", file=sys.stderr)  # the step's own error, not only its exit status
        raise


def database_url() -> str:
    import sqlalchemy as sa

    admin = sa.create_engine(SERVER, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{DATABASE}"')
    admin.dispose()
    return SERVER.rsplit("/", 1)[0] + "/" + DATABASE


def analyze(url: str) -> None:
    """VACUUM ANALYZE the freshly loaded database, as autovacuum would soon after a bulk load on a normal server
    (this one may run with autovacuum off): without statistics the planner takes 6,000 registrations for a
    dozen and sorts them all to show the first 100 (12 ms instead of 0.2 ms)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def serve(app: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "5", "-k", "sync", "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
        cwd=ROOT, env={**os.environ, **env},
    )
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{app} did not start")


class Visitor:
    """One person with a browser: their own session cookie, a browser's headers, no redirects followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def send(self, method: str, path: str, data: dict | list | None = None) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        headers = {"User-Agent": USER_AGENT, "Accept-Language": "en"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("session="):
                self.cookie = header.split(";")[0]
        connection.close()
        return response.status, response.headers.get("Location", ""), text

    def token(self, path: str) -> str:
        status, _location, page = self.send("GET", path)
        match = CSRF.search(page)
        if status != 200 or not match:
            raise RuntimeError(f"no form on {path} ({status})")
        return match.group(1)

    def login(self, email: str) -> "Visitor":
        token = self.token("/login")
        status, _location, _page = self.send("POST", "/login", {"email": email, "password": PASSWORD, "csrf_token": token})
        if status != 302:
            raise RuntimeError(f"login of {email} answered {status}")
        return self

    def open_attempt(self, quiz_path: str) -> tuple[str, list]:
        """Start (or resume) an attempt at this quiz; its URL and a complete set of answers."""
        token = self.token(quiz_path)
        self.send("POST", quiz_path + "/start", {"csrf_token": token})
        _status, _location, page = self.send("GET", quiz_path)
        action = re.search(r'action="([^"]*/quiz/attempts/\d+)"', page)
        if action is None:
            raise RuntimeError(f"no attempt form on {quiz_path}")
        answers, seen = [], set()
        for name, value in re.findall(r'name="(q\d+)" value="(\d+)"', page):
            if name not in seen:
                seen.add(name)
                answers.append((name, value))
        return action.group(1), [("csrf_token", CSRF.search(page).group(1)), *answers]


def request_line(method: str, path: str, cookie: str = "", body: list | None = None) -> str:
    return "\t".join([method, path, cookie, urlencode(body) if body else ""])


def build_pages(data: dict) -> dict[str, list[str]]:
    """The request lines of each page: method, path, cookie (one per simulated person), body."""
    people = [Visitor(PASSAGE_PORT).login(f"demo{number:05d}@example.org") for number in range(1, PARTICIPANTS + 1)]
    trainers = [Visitor(PASSAGE_PORT).login("trainer@example.org") for _ in range(5)]
    sections, quizzes, slugs, big = data["sections"], data["quizzes"], data["workshops"], data["big"]
    pages = {
        f"{CEILING}: empty route, visitor (no template, no database)": [request_line("GET", "/_bench/empty")],
        f"{CEILING}: empty route, logged in (the user's statement)": [request_line("GET", "/_bench/signed-in", p.cookie)
                                                                       for p in people],
        "home (anonymous)": [request_line("GET", "/")],
        "course section (logged in)": [request_line("GET", sections[(i * 7 + j) % len(sections)], p.cookie)
                                       for i, p in enumerate(people) for j in range(5)],
        "course catalogue": [request_line("GET", "/courses/", p.cookie) for p in people],
        "workshop catalogue": [request_line("GET", "/workshops/", p.cookie) for p in people],
        "workshop detail (participant)": [request_line("GET", f"/workshops/{slugs[i % len(slugs)]}/", p.cookie)
                                          for i, p in enumerate(people)],
        "dashboard": [request_line("GET", "/dashboard", p.cookie) for p in people],
        "trainer registrations, 65": [request_line("GET", f"/trainer/workshops/{slugs[0]}/" + query, t.cookie)
                                      for t in trainers for query in ("", "?sort=name", "?status=confirmed")],
        "trainer registrations, 6,000": [request_line("GET", f"/trainer/workshops/{big}/" + query, t.cookie)
                                         for t in trainers for query in ("", "?page=7", "?sort=name&page=3",
                                                                         "?status=waitlisted&language=fr")],
        "roster of a 60-person session": [request_line("GET", data["roster"], t.cookie) for t in trainers],
    }
    admins = [Visitor(PASSAGE_PORT).login("admin@example.org") for _ in range(2)]
    for fmt in ("csv", "xlsx"):
        pages[f"attendance export, 10,000 rows ({fmt.upper()}; {EXPORT_CONNECTIONS} connections)"] = [
            request_line("GET", f"/admin/workshops/{data['export']}/attendance.{fmt}?layout=long", a.cookie) for a in admins]
    saves = []
    for i, person in enumerate(people):
        action, answers = person.open_attempt(quizzes[i % len(quizzes)])
        saves.append(request_line("POST", action, person.cookie, [*answers, ("action", "save")]))
    pages["quiz answers saved (POST)"] = saves
    return {name: lines for name, lines in pages.items() if not ONLY or any(word in name for word in ONLY)}


def settle(port: int) -> None:
    """Wait until the requests wrk left queued are served: one request, answered after them."""
    Visitor(port).send("GET", "/privacy")


def wrk(port: int, lines: list[str], connections: int = CONNECTIONS) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as file:
        file.write("\n".join(lines) + "\n")
    try:
        output = run("wrk", "-t2", f"-c{connections}", f"-d{DURATION}", "--timeout", "10s", "-s", "bench/p95.lua",
                     f"http://127.0.0.1:{port}", env={"BENCH_REQUESTS": file.name, "BENCH_HEADERS": "\n".join(
                         f"{name}: {value}" for name, value in BROWSER_HEADERS.items())}, capture_output=True, text=True).stdout
    finally:
        os.unlink(file.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50, p95, p99 = (int(x) / 1000 for x in re.search(r"PCT p50=(\d+) p95=(\d+) p99=(\d+)", output).groups())
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50": p50, "p95": p95, "p99": p99, "errors": int(errors.group(1)) if errors else 0}


def open_loop(port: int, lines: list[str], rate: int = OPEN_RATE, seconds: int = OPEN_SECONDS) -> dict:
    """A steady `rate` requests/s; each latency counts from when the request was due, not sent."""
    total = rate * seconds
    start = time.perf_counter() + 0.5
    latencies: list[float] = []
    errors = []

    def one(index: int) -> None:
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        method, path, cookie, body = lines[index % len(lines)].split("\t")
        headers = dict(BROWSER_HEADERS)
        if cookie:
            headers["Cookie"] = cookie
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                errors.append(response.status)
        except OSError as error:
            errors.append(str(error))
        finally:
            connection.close()
        latencies.append(time.perf_counter() - due)

    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(one, range(total)))
    latencies.sort()
    return {"p95": latencies[int(len(latencies) * 0.95) - 1] * 1000, "errors": len(errors)}


def count_queries(url: str, pages: dict[str, list[str]]) -> dict[str, str]:
    """Statements per request of each page, counted in a separate process with the production settings."""
    script = ROOT / "bench" / "queries.py"
    payload = json.dumps({name: lines[0] for name, lines in pages.items()})
    output = run(str(BIN / "python"), str(script), input=payload, capture_output=True, text=True,
                 env={**production_env(url), "PYTHONPATH": str(ROOT)}).stdout
    return json.loads(output.strip().splitlines()[-1])


def quiz_burst(data: dict) -> dict:
    """BURST participants, each with an open attempt, submit at the same instant from a barrier."""
    quizzes = data["quizzes"]
    first = PARTICIPANTS + 1

    def prepare(number: int):
        person = Visitor(PASSAGE_PORT).login(f"demo{number:05d}@example.org")
        action, answers = person.open_attempt(quizzes[number % len(quizzes)])
        return person, action, [*answers, ("action", "submit")]

    with ThreadPoolExecutor(max_workers=4) as pool:
        ready = list(pool.map(prepare, range(first, first + BURST)))
    barrier = threading.Barrier(BURST)

    def submit(item):
        person, action, body = item
        barrier.wait()
        began = time.perf_counter()
        status, location, _page = person.send("POST", action, body)
        return status, location, time.perf_counter() - began

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        results = list(pool.map(submit, ready))
    import sqlalchemy as sa

    engine = sa.create_engine(data["url"], poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        graded = connection.exec_driver_sql(
            "SELECT count(*) FROM quiz_attempts a JOIN users u ON u.id = a.user_id "
            f"WHERE a.submitted_at IS NOT NULL AND u.email >= 'demo{first:05d}' AND u.email < 'demo{first + BURST:05d}'"
        ).scalar()
    engine.dispose()
    times = sorted(seconds for _status, _location, seconds in results)
    ok = sum(1 for status, location, _seconds in results if status == 302 and "/quiz/attempts/" in location)
    return {"submitted": BURST, "redirected_to_result": ok, "graded": graded,
            "errors": sum(1 for status, _l, _s in results if status >= 400),
            "p95": times[int(len(times) * 0.95) - 1] * 1000, "max": times[-1] * 1000}


def production_env(url: str) -> dict:
    return {"DATABASE_URL": url, "PASSAGE_CONFIG": "production", "SECRET_KEY": "b" * 64, "FLASK_APP": "wsgi.py",
            "RATELIMIT_STORAGE_URI": os.environ.get("BENCH_RATELIMIT", "memory://"),
            # Hundreds of simulated people log in from one address within a minute.
            "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute"}


def commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "app", "config.py", "templates"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return result.stdout.strip() + (" (with uncommitted changes)" if dirty else "")


def machine() -> str:
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPUs {model}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def report(baseline: dict, rows: list, burst: dict | None) -> str:
    lines = [
        "# Benchmark results (`make bench`)",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: {machine()}",
        f"- Commit: {commit()}",
        f"- Setup: gunicorn 5 sync workers for Passage and for a bare Flask hello-world, PostgreSQL, "
        f"`demo load --scale {SCALE}` and a workshop of 6,000 registrations; closed loop: wrk {CONNECTIONS} "
        f"connections, {DURATION} per page; open loop: {OPEN_RATE} requests/s for {OPEN_SECONDS} s; "
        f"{PARTICIPANTS} participants, each with their own session cookie, reading different sections.",
        f"- Hello-world: {baseline['rps']:.0f} requests/s (mean of {baseline['before']:.0f} before the pages and "
        f"{baseline['after']:.0f} after them), p95 {baseline['p95']:.1f} ms (closed loop).",
        "",
        "| page | req/s | ratio to hello-world | p95 ms (50 connections) | p95 ms (open loop, "
        f"{OPEN_RATE}/s) | SQL statements per request | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, closed, opened, queries in rows:
        errors = closed["errors"] + (opened["errors"] if opened else 0)
        open_p95 = f"{opened['p95']:.1f}" if opened else f"saturated (< {OPEN_RATE}/s)"
        lines.append(f"| {name} | {closed['rps']:.0f} | {closed['rps'] / baseline['rps']:.3f} | {closed['p95']:.1f} | "
                     f"{open_p95} | {queries} | {errors} |")
    if burst:
        lines += ["", f"{burst['submitted']} quiz submissions released at once: {burst['graded']} graded, "
                      f"{burst['redirected_to_result']} sent to their result, {burst['errors']} errors, "
                      f"p95 {burst['p95']:.0f} ms, slowest {burst['max']:.0f} ms."]
    lines += ["", "Ratios are requests/s against hello-world's in the same run: absolute figures drift with the "
                  "machine's other work, ratios much less."]
    return "\n".join(lines) + "\n"


def main() -> int:
    if shutil.which("wrk") is None:
        print("make bench needs wrk: apt-get install wrk")
        return 2
    url = database_url()
    dev = {"FLASK_APP": "wsgi.py", "DATABASE_URL": url, "PASSAGE_CONFIG": "development"}
    run(str(BIN / "flask"), "db", "upgrade", env=dev, capture_output=True)
    run(str(BIN / "flask"), "content", "sync", env=dev, capture_output=True)
    run(str(BIN / "flask"), "demo", "load", "--scale", str(SCALE), env=dev, capture_output=True)
    data = json.loads(run(str(BIN / "python"), "bench/fixtures.py", env=dev, capture_output=True, text=True)
                      .stdout.strip().splitlines()[-1])
    data["url"] = url
    analyze(url)
    passage = serve("wsgi:app", PASSAGE_PORT, production_env(url))
    hello = serve("bench.hello:app", HELLO_PORT, {})
    ceiling = serve("bench.ceiling:app", CEILING_PORT, production_env(url))
    rows, burst = [], None
    try:
        pages = build_pages(data)
        queries = count_queries(url, pages)
        wrk(HELLO_PORT, [request_line("GET", "/")])  # warm-up
        baseline = wrk(HELLO_PORT, [request_line("GET", "/")])
        settle(HELLO_PORT)
        for name, lines in pages.items():
            port = CEILING_PORT if name.startswith(CEILING) else PASSAGE_PORT
            wrk(port, lines[:1])  # warm every worker's caches and connections
            settle(port)
            # A download takes a second, not milliseconds: measured as a secretariat uses it, a few at a time.
            closed = wrk(port, lines, EXPORT_CONNECTIONS if "export" in name else CONNECTIONS)
            settle(port)
            # Below the open loop's rate the queue grows without end: no p95 to measure, say so.
            opened = open_loop(port, lines) if closed["rps"] > OPEN_RATE * 1.1 else None
            settle(port)
            rows.append((name, closed, opened, queries.get(name, "?")))
            print(name, closed, opened, queries.get(name), flush=True)
        # The machine's other work drifts: hello-world again after the pages, and the mean of both.
        after = wrk(HELLO_PORT, [request_line("GET", "/")])
        settle(HELLO_PORT)
        baseline = {**baseline, "rps": (baseline["rps"] + after["rps"]) / 2, "before": baseline["rps"], "after": after["rps"]}
        if not ONLY or "burst" in ONLY:
            burst = quiz_burst(data)
    finally:
        for process in (passage, hello, ceiling):
            process.terminate()
            process.wait()
    text = report(baseline, rows, burst)
    (ROOT / "bench" / "RESULTS.md").write_text(text)
    print(text)
    failed = any(closed["errors"] for _n, closed, _o, _q in rows) or (burst and burst["errors"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
