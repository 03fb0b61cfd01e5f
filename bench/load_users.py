"""The people of the load test, run by bench/load.py: commune focal officers and province
appraisers who sign in once, then open pages and save forms with 1 to 5 seconds of thought
between two actions.

    python bench/load_users.py --plan plan.json --users 50 --duration 180 --out stats.json

The plan, written by bench/load.py, names the server, the accounts and what each may open. Until
every user has signed in the figures are those of the ramp (kept apart); then they are reset and
measured for what is left of --duration. The figures are written to --out as JSON.

A commune user opens its dashboard, its plan's task list, a task (then records progress with a
small PNG through the task's form) and a criterion (then saves a self-score through its form);
a province user opens the province's board, the PAR-index ranking of its communes and a
commune's report. Both open the floor page (signed in, the bare layout). A refused form counts as
a failed request.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import re
import struct
import time
import zlib
from pathlib import Path

import gevent
from locust import HttpUser, between, task
from locust.env import Environment
from locust.exception import StopUser

LOGIN = "/accounts/login/"
PLAN: dict = {}
COUNTERS = {"commune": itertools.count(), "province": itertools.count()}
SIGNED = {"done": 0, "in": 0}  # sign-ins finished, and those that succeeded
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="([^"]*)"')
ERROR = re.compile(r'class="message error"[^>]*>([^<]*)')


def _png() -> bytes:
    """A 1 x 1 PNG: the smallest file the evidence check accepts as an image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80")
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


PNG = _png()


def form_fields(html: str, form_id: str) -> dict[str, str] | None:
    """The CSRF token and edit fingerprint of the form `form_id` of a page, None without it."""
    start = html.find(f'id="{form_id}"')
    if start < 0:
        return None
    form = html[start : html.find("</form>", start)]
    token = TOKEN.search(form)
    if token is None:
        return None
    fields = {"csrfmiddlewaretoken": token.group(1)}
    version = VERSION.search(form)
    if version is not None:
        fields["version"] = version.group(1)
    return fields


