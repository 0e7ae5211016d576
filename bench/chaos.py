"""``make chaos``: the outage experiments of issue #11, against a running stack.

Brings up gunicorn, a Celery worker and Celery beat on PostgreSQL (database
``CHAOS_DB``, dropped and made again) and a redis-server of its own (broker and
cache), each reached through a proxy (``bench.faults``), drives desk actions
and reader requests with concurrent clients, and meanwhile, one experiment
after another:

  redis-stop   stops Redis (everything queued in it is lost) for --fault seconds
  redis-stall  Redis accepts connections and answers nothing, --fault seconds
  db-cut       PostgreSQL drops every connection and refuses new ones, --db-fault s
  worker-kill  SIGKILLs the worker in the middle of a claim proposal, restarts it
  row-lock     holds a desk story's row lock for --fault seconds

For each it prints requests served, errors by status, 500s and work lost:
every committed action's follow-up work done, claims proposed once for the
latest text, each notification emailed exactly once (the stack's email goes to
files, ``bench.faults.MailDirBackend``), every save and error report answered
"done" stored. It exits 1 when anything was lost or a request answered 500.

Never touches the shared PostgreSQL or Redis beyond its own database: the
outages happen to its own redis-server and proxies.

Usage: ``.venv/bin/python bench/chaos.py [--fault 30] [--db-fault 20]
[--only redis-stop,db-cut]``; ``--smoke`` runs every experiment for 3 s.
"""

import argparse
import collections
import datetime
import itertools
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faults import (  # noqa: E402 (the project root must be importable first)
    MAIL_DIR_VARIABLE,
    RedisServer,
    TcpProxy,
    emails_sent,
    free_port,
)

EXPERIMENTS = ["redis-stop", "redis-stall", "db-cut", "worker-kill", "row-lock"]
PASSWORD = "chaos-only-never-served"
READER_CLIENTS = 3
BIG_BODY_PARAGRAPHS = 150  # a proposal long enough to be killed in the middle
PARAGRAPHS = itertools.count(1000)  # numbers for new text, across all clients


def paragraph(n: int) -> str:
    return (
        f"Officials said test {n} took place near the coast. "
        "It said the results were good."
    )


@dataclass
class Tally:
    """What the clients saw during one experiment."""

    statuses: collections.Counter = field(default_factory=collections.Counter)
    saves_done: int = 0
    reports_done: int = 0
    desk_done: int = 0
    served_during_fault: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    fault_on: bool = False

    def record(self, status: int | str) -> None:
        with self.lock:
            self.statuses[status] += 1
            if self.fault_on and isinstance(status, int) and status < 400:
                self.served_during_fault += 1


