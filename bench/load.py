"""Load test: gunicorn and PostgreSQL on the generated national data, with commune and province
people in locust (bench/load_users.py), 50 then 200 of them.

    .venv/bin/python bench/load.py [--provinces 2 --communes 340 --years 3]
        [--users 50,200] [--duration 180] [--workers 5] [--spawn-rate 5]

It makes the database cchc_load_p2_c340_y3 (the size in its name) with `manage.py migrate` and
`generate_national`, or reuses it; reopens the year's self-assessment of the communes whose
focal officers sign in and gives them, and a few appraisers of each province, a password; collects
the static files (kept in var/load-static between runs); starts gunicorn (gunicorn.conf.py) on a
free loopback port with the production settings, apart from the cookies sent without TLS
(bench/load_settings.py) and the second factor not asked; then for each number of users runs
locust for --duration seconds, ramp included, sampling every second the resident memory of
gunicorn's master and workers and the CPU time of gunicorn and of the database's backends.
Everything it started is stopped at the end, on an error or on Ctrl-C. The last line is one JSON
object: per number of users and per page the requests, failures, p50 and p95, the floor page's,
the server's memory, the CPU a request costs, and whether the targets are met (no failed request,
every page's p95 under 500 ms, memory growing under 10 % over the run).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"
PYTHON = BIN / "python" if (BIN / "python").exists() else Path(sys.executable)
SERVER = "postgres://postgres@127.0.0.1:5432"
P95_TARGET_MS = 500
GROWTH_TARGET_PCT = 10
# Sign-in happens once per user, during the ramp: its time is reported, not held to the target.
NOT_PAGES = {"login", "login_page", "all"}


def database_url(args) -> str:
    name = args.database or f"cchc_load_p{args.provinces}_c{args.communes}_y{args.years}"
    return f"{args.server}/{name}"


def settings_env(url: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CCHC_ENV="production",
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        CCHC_SECRET_KEY=secrets.token_urlsafe(64),
        CCHC_ALLOWED_HOSTS="127.0.0.1",
        CCHC_SSL_REDIRECT="0",
        # An authenticator's code is good once: a pool of shared accounts could not all sign in.
        CCHC_REQUIRE_2FA="0",
        CCHC_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CCHC_LOG_LEVEL="WARNING",
        CCHC_VAR_DIR=str(var_dir),
        CCHC_LOAD_STATIC_ROOT=str(ROOT / "var" / "load-static"),
        DATABASE_URL=url,
        PYTHONPATH=str(ROOT),
    )
    return env


def run(command: list[str], env: dict[str, str], timeout: float) -> None:
    print("$", " ".join(command[1:]), flush=True)
    subprocess.run([str(PYTHON), *command], cwd=ROOT, env=env, timeout=timeout, check=True)


def ensure_database(args, url: str, env: dict[str, str]) -> None:
    """Create and fill the database, or continue a filling that was stopped; a complete one is
    reused as it is."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"reusing the database {name}", flush=True)
        else:
            conn.execute(f'CREATE DATABASE "{name}"')
    run(["manage.py", "migrate", "--no-input", "-v0"], env, timeout=900)
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM org_unit WHERE level = 3 AND code LIKE 'QG%'"
        ).fetchone()
    if row[0] < args.communes:
        run(
            [
                "manage.py",
                "generate_national",
                f"--provinces={args.provinces}",
                f"--communes={args.communes}",
                f"--years={args.years}",
            ],
            env,
            timeout=7200,
        )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def prepare(password: str, pool: int, appraisers: int) -> dict:
    """Who signs in and what each opens: `pool` communes' focal officers (the communes' self-
    assessments of the year reopened so that they can be scored) and `appraisers` appraisers of
    each province, all with `password`."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.urls import reverse

    from bench.national_plans import _pages
    from core import clock
    from org.models import Role, RoleGrant, Unit, UnitLevel, User
    from plans.models import Plan
    from reports.models import ReportingPeriod
    from scoring.models import Assessment, AssessmentStatus, Method, PeriodKind, Score, Source

    year = clock.today().year
    hashed = make_password(password)
    provinces = list(
        Unit.objects.filter(level=UnitLevel.PROVINCE, code__startswith="QG").order_by("code")
    )
    plan: dict = {"password": password, "floor": "/__floor__/", "communes": [], "appraisers": []}
    plan["provinces"] = []
    per_province = max(1, pool // len(provinces))
    for p_index, province in enumerate(provinces):
        communes = list(
            Unit.objects.filter(province=province, level=UnitLevel.COMMUNE).order_by("code")
        )
        pages = _pages(province, communes[0], year)
        periods = list(
            ReportingPeriod.objects.filter(unit__province=province, year=year).values_list(
                "pk", flat=True
            )
        )
        plan["provinces"].append(
            {
                "code": province.code,
                "board": pages["province_board"][1],
                "ranking": pages["communes_ranking"][1],
                "reports": [reverse("report_period", args=[pk]) for pk in sorted(periods)[::7]],
            }
        )
        for k in range(appraisers):
            user, _ = User.objects.get_or_create(
                username=f"bench.load.{province.code.lower()}.{k}",
                defaults={"full_name": "Chuyên viên Sở Nội vụ", "unit": province},
            )
            RoleGrant.objects.get_or_create(user=user, role=Role.APPRAISER, unit=province)
            User.objects.filter(pk=user.pk).update(password=hashed, is_active=True)
            plan["appraisers"].append({"username": user.username, "province": p_index})
        for commune in communes[:per_province]:
            focal = RoleGrant.objects.get(unit=commune, role=Role.FOCAL).user
            User.objects.filter(pk=focal.pk).update(password=hashed, is_active=True)
            pages = _pages(province, commune, year)
            tasks = Plan.objects.get(unit=commune, period_start__year=year).tasks.filter(
                all_departments=False, completed_on__isnull=True, progress_percent__lt=100
            )
            assessment = Assessment.objects.get(
                unit=commune, period__framework__year=year, period__kind=PeriodKind.YEAR
            )
            Assessment.objects.filter(pk=assessment.pk).update(
                status=AssessmentStatus.DRAFT,
                approved_by=None,
                approved_at=None,
                submitted_by=None,
                submitted_at=None,
                due_when_submitted=None,
            )
            scores = (
                Score.objects.filter(
                    assessment=assessment,
                    criterion__method=Method.TIERS,
                    criterion__is_leaf=True,
                    proposed_value__isnull=True,
                )
                .exclude(criterion__source=Source.SURVEY)
                .order_by("criterion__sort")
                .values_list("pk", flat=True)
            )
            plan["communes"].append(
                {
                    "username": focal.username,
                    "dashboard": pages["commune_dashboard"][1],
                    "task_list": pages["plan_page"][1],
                    "tasks": [
                        {
                            "page": reverse("task_detail", args=[t]),
                            "progress": reverse("task_progress", args=[t]),
                        }
                        for t in tasks.order_by("order").values_list("pk", flat=True)[:30]
                    ],
                    "scores": [reverse("scoring_score", args=[pk]) for pk in scores[:50]],
                }
            )
    connection.close()
    return plan


def collect_static(env: dict[str, str]) -> None:
    """Collect the static files unless those collected before are newer than every source."""
    manifest = Path(env["CCHC_LOAD_STATIC_ROOT"]) / "staticfiles.json"
    sources = [d for d in ROOT.glob("*/static") if d.parent.name not in ("var", ".venv")]
    sources.append(ROOT / "static")
    newest = max(
        (f.stat().st_mtime for d in sources for f in d.rglob("*") if f.is_file()), default=0
    )
    if manifest.exists() and manifest.stat().st_mtime > newest:
        print("reusing the static files collected before", flush=True)
        return
    run(["manage.py", "collectstatic", "--no-input", "-v0"], env, timeout=600)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(server: subprocess.Popen, base: str, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped:\n" + log.read_text()[-3000:])
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz:\n" + log.read_text()[-3000:])


class ServerSampler(threading.Thread):
    """Every `every` seconds: the resident memory of gunicorn's master and workers, summed, and
    the CPU time they and the database's server processes have used (a process that ended
    keeps its last figure, so that a renewed worker loses nothing)."""

    def __init__(self, pid: int, database: str, every: float = 1.0):
        super().__init__(daemon=True)
        self.pid, self.database, self.every = pid, database, every
        self.samples: list[tuple[float, int, float, float]] = []  # time, rss, cpu s, db cpu s
        self.cpu: dict[int, float] = {}
        self.db_cpu: dict[int, float] = {}
        self.done = threading.Event()

    @staticmethod
    def _cpu(process: psutil.Process) -> float:
        times = process.cpu_times()
        return times.user + times.system

    def take(self) -> None:
        try:
            master = psutil.Process(self.pid)
            processes = [master, *master.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        rss = 0
        for process in processes:
            try:
                rss += process.memory_info().rss
                self.cpu[process.pid] = self._cpu(process)
            except psutil.NoSuchProcess:
                continue
        # PostgreSQL names each backend's database in its command line.
        for process in psutil.process_iter(["cmdline"]):
            line = " ".join(process.info["cmdline"] or [])
            if line.startswith("postgres:") and f" {self.database} " in line:
                try:
                    self.db_cpu[process.pid] = self._cpu(process)
                except psutil.NoSuchProcess:
                    continue
        now = time.time()
        self.samples.append((now, rss, sum(self.cpu.values()), sum(self.db_cpu.values())))

    def run(self) -> None:
        while not self.done.wait(self.every):
            self.take()

    @property
    def pids(self) -> set[int]:
        return set(self.cpu)

    def between(self, start: float, end: float) -> dict:
        chosen = [s for s in self.samples if start <= s[0] <= end]
        if not chosen:
            return {}
        rss = [s[1] for s in chosen]
        mb = 1024 * 1024
        return {
            "server_rss_start_mb": round(rss[0] / mb, 1),
            "server_rss_end_mb": round(rss[-1] / mb, 1),
            "server_rss_max_mb": round(max(rss) / mb, 1),
            "server_rss_growth_pct": round(100 * (rss[-1] - rss[0]) / rss[0], 1),
            "server_cpu_s": round(chosen[-1][2] - chosen[0][2], 1),
            "database_cpu_s": round(chosen[-1][3] - chosen[0][3], 1),
        }


def stop(process: subprocess.Popen | None, grace: float) -> None:
    """Stop a child started in its own session (and its children): TERM, then KILL."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def stage(users: int, args, plan_path: Path, work: Path, sampler: ServerSampler) -> dict:
    """One run of `users` users; its figures, named with the number of users."""
    out = work / f"users{users}.json"
    load_before = os.getloadavg()[0]
    command = [
        str(PYTHON),
        str(ROOT / "bench" / "load_users.py"),
        f"--plan={plan_path}",
        f"--users={users}",
        f"--duration={args.duration}",
        f"--spawn-rate={args.spawn_rate}",
        f"--out={out}",
    ]
    print(f"{users} users for {args.duration:.0f} s", flush=True)
    locust = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    try:
        locust.wait(args.duration + 180)
    finally:
        stop(locust, 10)
    if locust.returncode != 0:
        raise RuntimeError(f"locust ended with {locust.returncode}")
    result = json.loads(out.read_text())
    prefix = f"users{users}_"
    figures = {
        prefix + "ramp_s": result["ramp"]["seconds"],
        prefix + "signed_in": result["ramp"]["signed_in"],
        prefix + "steady_s": round(result["steady_to"] - result["steady_from"], 1),
        prefix + "load_avg_1min_before": round(load_before, 2),
        prefix + "load_avg_1min_after": round(os.getloadavg()[0], 2),
    }
    for name in ("login", "login_page"):
        if name in result["ramp"]["pages"]:
            for key in ("requests", "failures", "p50_ms", "p95_ms"):
                figures[f"{prefix}{name}_{key}"] = result["ramp"]["pages"][name][key]
    figures[prefix + "ramp_failures"] = result["ramp"]["pages"].get("all", {}).get("failures", 0)
    pages = result["pages"]
    total = pages.get("all", {"requests": 0, "failures": 0})
    figures[prefix + "requests"] = total["requests"]
    figures[prefix + "failures"] = total["failures"]
    figures[prefix + "rps"] = round(total["requests"] / max(1, figures[prefix + "steady_s"]), 1)
    for name, page in sorted(pages.items()):
        if name == "all":
            continue
        for key in ("requests", "failures", "p50_ms", "p95_ms"):
            figures[f"{prefix}{name}_{key}"] = page[key]
    server = sampler.between(result["steady_from"], result["steady_to"])
    figures.update({prefix + k: v for k, v in server.items()})
    if total["requests"] and server:
        # What a request costs the machine, whatever else shares it: capacity is cores / cost.
        for name in ("server_cpu", "database_cpu"):
            per = 1000 * server[f"{name}_s"] / total["requests"]
            figures[f"{prefix}{name}_ms_per_request"] = round(per, 1)
    for line in result["errors"] + result["ramp"]["errors"]:
        print(f"  error x{line['count']}: {line['method']} {line['name']}: {line['error']}")
    for line in result["exceptions"]:
        print(f"  exception x{line['count']}: {line['message']}")
    figures["_pages"] = [n for n in pages if n not in NOT_PAGES]
    figures["_steady"] = (result["steady_from"], result["steady_to"])
    return figures


