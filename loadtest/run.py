"""The load test behind ``make loadtest``: a real server under 32 concurrent clients, bounded in time and requests.

    LOADTEST_POSTGRES_URL   the PostgreSQL server, default postgres://postgres@127.0.0.1:5432
    LOADTEST_SECONDS        how long the clients run (default 60)
    LOADTEST_CLIENTS        concurrent client threads (default 32)
    LOADTEST_MAX_REQUESTS   stop earlier after this many requests in all (default 50,000)
    LOADTEST_SERVICES       synthetic services besides the five real ones (default 300)

It (re)creates the database ``yos_findings_load``: migrations, the frameworks, the five seed reports and the
synthetic services (``manage.py generate_synthetic``), and collects the static files (``staticfiles/``). Then it
starts gunicorn with 4 workers on 127.0.0.1 at a free port, with production settings (a random
``DJANGO_SECRET_KEY`` made for this run, ``DJANGO_DEBUG`` unset; only the redirect to HTTPS is turned off, as there
is no TLS on 127.0.0.1), and the clients request, in turn, the services list, a scorecard, a search and the CSV
export, each read to its end. An error is a status other than 200, a connection failure or a request that takes
longer than the timeout. It prints requests, errors, throughput and p50 / p95 / p99 per page, writes
``.bench/loadtest.json`` and exits 1 when there was any error.
It is not part of ``make test`` or CI. docs/performance.md ("Load test") gives the method and the figures.
"""

import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "yos_findings_load"
WORKERS = 4
TIMEOUT = 60
PAGES = {
    "services list": "/services/",
    "scorecard": "/services/western-bay/",
    "search": "/findings/?q=assessment+plans",
    "CSV export": "/services/?format=csv",
}


def main() -> int:
    server = os.environ.get("LOADTEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    seconds = float(os.environ.get("LOADTEST_SECONDS", "60"))
    clients = int(os.environ.get("LOADTEST_CLIENTS", "32"))
    max_requests = int(os.environ.get("LOADTEST_MAX_REQUESTS", "50000"))
    services = int(os.environ.get("LOADTEST_SERVICES", "300"))
    database_url = f"{server}/{DATABASE}"

    started = time.monotonic()
    database_prepare(server=server, database_url=database_url, services=services)
    print(f"database ready in {time.monotonic() - started:.0f} s", flush=True)

    port = free_port()
    gunicorn = server_start(database_url=database_url, port=port)
    try:
        server_wait(port=port, process=gunicorn)
        samples, elapsed = run_clients(port=port, clients=clients, seconds=seconds, max_requests=max_requests)
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait()

    results = summarise(samples, elapsed=elapsed, clients=clients, services=services, seconds=seconds)
    print_table(results)
    out = ROOT / ".bench"
    out.mkdir(exist_ok=True)
    (out / "loadtest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("written .bench/loadtest.json")
    return 1 if results["errors"] else 0


def database_prepare(*, server: str, database_url: str, services: int) -> None:
    """A fresh database: what `make setup-data` loads, plus synthetic services."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    environment = {**os.environ, "DATABASE_URL": database_url}

    def manage(*arguments: str) -> None:
        subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment, check=True)

    manage("migrate", "--noinput", "-v0")
    manage("load_frameworks", "fixtures/frameworks.json")
    manage("load_reports", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "fixtures" / "reports").glob("*.json")))
    manage("generate_synthetic", f"--services={services}", "--inspections-per-service=3", "--seed=1")
    # Production serves hashed static files from a manifest, as docs/deploying.md does.
    manage("collectstatic", "--noinput", "-v0")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_start(*, database_url: str, port: int) -> subprocess.Popen:
    """gunicorn as docs/deploying.md runs it, with production settings made for this run."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_") and key != "DATABASE_URL"
    }
    environment.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on 127.0.0.1: everything else stays as in production.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
        }
    )
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "inspections.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={WORKERS}",
        f"--timeout={TIMEOUT + 30}",
        "--log-level=warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=environment)


def server_wait(*, port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped with exit code {process.returncode}")
        try:
            status, _ = fetch(port, "/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 60 s")


def fetch(port: int, path: str) -> tuple[int, int]:
    """(status, body length): the whole body is read, as a browser or a script downloading an export would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def run_clients(*, port: int, clients: int, seconds: float, max_requests: int) -> tuple[list[dict], float]:
    samples: list[dict] = []
    lock = threading.Lock()
    names = list(PAGES)
    started = time.monotonic()
    deadline = started + seconds

    def client(number: int) -> None:
        turn = number
        while time.monotonic() < deadline:
            with lock:
                if len(samples) >= max_requests:
                    return
            name = names[turn % len(names)]
            turn += 1
            begun = time.monotonic()
            try:
                status, size = fetch(port, PAGES[name])
                error = None if status == 200 else f"status {status}"
            except OSError as failure:  # refused, reset, timed out
                status, size, error = None, 0, f"{type(failure).__name__}: {failure}"
            sample = {"page": name, "seconds": time.monotonic() - begun, "status": status, "bytes": size}
            if error:
                sample["error"] = error
            with lock:
                samples.append(sample)

    threads = [threading.Thread(target=client, args=(number,), daemon=True) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT + 30)
    return samples, time.monotonic() - started


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def milliseconds(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


def summarise(samples: list[dict], *, elapsed: float, clients: int, services: int, seconds: float) -> dict:
    pages = []
    for name, path in PAGES.items():
        mine = [sample for sample in samples if sample["page"] == name]
        times = [sample["seconds"] for sample in mine]
        errors = [sample["error"] for sample in mine if "error" in sample]
        pages.append(
            {
                "page": name,
                "path": path,
                "requests": len(mine),
                "errors": len(errors),
                "first_errors": sorted(set(errors))[:5],
                "per_second": round(len(mine) / elapsed, 2),
                "p50_ms": milliseconds(percentile(times, 0.50)),
                "p95_ms": milliseconds(percentile(times, 0.95)),
                "p99_ms": milliseconds(percentile(times, 0.99)),
                "max_ms": milliseconds(max(times) if times else None),
                "mean_bytes": round(statistics.mean(s["bytes"] for s in mine)) if mine else 0,
            }
        )
    return {
        "clients": clients,
        "workers": WORKERS,
        "planned_seconds": seconds,
        "elapsed_seconds": round(elapsed, 1),
        "synthetic_services": services,
        "cpus": os.cpu_count(),
        "requests": len(samples),
        "errors": sum(page["errors"] for page in pages),
        "per_second": round(len(samples) / elapsed, 2),
        "pages": pages,
    }


def print_table(results: dict) -> None:
    print(
        f"\n{results['clients']} clients, {results['workers']} gunicorn workers, {results['elapsed_seconds']} s: "
        f"{results['requests']} requests, {results['errors']} errors, {results['per_second']} requests/s"
    )
    print(f"{'page':<15} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}")
    for page in results["pages"]:
        print(
            f"{page['page']:<15} {page['requests']:>8} {page['errors']:>6} {page['per_second']:>7} "
            f"{page['p50_ms'] or '-':>9} {page['p95_ms'] or '-':>9} {page['p99_ms'] or '-':>9}"
        )
        for error in page["first_errors"]:
            print(f"    {error}")


if __name__ == "__main__":
    sys.exit(main())
