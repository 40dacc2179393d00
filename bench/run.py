"""The benchmark behind ``make bench``: every page's server time, query count and SQL floor, on PostgreSQL.

    BENCH_SCALE=small|full   small (default): 100 synthetic services; full: 10,000 (the issue's national scale)
    BENCH_POSTGRES_URL       the server, default postgres://postgres@127.0.0.1:5432
    BENCH_REPEAT             requests per page (default 20)
    --prepare-only           create (or check) the database and stop

It creates the database ``yos_findings_bench`` (or ``yos_findings_bench_full``) with the frameworks, the five seed
reports and the synthetic services, and marks it with the scale and seed (a comment on the database): a database
that carries the same mark is reused, so full scale is generated once. Then, through the Django test client in
this process (no network), each page is requested ``BENCH_REPEAT`` times after a warm-up: p50 and p95 of the server
time (the whole response, a streamed export read to its end), the number of SQL queries, the floor (every query of
the page run again alone, back to back, all rows fetched: what the page would cost with no Python) with its slowest
query, and page p50 / floor. The overview is measured twice: as served (from the cache) and computed (the cache
cleared before each request). It prints a table and writes ``.bench/results.json`` (and
``.bench/results-<scale>.json``). See docs/performance.md.
"""

import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
OVERVIEW_COMPUTED = "overview (computed, cache cleared)"
SCALES = {
    "small": {"services": 100, "inspections_per_service": 6, "seed": 1, "database": "yos_findings_bench"},
    "full": {"services": 10_000, "inspections_per_service": 6, "seed": 1, "database": "yos_findings_bench_full"},
}


def main() -> int:
    scale = os.environ.get("BENCH_SCALE", "small")
    if scale not in SCALES:
        print(f"BENCH_SCALE must be one of {', '.join(SCALES)}, not {scale!r}", file=sys.stderr)
        return 2
    config = SCALES[scale]
    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    database_url = f"{server}/{config['database']}"
    repeat = int(os.environ.get("BENCH_REPEAT", "20"))
    # Production settings (also for the manage.py commands that prepare the database), measured in process over
    # plain HTTP: a key of its own, no redirect to HTTPS.
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    started = time.monotonic()
    database_prepare(server=server, database_url=database_url, scale=scale, config=config)
    prepared = time.monotonic() - started
    if "--prepare-only" in sys.argv:
        print(f"prepared {config['database']} in {prepared:.0f} s")
        return 0

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspections.settings")
    os.environ["DJANGO_DEBUG"] = ""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # Loaded as gunicorn loads it, with the web workers' garbage collector settings (inspections/wsgi.py).
    import inspections.wsgi  # noqa: F401

    pages = measure_pages(repeat=repeat)
    memory = export_peak_memory()
    results = {
        "scale": scale,
        "services": config["services"],
        "inspections_per_service": config["inspections_per_service"],
        "seed": config["seed"],
        "repeat": repeat,
        "rows": table_rows(),
        "export_peak_memory_kib": memory,
        "prepare_seconds": round(prepared, 1),
        "pages": pages,
    }
    print_table(results)
    out = ROOT / ".bench"
    out.mkdir(exist_ok=True)
    for name in ("results.json", f"results-{scale}.json"):
        (out / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten .bench/results.json in {time.monotonic() - started:.0f} s (preparing the data: {prepared:.0f} s)")
    return 0


# The database ---------------------------------------------------------------------------------------------------


def mark_for(config: dict) -> str:
    return "synthetic services={services} inspections_per_service={inspections_per_service} seed={seed}".format(
        **config
    )


def database_prepare(*, server: str, database_url: str, scale: str, config: dict) -> None:
    """Create (or reuse, when its mark matches) the bench database, and bring its schema up to date."""
    name = config["database"]
    mark = mark_for(config)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        reuse = row is not None and row[0] == mark
        if not reuse:
            print(f"creating {name} ({mark}); full scale takes a while, once")
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        else:
            print(f"reusing {name} ({mark})")
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": ""}

    def manage(*arguments: str) -> None:
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], check=True, env=environment, cwd=ROOT)

    manage("migrate", "--noinput", "-v0")
    if reuse:
        return
    manage("load_frameworks", "fixtures/frameworks.json")
    manage(
        "load_reports", *sorted(str(path.relative_to(ROOT)) for path in (ROOT / "fixtures" / "reports").glob("*.json"))
    )
    manage(
        "generate_synthetic",
        f"--services={config['services']}",
        f"--inspections-per-service={config['inspections_per_service']}",
        f"--seed={config['seed']}",
    )
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{mark}'")