def verdict(figures: dict, users: int) -> dict:
    prefix = f"users{users}_"
    slow = [
        name
        for name in figures.pop("_pages")
        if figures.get(f"{prefix}{name}_p95_ms", 0) >= P95_TARGET_MS
    ]
    return {
        f"{prefix}pages_over_{P95_TARGET_MS}ms_p95": slow,
        f"{prefix}targets_met": not slow
        and figures[prefix + "failures"] == 0
        and figures[prefix + "ramp_failures"] == 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provinces", type=int, default=2)
    parser.add_argument("--communes", type=int, default=340, help="in all")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--database", default="", help="its name (default: by the size)")
    parser.add_argument("--server", default=SERVER, help="the PostgreSQL server's URL")
    parser.add_argument("--users", default="50,200", help="the numbers of users, in turn")
    parser.add_argument("--duration", type=float, default=180, help="seconds per number")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started a second")
    parser.add_argument("--workers", type=int, default=0, help="default: gunicorn.conf.py's")
    parser.add_argument("--pool", type=int, default=30, help="communes whose officers sign in")
    parser.add_argument("--appraisers", type=int, default=3, help="per province")
    args = parser.parse_args()
    counts = [int(n) for n in args.users.split(",")]

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="cchc-load-"))
    url = database_url(args)
    env = settings_env(url, work / "var")
    os.environ.update(env)
    server = None
    sampler = None
    figures: dict = {
        "database": url.rsplit("/", 1)[1],
        "cpus": os.cpu_count(),
        "load_avg_1min_start": round(os.getloadavg()[0], 2),
    }
    try:
        ensure_database(args, url, env)
        plan = prepare(secrets.token_urlsafe(16), args.pool, args.appraisers)
        collect_static(env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        plan["host"] = base
        plan_path = work / "plan.json"
        plan_path.write_text(json.dumps(plan))
        server_env = env | {"CCHC_BIND": f"127.0.0.1:{port}"}
        if args.workers:
            server_env["CCHC_WEB_WORKERS"] = str(args.workers)
        log = work / "gunicorn.log"
        with log.open("wb") as output:
            server = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=server_env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_healthy(server, base, log)
        sampler = ServerSampler(server.pid, figures["database"])
        sampler.take()
        sampler.start()
        idle = sampler.samples[0]
        workers = len(psutil.Process(server.pid).children())
        figures.update(
            communes_signing_in=len(plan["communes"]),
            appraisers_signing_in=len(plan["appraisers"]),
            workers=workers,
            duration_s=args.duration,
            server_rss_idle_mb=round(idle[1] / 1024 / 1024, 1),
        )
        steady = []
        for users in counts:
            part = stage(users, args, plan_path, work, sampler)
            steady.append(part.pop("_steady"))
            part.update(verdict(part, users))
            figures.update(part)
        last = counts[-1]
        figures["floor_p50_ms"] = figures.get(f"users{last}_floor_p50_ms")
        figures["floor_p95_ms"] = figures.get(f"users{last}_floor_p95_ms")
        # Over the whole run, from the first stage's steady state to the end of the last.
        whole = sampler.between(steady[0][0], steady[-1][1])
        figures.update(whole)
        figures["server_processes_seen"] = len(sampler.pids)
        figures["targets_met"] = (
            all(figures[f"users{n}_targets_met"] for n in counts)
            and whole.get("server_rss_growth_pct", 0) < GROWTH_TARGET_PCT
        )
        figures["load_avg_1min_end"] = round(os.getloadavg()[0], 2)
    finally:
        if sampler is not None:
            sampler.done.set()
        stop(server, 45)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
