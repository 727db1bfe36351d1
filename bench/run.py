"""`make bench`: section-page throughput and latency under gunicorn + PostgreSQL, against hello-world.

Builds a fresh PostgreSQL database with the demo data at --scale, serves Passage and a bare
Flask app with the same gunicorn settings (5 sync workers), loads both with wrk (closed loop,
no think time, 50 connections) and writes bench/results/latest.md.
"""
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SERVER = os.environ.get("BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATABASE = "passage_bench"
SCALE = int(os.environ.get("BENCH_SCALE", "2000"))
DURATION = os.environ.get("BENCH_DURATION", "15s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
PAGE = "/courses/labour-migration/fair-recruitment/fees-and-costs/"


def run(*args, env=None, **kwargs):
    return subprocess.run(args, check=True, env={**os.environ, **(env or {})}, cwd=ROOT, **kwargs)


def database_url() -> str:
    import sqlalchemy as sa

    admin = sa.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{DATABASE}"')
    return SERVER.rsplit("/", 1)[0] + "/" + DATABASE


def serve(app: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "5", "-k", "sync", "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
        cwd=ROOT, env={**os.environ, **env},
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{app} did not start")


def session_cookie(port: int) -> str:
    """Log in as the demo participant through the real form; return the session cookie."""
    opener = urllib.request.build_opener()
    page = opener.open(f"http://127.0.0.1:{port}/login").read().decode()
    first = opener.open(f"http://127.0.0.1:{port}/login")
    cookie = first.headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', first.read().decode()).group(1)
    data = urllib.parse.urlencode({"email": "participant@example.org", "password": "demo-pass-2026", "csrf_token": token})
    request = urllib.request.Request(f"http://127.0.0.1:{port}/login", data=data.encode(), headers={"Cookie": cookie})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        urllib.request.build_opener(NoRedirect).open(request)
    except urllib.error.HTTPError as response:
        return response.headers["Set-Cookie"].split(";")[0]
    raise RuntimeError("login did not redirect")


def wrk(url: str, cookie: str | None = None) -> dict:
    args = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "-s", "bench/p95.lua", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    output = run(*args, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50, p95, p99 = (int(x) / 1000 for x in re.search(r"PCT p50=(\d+) p95=(\d+) p99=(\d+)", output).groups())
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50": p50, "p95": p95, "p99": p99, "non2xx": int(errors.group(1)) if errors else 0}


def main() -> int:
    url = database_url()
    dev = {"FLASK_APP": "wsgi.py", "DATABASE_URL": url, "PASSAGE_CONFIG": "development"}
    run(str(BIN / "flask"), "db", "upgrade", env=dev, capture_output=True)
    run(str(BIN / "flask"), "content", "sync", env=dev, capture_output=True)
    run(str(BIN / "flask"), "demo", "load", "--scale", str(SCALE), env=dev, capture_output=True)
    prod = {"DATABASE_URL": url, "PASSAGE_CONFIG": "production", "SECRET_KEY": "b" * 64,
            "RATELIMIT_STORAGE_URI": os.environ.get("BENCH_RATELIMIT", "memory://")}
    passage = serve("wsgi:app", 8077, prod)
    hello = serve("bench.hello:app", 8078, {})
    try:
        cookie = session_cookie(8077)
        wrk("http://127.0.0.1:8078/")  # warm-up
        wrk(f"http://127.0.0.1:8077{PAGE}", cookie)
        baseline = wrk("http://127.0.0.1:8078/")
        section = wrk(f"http://127.0.0.1:8077{PAGE}", cookie)
    finally:
        for process in (passage, hello):
            process.terminate()
            process.wait()
    ratio = section["rps"] / baseline["rps"]
    report = (
        f"# Benchmark ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, gunicorn 5 sync workers, "
        f"PostgreSQL, demo load --scale {SCALE}, wrk {CONNECTIONS} connections, {DURATION})\n\n"
        "| target | req/s | p50 ms | p95 ms | p99 ms | non-2xx |\n|---|---|---|---|---|---|\n"
        f"| hello-world | {baseline['rps']:.0f} | {baseline['p50']:.1f} | {baseline['p95']:.1f} | {baseline['p99']:.1f} | {baseline['non2xx']} |\n"
        f"| section page `{PAGE}` | {section['rps']:.0f} | {section['p50']:.1f} | {section['p95']:.1f} | {section['p99']:.1f} | {section['non2xx']} |\n\n"
        f"Ratio section/hello-world: {ratio:.2f} (bar: at least 0.5). p95 bar: under 50 ms.\n"
    )
    (ROOT / "bench" / "results" / "latest.md").write_text(report)
    print(report)
    return 0 if section["non2xx"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