def saved(response) -> None:
    """A form saved: sent back to a page (the redirect followed, as a browser does) that says
    nothing was refused. A refused form answers 400 with the form, or redirects to a page that
    names the error, or (an edit conflict) answers 200 with both versions."""
    if response.status_code != 200:
        response.failure(f"refused ({response.status_code})")
    elif not response.history:
        response.failure("not saved: the form came back")
    elif LOGIN in response.url:
        response.failure("signed out")
    elif 'class="message error"' in response.text:
        response.failure("refused: " + ERROR.search(response.text).group(1)[:120])


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 5)

    def page(self, url: str, name: str, form: str = "") -> dict[str, str] | None:
        """Open a page that must open as itself: a 200 that is not the sign-in page. With
        `form`, the page must hold that form, whose CSRF token and fingerprint are returned."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif LOGIN in response.url:
                response.failure("signed out")
            elif form:
                fields = form_fields(response.text, form)
                if fields is None:
                    response.failure(f"no {form} on the page")
                return fields
        return None

    def sign_in(self, username: str) -> None:
        try:
            page = self.client.get(LOGIN, name="login_page")
            token = TOKEN.search(page.text)
            data = {"username": username, "password": PLAN["password"], "next": ""}
            data["csrfmiddlewaretoken"] = token.group(1) if token else ""
            with self.client.post(
                LOGIN, data=data, name="login", allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 302 or LOGIN in response.headers.get("Location", ""):
                    response.failure(f"sign-in refused for {username} ({response.status_code})")
                    raise StopUser()
            SIGNED["in"] += 1
        finally:
            SIGNED["done"] += 1

    @task(1)
    def floor(self) -> None:
        self.page(PLAN["floor"], "floor")


class CommuneUser(Person):
    weight = 3

    def on_start(self) -> None:
        communes = PLAN["communes"]
        k = next(COUNTERS["commune"])
        self.commune = communes[k % len(communes)]
        # Users of one commune take disjoint tasks and criteria, so that no save is refused
        # for being made over another user's (a real conflict, not load).
        slot, slots = k // len(communes) % PLAN["slots"], PLAN["slots"]
        self.my_tasks = self.commune["tasks"][slot::slots] or self.commune["tasks"]
        self.my_scores = self.commune["scores"][slot::slots] or self.commune["scores"]
        self.sign_in(self.commune["username"])

    @task(3)
    def dashboard(self) -> None:
        self.page(self.commune["dashboard"], "dashboard")

    @task(3)
    def task_list(self) -> None:
        self.page(self.commune["task_list"], "task_list")

    @task(1)
    def record_progress(self) -> None:
        chosen = random.choice(self.my_tasks)
        fields = self.page(chosen["page"], "task_page", form="progress-form")
        if fields is None:
            return
        # Under 100%: a complete task would first ask which milestones are done.
        data = fields | {"note": "Đã triển khai thêm", "percent": random.randint(10, 95)}
        with self.client.post(
            chosen["progress"],
            data=data,
            files={"files": ("minh-chung.png", PNG, "image/png")},
            name="record_progress",
            catch_response=True,
        ) as response:
            saved(response)

    @task(1)
    def self_score(self) -> None:
        url = random.choice(self.my_scores)
        fields = self.page(url, "score_page", form="score-form")
        if fields is None:
            return
        # Under 100 %: the generated frameworks' top tier (1 point at 100 %) is above their
        # criteria's maximum (0.66), which the form rightly refuses.
        data = fields | {
            "form": "score",
            "value": random.randint(50, 99),
            "explanation": "Tự chấm theo kết quả thực hiện",
        }
        with self.client.post(url, data=data, name="self_score", catch_response=True) as response:
            saved(response)


class ProvinceUser(Person):
    weight = 1

    def on_start(self) -> None:
        accounts = PLAN["appraisers"]
        account = accounts[next(COUNTERS["province"]) % len(accounts)]
        self.province = PLAN["provinces"][account["province"]]
        self.sign_in(account["username"])

    @task(2)
    def board(self) -> None:
        self.page(self.province["board"], "board")

    @task(2)
    def ranking(self) -> None:
        self.page(self.province["ranking"], "ranking")

    @task(2)
    def commune_report(self) -> None:
        self.page(random.choice(self.province["reports"]), "commune_report")


def figures_of(env: Environment) -> dict:
    """Per request name: count, failures and times (ms); with the totals."""
    out = {}
    for entry in [*env.stats.entries.values(), env.stats.total]:
        name = "all" if entry is env.stats.total else entry.name
        if entry.num_requests == 0 and entry.num_failures == 0:
            continue
        out[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": round(entry.get_response_time_percentile(0.5) or 0, 1),
            "p95_ms": round(entry.get_response_time_percentile(0.95) or 0, 1),
            "max_ms": round(entry.max_response_time or 0, 1),
        }
    return out


def errors_of(env: Environment) -> list[dict]:
    return [
        {"name": e.name, "method": e.method, "error": str(e.error), "count": e.occurrences}
        for e in env.stats.errors.values()
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plan", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--duration", type=float, required=True, help="seconds, ramp included")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    PLAN.update(json.loads(Path(args.plan).read_text()))
    commune_users = math.ceil(args.users * 3 / 4)
    PLAN["slots"] = max(1, math.ceil(commune_users / len(PLAN["communes"])))

    env = Environment(user_classes=[CommuneUser, ProvinceUser], host=PLAN["host"])
    runner = env.create_local_runner()
    started = time.time()
    deadline = started + args.duration
    runner.start(args.users, spawn_rate=args.spawn_rate)
    gevent.sleep(1)
    while time.time() < deadline and (runner.state == "spawning" or SIGNED["done"] < args.users):
        gevent.sleep(0.2)
    ramp = {
        "seconds": round(time.time() - started, 1),
        "signed_in": SIGNED["in"],
        "pages": figures_of(env),
        "errors": errors_of(env),
    }
    env.stats.reset_all()
    steady_from = time.time()
    gevent.sleep(max(5.0, deadline - time.time()))
    steady_to = time.time()
    result = {
        "users": args.users,
        "started": started,
        "steady_from": steady_from,
        "steady_to": steady_to,
        "ramp": ramp,
        "pages": figures_of(env),
        "errors": errors_of(env),
        "exceptions": [
            {"message": e["msg"], "count": e["count"]} for e in runner.exceptions.values()
        ],
    }
    runner.quit()
    runner.greenlet.join(timeout=30)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