class Stack:
    """The processes under test and the faults between them."""

    def __init__(self, args, run_dir: Path):
        self.args, self.run_dir = args, run_dir
        self.redis = RedisServer()
        self.redis.start()
        self.redis_proxy = TcpProxy(self.redis.port)
        self.db_proxy = TcpProxy(5432, args.db_host)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.mail_dir = run_dir / "mail"
        self.mail_dir.mkdir(parents=True)
        self.processes: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, list[str]] = {}
        self.restarts: list[str] = []  # processes that died and were started again
        self._supervising = threading.Event()
        redis = f"redis://127.0.0.1:{self.redis_proxy.port}"
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SITE_URL": self.base,
            "DATABASE_URL": database_url(args, port=self.db_proxy.port),
            "REDIS_URL": f"{redis}/0",
            "CELERY_BROKER_URL": f"{redis}/0",
            "CACHE_REDIS_URL": f"{redis}/1",
            "CELERY_QUEUE": "chaos",
            "EMAIL_BACKEND": "bench.faults.MailDirBackend",
            MAIL_DIR_VARIABLE: str(self.mail_dir),
            "OUTBOX_SWEEP_SECONDS": str(args.sweep),
            "OUTBOX_RESEND_SECONDS": str(args.resend),
            "EVIDENCE_LINK_CHECKS": "0",
            "API_RATE_ANONYMOUS": "",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }

    def _start(self, name: str, command: list[str]) -> None:
        self.commands[name] = command
        log = (self.run_dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_web(self) -> None:
        subprocess.run(  # the stack runs with DEBUG=0: hashed static files
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        self._start(
            "gunicorn",
            [
                *python("gunicorn"),
                "newsroom.wsgi",
                "--workers",
                "3",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "30",
                "--access-logfile",
                str(self.run_dir / "access.log"),
                "--access-logformat",
                "%(t)s %(m)s %(U)s %(s)s %(L)s",
            ],
        )

    def start_worker(self) -> None:
        self._start(
            "worker",
            [
                *python("celery"),
                "-A",
                "newsroom",
                "worker",
                "-Q",
                "chaos",
                "-c",
                "2",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "warning",
            ],
        )

    def start_beat(self) -> None:
        schedule = self.run_dir / "beat-schedule"
        self._start(
            "beat",
            [*python("celery"), "-A", "newsroom", "beat", "-s", str(schedule)],
        )

    def supervise(self) -> None:
        """Start again a process that died, as a production supervisor
        (systemd's ``Restart=always``) does, and note it."""
        self._supervising.set()

        def watch():
            while self._supervising.is_set():
                for name, process in list(self.processes.items()):
                    if (
                        process.poll() is not None
                        and self._supervising.is_set()
                        and self.processes.get(name) is process  # not killed by us
                    ):
                        self.restarts.append(f"{name} died ({last_error(self, name)})")
                        self._start(name, self.commands[name])
                time.sleep(0.5)

        threading.Thread(target=watch, daemon=True).start()

    def kill(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

    def stop(self) -> None:
        self._supervising.clear()
        for name in list(self.processes):
            process = self.processes[name]
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name in list(self.processes):
            try:
                self.processes[name].wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(name)
        self.redis_proxy.close()
        self.db_proxy.close()
        self.redis.stop()


def last_error(stack: Stack, name: str) -> str:
    """The last critical (else error) line of a process's log."""
    lines = (stack.run_dir / f"{name}.log").read_text(errors="replace").splitlines()
    errors = [line for line in lines if "CRITICAL" in line] or [
        line for line in lines if "ERROR/" in line or "[ERROR]" in line
    ]
    return errors[-1][-120:] if errors else "no error logged"


def python(module: str) -> list[str]:
    return [sys.executable, "-m", module]


def database_url(args, *, port: int | None = None) -> str:
    return f"postgres://{args.db_user}@{args.db_host}:{port or 5432}/{args.db}"


def prepare_database(args) -> None:
    admin = ["-h", args.db_host, "-U", args.db_user]
    subprocess.run(["dropdb", "--if-exists", "--force", *admin, args.db], check=True)
    subprocess.run(["createdb", *admin, args.db], check=True)


def setup_django(args, mail_dir: Path) -> None:
    """This process reads and seeds the database directly (never through the
    proxies) and runs its own tasks in-process: it is the referee."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DATABASE_URL": database_url(args),
            "EMAIL_BACKEND": "bench.faults.MailDirBackend",
            MAIL_DIR_VARIABLE: str(mail_dir),
            "EVIDENCE_LINK_CHECKS": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CACHE_REDIS_URL"):
        os.environ.pop(name, None)
    import django

    django.setup()


def seed(desk_clients: int) -> dict:
    """Newsroom people, one story per desk client, a big story to kill a
    proposal of, and a published story for readers."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from articles.content import ArticleContent
    from articles.models import Section
    from desk import workflow
    from desk.roles import sync_roles
    from desk.services import article_start

    sync_roles(Group, Permission)
    users = {}
    for name, role in [
        ("reporter", "reporter"),
        ("editor", "editor"),
        ("publisher", "publisher"),
    ]:
        user = get_user_model().objects.create_user(
            name, f"{name}@chaos.example", PASSWORD, is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        users[name] = user
    section = Section.objects.create(name="Chaos", slug="chaos")

    def story(n: int, paragraphs: int):
        return article_start(
            actor=users["reporter"],
            content=ArticleContent(
                headline=f"Chaos story {n}",
                slug=f"chaos-story-{n}",
                section_id=section.pk,
                story_date=datetime.date(2026, 1, 1),
                dek="",
                body="\n\n".join(paragraph(i) for i in range(paragraphs)),
                author_ids=(users["reporter"].pk,),
                contributor_credit="",
            ),
        )

    desk = [story(n, 4).pk for n in range(desk_clients)]
    big = story(desk_clients, 2).pk
    public = story(desk_clients + 1, 4)
    workflow.article_transition(
        article_id=public.pk, actor=users["reporter"], name="submit"
    )
    for name in ("override_approve", "publish"):
        workflow.article_transition(
            article_id=public.pk,
            actor=users["publisher"],
            name=name,
            message="Seeded for the chaos run.",
        )
    public.refresh_from_db()
    return {
        "desk": desk,
        "big": big,
        "public": public.get_absolute_url(),
        "public_id": public.pk,
    }


# Clients --------------------------------------------------------------------


def login(base: str, username: str):
    import requests

    session = requests.Session()
    session.get(f"{base}/admin/login/", timeout=30)
    session.post(
        f"{base}/admin/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/desk/",
        },
        timeout=30,
    )
    return session


def request(tally: Tally, session, method: str, url: str, **kwargs):
    import requests

    try:
        response = session.request(
            method, url, timeout=30, allow_redirects=False, **kwargs
        )
    except requests.RequestException as error:
        tally.record(type(error).__name__)
        return None
    tally.record(response.status_code)
    return response


def desk_client(
    base: str, story_id: int, sessions: dict, tally: Tally, stop: threading.Event
):
    """A reporter editing and submitting a story, an editor sending it back:
    each round is a save (a claim proposal) and an email to the reporter."""
    from tests.html_forms import form_data

    reporter, editor = sessions["reporter"], sessions["editor"]
    edit = f"{base}/desk/stories/{story_id}/edit/"
    step = current_step(story_id)
    while not stop.is_set():
        if step == "save":
            page = request(tally, reporter, "GET", edit)
            if page is None or page.status_code != 200:
                time.sleep(0.5)
                step = current_step(story_id)
                continue
            form = form_data(page.text)
            # A text never saved before: a save without a change stores nothing.
            form["body"] = "\n\n".join(paragraph(next(PARAGRAPHS)) for _ in range(4))
            done = request(tally, reporter, "POST", edit, data=form)
            if succeeded(done):
                with tally.lock:
                    tally.saves_done += 1
                    tally.desk_done += 1
                step = "submit"
        else:
            session = reporter if step == "submit" else editor
            name = step
            done = request(
                tally,
                session,
                "POST",
                f"{base}/desk/stories/{story_id}/do/{name}/",
                data={
                    "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
                    "message": "Needs another look.",
                },
            )
            if succeeded(done):
                with tally.lock:
                    tally.desk_done += 1
                step = {"submit": "request_changes", "request_changes": "save"}[name]
            elif done is not None and done.status_code in {403, 409}:
                step = current_step(story_id)
        if done is None or done.status_code >= 400:
            time.sleep(0.5)  # a person waits a moment before trying again


def succeeded(response) -> bool:
    """Done: redirected back to the story (not to the login page)."""
    return (
        response is not None
        and response.status_code == 302
        and "/login/" not in response.headers.get("Location", "")
    )


def current_step(story_id: int) -> str:
    """After a refusal, carry on from where the story really is."""
    from articles.models import Article

    status = Article.objects.get(pk=story_id).status
    return "request_changes" if status == "submitted" else "save"


def reader_client(
    base: str,
    public: str,
    story_id: int,
    tally: Tally,
    stop: threading.Event,
    *,
    reports: bool,
):
    """A reader going round the public pages. With ``reports``, also one error
    report, sent during the fault (readers' reports are limited per address,
    and the form must be at least 3 s old)."""
    import requests

    from tests.html_forms import form_data

    session = requests.Session()
    pages = itertools.cycle(["/", public, "/search/?q=test", "/healthz"])
    report = f"{base}/stories/{story_id}/report/"
    form, opened = None, time.monotonic()
    if reports:
        page = request(tally, session, "GET", report)
        if page is not None and page.status_code == 200:
            form = form_data(page.text)
            form["message"] = "The date in the second paragraph is wrong."
    while not stop.is_set():
        request(tally, session, "GET", base + next(pages))
        if form and tally.fault_on and time.monotonic() - opened > 3:
            send_report(tally, session, report, form)
            form = None
    if form:
        send_report(tally, session, report, form)


def send_report(tally: Tally, session, url: str, form: dict) -> None:
    if succeeded(request(tally, session, "POST", url, data=form)):
        with tally.lock:
            tally.reports_done += 1


# Experiments ----------------------------------------------------------------


def wait_until(predicate, timeout: float, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def proposal_running() -> bool:
    """A worker is inside a claim proposal: its transaction holds a story's row."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"
            " AND query LIKE '%%articles_article%%FOR UPDATE%%'"
        )
        return cursor.fetchone()[0] > 0


def run_fault(name: str, stack: Stack, seeded: dict, args, tally: Tally) -> str:
    """Inject fault ``name`` while the clients run; return a note."""
    import psycopg

    if name == "redis-stop":
        stack.redis.stop()
        tally.fault_on = True
        time.sleep(args.fault)
        stack.redis.start()
    elif name == "redis-stall":
        stack.redis_proxy.stall()
        tally.fault_on = True
        time.sleep(args.fault)
        stack.redis_proxy.restore()
    elif name == "db-cut":
        stack.db_proxy.cut()
        tally.fault_on = True
        time.sleep(args.db_fault)
        stack.db_proxy.restore()
    elif name == "worker-kill":
        from tests.html_forms import form_data

        editor = seeded["sessions"][0]["reporter"]
        edit = f"{stack.base}/desk/stories/{seeded['big']}/edit/"
        form = form_data(editor.get(edit, timeout=30).text)
        form["body"] = "\n\n".join(paragraph(i) for i in range(BIG_BODY_PARAGRAPHS))
        tally.fault_on = True
        request(tally, editor, "POST", edit, data=form)
        caught = wait_until(proposal_running, timeout=30, interval=0.02)
        stack.kill("worker")
        time.sleep(3)
        stack.start_worker()
        tally.fault_on = False
        return "killed mid-proposal" if caught else "proposal not caught running"
    elif name == "row-lock":
        with psycopg.connect(database_url(args), autocommit=False) as holder:
            holder.execute(
                "SELECT id FROM articles_article WHERE id = %s FOR UPDATE",
                [seeded["desk"][0]],
            )
            tally.fault_on = True
            time.sleep(args.fault)
            holder.rollback()
    tally.fault_on = False
    return ""


@dataclass
class Counts:
    jobs: int
    revisions: int
    reports: int
    emails: int
    emails_twice: int  # emails sent beyond one per notification
    duplicate_claims: int  # live claims on the same words of a story

    @classmethod
    def now(cls, mail_dir: Path) -> "Counts":
        from django.db.models import Count

        from articles.models import ArticleRevision
        from desk.models import ErrorReport, Notification
        from factcheck.models import Claim
        from outbox.models import Job

        emails = emails_sent(mail_dir)
        return cls(
            jobs=Job.objects.count(),
            revisions=ArticleRevision.objects.count(),
            reports=ErrorReport.objects.count(),
            emails=emails,
            emails_twice=emails
            - Notification.objects.filter(emailed_at__isnull=False).count(),
            duplicate_claims=Claim.objects.exclude(anchor=Claim.Anchor.DETACHED)
            .values("article", "start", "end")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count(),
        )


def settled(mail_dir: Path) -> bool:
    """Every job done, every story's claims proposed, every email out."""
    from django.db.models import F

    from articles.models import Article
    from desk.models import Notification
    from outbox.models import Job

    return (
        not Job.objects.filter(done_at__isnull=True).exists()
        and not Article.objects.exclude(
            claims_proposed_for=F("current_revision")
        ).exists()
        and not Notification.objects.filter(emailed_at__isnull=True).exists()
    )


def work_lost(before: Counts, after: Counts, tally: Tally) -> dict[str, int]:
    """Work a committed action set off that did not happen exactly once."""
    from django.db.models import F

    from articles.models import Article
    from desk.models import Notification
    from outbox.models import Job

    return {
        "jobs not done": Job.objects.filter(done_at__isnull=True).count(),
        "claims not proposed": Article.objects.exclude(
            claims_proposed_for=F("current_revision")
        ).count(),
        "duplicate claims": after.duplicate_claims - before.duplicate_claims,
        "emails missing": Notification.objects.filter(emailed_at__isnull=True).count(),
        "emails twice": after.emails_twice - before.emails_twice,
        "saves lost": max(0, tally.saves_done - (after.revisions - before.revisions)),
        "reports lost": max(0, tally.reports_done - (after.reports - before.reports)),
    }


def experiment(name: str, stack: Stack, seeded: dict, args) -> dict:
    tally = Tally()
    stack.restarts.clear()
    before = Counts.now(stack.mail_dir)
    stop = threading.Event()
    clients = [
        threading.Thread(
            target=desk_client,
            args=(stack.base, story, sessions, tally, stop),
            daemon=True,
        )
        for story, sessions in zip(seeded["desk"], seeded["sessions"], strict=True)
    ] + [
        threading.Thread(
            target=reader_client,
            args=(stack.base, seeded["public"], seeded["public_id"], tally, stop),
            kwargs={"reports": n == 0},
            daemon=True,
        )
        for n in range(READER_CLIENTS)
    ]
    for client in clients:
        client.start()
    time.sleep(args.warm)
    note = run_fault(name, stack, seeded, args, tally)
    time.sleep(args.recover)
    stop.set()
    for client in clients:
        client.join(60)
    stopped = time.monotonic()
    ok = wait_until(lambda: settled(stack.mail_dir), timeout=args.settle)
    after = Counts.now(stack.mail_dir)
    lost = work_lost(before, after, tally)
    return {
        "name": name,
        "note": "; ".join([note, *stack.restarts]).strip("; "),
        # From the end of the traffic until every piece of work was done.
        "caught_up": time.monotonic() - stopped if ok else None,
        "tally": tally,
        "lost": lost,
        "jobs": after.jobs - before.jobs,
        "emails": after.emails - before.emails,
    }


def report(results: list[dict], json_path: str | None = None) -> int:
    """Print one row per experiment (and write them to ``json_path``); 1 when
    anything was lost or answered 500 (or any 5xx but an honest 503)."""
    failed, rows = False, []
    columns = (
        "experiment",
        "served",
        "in fault",
        "errors",
        "500s",
        "desk done",
        "jobs",
        "emails",
        "reports",
        "caught up",
        "lost",
    )
    print("\n" + "  ".join(f"{c:>10}" for c in columns) + "  errors by status; notes")
    for result in results:
        tally = result["tally"]
        served = sum(
            n for s, n in tally.statuses.items() if isinstance(s, int) and s < 400
        )
        errors = {
            s: n
            for s, n in tally.statuses.items()
            if not (isinstance(s, int) and s < 400)
        }
        five_hundreds = sum(
            n for s, n in errors.items() if isinstance(s, int) and s >= 500 and s != 503
        )
        lost = sum(result["lost"].values())
        failed = failed or bool(lost or five_hundreds)
        notes = [", ".join(f"{s}: {n}" for s, n in sorted(errors.items(), key=str))]
        notes += [f"LOST {k}: {v}" for k, v in result["lost"].items() if v]
        notes += [result["note"]] if result["note"] else []
        caught_up = result["caught_up"]
        row = (
            result["name"],
            served,
            tally.served_during_fault,
            sum(errors.values()),
            five_hundreds,
            tally.desk_done,
            result["jobs"],
            result["emails"],
            tally.reports_done,
            "never" if caught_up is None else f"{caught_up:.0f} s",
            lost,
        )
        print(
            "  ".join(f"{v:>10}" for v in row)
            + "  "
            + "; ".join(note for note in notes if note)
        )
        rows.append(
            {
                **dict(zip(columns, row, strict=True)),
                "caught up": caught_up,
                "errors by status": {str(s): n for s, n in errors.items()},
                "lost by kind": result["lost"],
                "note": result["note"],
            }
        )
    if json_path:
        Path(json_path).write_text(json.dumps(rows, indent=2))
    print("\nFAILED: work lost or a 500" if failed else "\nOK: nothing lost, no 500")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fault",
        type=float,
        default=30,
        help="seconds of each Redis outage and of the held lock",
    )
    parser.add_argument(
        "--db-fault", type=float, default=20, help="seconds PostgreSQL is cut"
    )
    parser.add_argument(
        "--warm", type=float, default=5, help="seconds of traffic before each fault"
    )
    parser.add_argument(
        "--recover", type=float, default=10, help="seconds of traffic after it"
    )
    parser.add_argument(
        "--settle", type=float, default=120, help="longest wait for the work to be done"
    )
    parser.add_argument(
        "--sweep", type=int, default=2, help="OUTBOX_SWEEP_SECONDS of the stack"
    )
    parser.add_argument(
        "--resend", type=int, default=15, help="OUTBOX_RESEND_SECONDS of the stack"
    )
    parser.add_argument(
        "--only",
        default=",".join(EXPERIMENTS),
        help="experiments to run, comma-separated",
    )
    parser.add_argument("--smoke", action="store_true", help="3 s faults, short phases")
    parser.add_argument(
        "--db", default=os.environ.get("CHAOS_DB", "newsroom_chaos_run")
    )
    parser.add_argument(
        "--desk-clients", type=int, default=3, help="reporter-editor pairs at work"
    )
    parser.add_argument(
        "--empty-db",
        action="store_true",
        help="use --db as it is (empty, migrated or not) instead of making it again",
    )
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-user", default="postgres")
    args = parser.parse_args()
    if args.smoke:
        args.fault = args.db_fault = 3
        args.warm, args.recover, args.settle = 2, 3, 60
        args.desk_clients = 1
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(EXPERIMENTS)
    if unknown:
        parser.error(f"unknown experiments: {', '.join(sorted(unknown))}")
    run_dir = ROOT / "var" / "chaos" / time.strftime("%Y%m%d-%H%M%S")
    if not args.empty_db:
        prepare_database(args)
    stack = Stack(args, run_dir)
    setup_django(args, stack.mail_dir)
    try:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        progress("migrated")
        stack.start_web()  # the stack boots while this process seeds
        stack.start_worker()
        stack.start_beat()
        stack.supervise()
        seeded = seed(args.desk_clients)
        progress("seeded")
        if not wait_until(lambda: healthy(stack.base), timeout=60):
            print("the stack did not come up; see", run_dir, file=sys.stderr)
            return 2
        progress("stack up")
        # Logging in is slow on purpose (password hashing): once per client.
        seeded["sessions"] = [
            {name: login(stack.base, name) for name in ("reporter", "editor")}
            for _ in seeded["desk"]
        ]
        results = []
        for name in chosen:
            progress(name)
            results.append(experiment(name, stack, seeded, args))
    finally:
        stack.stop()
    print(f"Logs and emails in {run_dir}")
    return report(results, args.json)


STARTED = time.monotonic()


def progress(step: str) -> None:
    print(
        f"==> {time.monotonic() - STARTED:5.0f} s  {step}", file=sys.stderr, flush=True
    )


def healthy(base: str) -> bool:
    import requests

    try:
        return requests.get(f"{base}/healthz", timeout=5).status_code == 200
    except requests.RequestException:
        return False


if __name__ == "__main__":
    sys.exit(main())
