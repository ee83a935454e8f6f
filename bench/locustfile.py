"""Load run (issue #11): staff and carers of the demo schemes using the app at once. Started by bench/load.sh, which
runs gunicorn with 2 workers on the database in DATABASE_URL and locust headless with 50 users for 60 s.

Each simulated person signs in once, then moves between the pages they use most, under half a second apart on average
(busier than people really are: it is a capacity test). Staff outnumber carers three to one.

Signing in is slow on purpose (the password hash takes about 0.3 s of CPU), and 50 at once queue behind each other, so
the figures start once everyone has signed in: the statistics are reset then, and the run goes on for RUN_SECONDS
(60) more. How long signing in took is printed apart at the end. FastHttpUser keeps locust's own CPU small: it shares
the 2 cores with the server.

The users offer at most about 120 requests a second (50 users, each waiting 0.4 s on average between pages), so a
server that keeps up shows about that, however fast it is. What tells the margin is the CPU: for the same measured
time the end also prints how busy the machine's cores were and how much CPU the gunicorn workers (GUNICORN_PID,
their parent) spent a request, which compares across machines and runs better than requests/s does.
"""

import os
import random
import re
import statistics
import time

import gevent
from locust import FastHttpUser, between, events

SCHEMES = ("riverside", "bro-morgannwg")
PASSWORD = "shared-lives-demo"
RUN_SECONDS = int(os.environ.get("RUN_SECONDS", "60"))
SIGN_IN_SECONDS: list[float] = []
CPU_AT_START: dict[str, float] = {}
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> dict[str, float]:
    """CPU used so far by the gunicorn master and its workers, and by the whole machine (busy and all), in seconds."""
    master = os.environ.get("GUNICORN_PID", "")
    server = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone since the listing
        if master in (pid, fields[1]):  # the master, or one of its workers (parent's pid is the 4th field)
            server += int(fields[11]) + int(fields[12])  # utime, stime
    with open("/proc/stat") as handle:
        machine = [int(n) for n in handle.readline().split()[1:]]
    idle = machine[3] + machine[4]  # idle, iowait
    return {"server": server / TICKS, "busy": (sum(machine) - idle) / TICKS, "all": sum(machine) / TICKS}


def everyone_signed_in(environment, seconds: float) -> None:
    """Count a sign-in; when the last has signed in, start the figures afresh and stop RUN_SECONDS later."""
    SIGN_IN_SECONDS.append(seconds)
    if len(SIGN_IN_SECONDS) == environment.runner.target_user_count:
        environment.runner.stats.reset_all()
        CPU_AT_START.update(cpu_seconds())
        print(f"all {len(SIGN_IN_SECONDS)} signed in; measuring for {RUN_SECONDS} s")
        gevent.spawn_later(RUN_SECONDS, environment.runner.quit)


@events.quitting.add_listener
def report_sign_in(environment, **kwargs):
    if CPU_AT_START:
        used = {key: value - CPU_AT_START[key] for key, value in cpu_seconds().items()}
        requests = environment.runner.stats.total.num_requests
        cores = os.cpu_count() or 1
        wall = used["all"] / cores
        print(
            f"CPU while measured: the machine's {cores} cores {used['busy'] / wall:.2f} busy; gunicorn "
            f"{used['server'] / wall:.2f} cores, {1000 * used['server'] / max(requests, 1):.1f} ms a request"
        )
    if SIGN_IN_SECONDS:
        print(f"signing in (not in the figures above): {len(SIGN_IN_SECONDS)} people, median "
              f"{statistics.median(SIGN_IN_SECONDS):.1f} s, slowest {max(SIGN_IN_SECONDS):.1f} s")  # fmt: skip


class SignedIn(FastHttpUser):
    abstract = True
    wait_time = between(0.2, 0.6)
    email = "{role}@{scheme}.example"
    role = ""

    def on_start(self):
        self.scheme = random.choice(SCHEMES)  # noqa: S311 - load mix, not security
        page = self.client.get("/accounts/login/", name="sign in (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        email = self.email.format(role=self.role, scheme=self.scheme)
        form = {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token}
        started = time.perf_counter()
        self.client.post(
            "/accounts/login/", name="sign in", data=form, headers={"Referer": self.host + "/accounts/login/"}
        )
        everyone_signed_in(self.environment, time.perf_counter() - started)

    def page(self, path: str, name: str):
        """Open a page; anything but the page itself (a redirect to sign in, say) counts as an error."""
        with self.client.get(f"/s/{self.scheme}/{path}", name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"answered {r.status_code}")


def visit(path: str, name: str):
    """A task that opens one of the scheme's pages (path under /s/<scheme>/), named for the figures."""

    def task(user):
        user.page(path, name)

    task.__name__ = name
    return task


class Coordinator(SignedIn):
    weight = 3
    role = "coordinator"
    tasks = {
        visit("", "today"): 4,
        visit("people/", "people"): 3,
        visit("carers/", "carers board"): 3,
        visit("matching/", "matching board"): 2,
        visit("arrangements/", "arrangements"): 2,
        visit("incidents/", "incidents"): 1,
        visit("people/?q=a", "people search"): 1,
    }


class Carer(SignedIn):
    weight = 1
    role = "carer"
    tasks = {
        visit("portal/", "portal home"): 4,
        visit("portal/calendar/", "portal calendar"): 2,
        visit("portal/payments/", "portal payments"): 1,
        visit("portal/renewals/", "portal renewals"): 1,
    }