def table_rows() -> dict[str, int]:
    from findings.models import Finding
    from inspections.models import Inspection, Service

    return {
        "services": Service.objects.count(),
        "inspections": Inspection.objects.count(),
        "findings": Finding.objects.count(),
    }


# The pages ------------------------------------------------------------------------------------------------------


def bench_pages() -> list[tuple[str, str, bool]]:
    """(name, URL, as an inspector) for every page the issue names, on rows that exist at any scale."""
    from django.db.models import Count

    from inspections.models import Inspection, Service

    service = Service.objects.filter(slug__startswith="synthetic-").order_by("slug").first()
    inspection = (
        Inspection.objects.filter(service=service, framework__code="standards-2018").order_by("-published_on").first()
    )
    word = service.name.split()[0]
    largest = Inspection.objects.annotate(n=Count("findings")).order_by("-n").values_list("pk", flat=True).first()
    last_page = max(1, -(-Inspection.objects.count() // 50))  # the admin list's 50 a page
    western_bay = Inspection.objects.get(service__slug="western-bay").pk  # a seed report: it has a history
    compared = "&".join(
        f"services={slug}"
        for slug in Service.objects.filter(slug__startswith="synthetic-")
        .order_by("slug")
        .values_list("slug", flat=True)[:3]
    )
    return [
        ("overview", "/", False),
        (OVERVIEW_COMPUTED, "/", False),
        ("services", "/services/", False),
        ("services ?q=", f"/services/?q={word}", False),
        # One letter: no trigram to look up, every listed row tested (inspections.filters.inspections_matching).
        ("services ?q= (one letter)", "/services/?q=a", False),
        ("services ?rating=", "/services/?rating=Good", False),
        ("services ?standard=&standard_rating=", "/services/?standard=2.1&standard_rating=Inadequate", False),
        ("services ?framework=", "/services/?framework=standards-2018", False),
        ("services ?nation=", "/services/?nation=Wales", False),
        ("services ?published_from=&to=", "/services/?published_from=2020&published_to=2022", False),
        ("services ?sort=rating", "/services/?sort=rating", False),
        ("services page 10", "/services/?page=10", False),
        ("scorecard", f"/services/{service.slug}/", False),
        ("inspection", f"/inspections/{inspection.pk}/", False),
        ("findings ?q=", "/findings/?q=assessment+planning", False),
        ("findings ?q=&kind=", "/findings/?q=safeguarding&kind=strength", False),
        ("findings ?kind= (no q)", "/findings/?kind=strength", False),
        # A rare rating with a kind, and a standard with a rating: read through the filed rating's indexes.
        ("findings ?rating=&kind=", "/findings/?rating=Inadequate&kind=area_for_improvement", False),
        ("findings ?standard=&rating=", "/findings/?standard=2.1&rating=Inadequate", False),
        # Words with a standard, and with a standard and a rating: one GIN index over the filters and the vector.
        ("findings ?q=&standard=", "/findings/?q=risk&standard=2.1", False),
        ("findings ?q=&standard=&rating=", "/findings/?q=assessment&rating=Good&standard=2.1", False),
        ("compare 3 services", f"/compare/?{compared}", False),
        ("services CSV export", "/services/?format=csv", False),
        ("admin inspection list", "/admin/inspections/inspection/", True),
        ("admin inspection list ?q=", "/admin/inspections/inspection/?q=bay", True),
        ("admin inspection list ?q= (one letter)", "/admin/inspections/inspection/?q=a", True),
        # The admin lists' sorts, a late page and searches that read every row before their indexes.
        ("admin inspection list by date", "/admin/inspections/inspection/?o=2", True),
        ("admin inspection list, last page", f"/admin/inspections/inspection/?p={last_page}", True),
        ("admin key facts", "/admin/inspections/keyfact/", True),
        ("admin key facts ?q=", "/admin/inspections/keyfact/?q=reoffending", True),
        ("admin recommendations by addressee", "/admin/findings/recommendation/?o=2", True),
        ("admin inspection change", f"/admin/inspections/inspection/{largest}/change/", True),
        ("admin inspection history", f"/admin/inspections/inspection/{western_bay}/audit/", True),
    ]


def bench_client(*, inspector: bool):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from inspections.roles import INSPECTOR

    client = Client()
    if inspector:
        user, _ = get_user_model().objects.get_or_create(username="bench-inspector", defaults={"is_staff": True})
        user.groups.add(Group.objects.get(name=INSPECTOR))
        client.force_login(user)
    return client


def fetch(client, url: str) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: status {response.status_code}")
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure_pages(*, repeat: int) -> list[dict]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    results = []
    with override_settings(STORAGES=plain_static, ALLOWED_HOSTS=["testserver"]):
        clients = {False: bench_client(inspector=False), True: bench_client(inspector=True)}
        for name, url, inspector in bench_pages():
            client = clients[inspector]
            # The overview is cached until the data changes: "computed" forgets the cache before every request.
            before = cache.clear if name == OVERVIEW_COMPUTED else (lambda: None)
            before()
            fetch(client, url)  # warm-up: connections, templates, caches
            before()
            with CaptureQueriesContext(connection) as captured:
                size = fetch(client, url)
            queries = [query for query in captured.captured_queries if not query["sql"].startswith("SAVEPOINT")]
            times = []
            for _ in range(repeat):
                before()
                start = time.perf_counter()
                fetch(client, url)
                times.append((time.perf_counter() - start) * 1000)
            floor = sql_floor(queries, repeat=max(5, repeat // 2))
            p50 = statistics.median(times)
            results.append(
                {
                    "name": name,
                    "url": url,
                    "p50_ms": round(p50, 1),
                    "p95_ms": round(percentile(times, 95), 1),
                    "queries": len(queries),
                    "floor_ms": round(floor["total_ms"], 2) if floor else None,
                    "ratio": round(p50 / floor["total_ms"], 1) if floor else None,
                    "main_sql_ms": round(floor["main_ms"], 2) if floor else None,
                    "bytes": size,
                    "main_sql": floor["main_sql"][:300] if floor else "",
                }
            )
            print(f"  {name}: p50 {p50:.1f} ms", flush=True)
    return results


def percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def sql_floor(queries: list[dict], *, repeat: int) -> dict | None:
    """Every query of the captured request run again alone, back to back, each with all its rows fetched: the
    page's SQL floor (median total ms: what the page would cost with no Python at all), and its slowest query.

    A streamed export's query is declared as a server-side cursor; here its SELECT is run and fetched whole.
    """
    from django.db import connection

    statements = []
    for query in queries:
        sql = query["sql"].lstrip()
        if sql.upper().startswith("DECLARE"):
            sql = sql[sql.upper().index(" FOR ") + len(" FOR ") :]
        if sql.upper().startswith(("SELECT", "WITH", "(SELECT")):
            statements.append(sql)
    if not statements:
        return None
    totals, by_statement = [], [[] for _ in statements]
    with connection.cursor() as cursor:
        for _ in range(repeat):
            total = 0.0
            for index, sql in enumerate(statements):
                start = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                elapsed = (time.perf_counter() - start) * 1000
                by_statement[index].append(elapsed)
                total += elapsed
            totals.append(total)
    medians = [statistics.median(times) for times in by_statement]
    slowest = max(range(len(statements)), key=lambda index: medians[index])
    return {"total_ms": statistics.median(totals), "main_ms": medians[slowest], "main_sql": statements[slowest]}


def export_peak_memory() -> int:
    """Peak Python memory (KiB, tracemalloc) of one CSV export of every service: flat when the export streams."""
    from django.test.utils import override_settings

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = bench_client(inspector=False)
        fetch(client, "/services/?format=csv")
        tracemalloc.start()
        fetch(client, "/services/?format=csv")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak // 1024


def print_table(results: dict) -> None:
    rows = results["rows"]
    print(
        f"\nscale {results['scale']}: {rows['services']} services, {rows['inspections']} inspections, "
        f"{rows['findings']} findings; {results['repeat']} requests a page; PostgreSQL\n"
    )
    header = f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'floor ms':>9} {'ratio':>6} {'slowest':>8}"
    print(header)
    print("-" * len(header))
    for page in results["pages"]:
        floor = "" if page["floor_ms"] is None else f"{page['floor_ms']:.2f}"
        ratio = "" if page["ratio"] is None else f"{page['ratio']:.1f}"
        slowest = "" if page["main_sql_ms"] is None else f"{page['main_sql_ms']:.2f}"
        print(
            f"{page['name']:40} {page['p50_ms']:8.1f} {page['p95_ms']:8.1f} {page['queries']:8d} {floor:>9} {ratio:>6}"
            f" {slowest:>8}"
        )
    print(f"\nCSV export peak memory (tracemalloc): {results['export_peak_memory_kib']} KiB")


if __name__ == "__main__":
    if urlsplit(os.environ.get("BENCH_POSTGRES_URL", "postgres://x")).scheme not in {"postgres", "postgresql"}:
        print("BENCH_POSTGRES_URL must be a postgres:// URL", file=sys.stderr)
        sys.exit(2)
    sys.exit(main())
