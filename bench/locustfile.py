"""Load run (issue #11): staff and carers of the demo schemes using the app at once. Started by bench/load.sh, which
runs gunicorn with 2 workers on the database in DATABASE_URL and locust headless with 50 users for 60 s.

Each simulated person signs in once, then moves between the pages they use most, under half a second apart on average
(busier than people really are: it is a capacity test). Staff outnumber carers three to one.
"""

import random
import re

from locust import HttpUser, between

SCHEMES = ("riverside", "bro-morgannwg")
PASSWORD = "shared-lives-demo"


class SignedIn(HttpUser):
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
        self.client.post(
            "/accounts/login/", name="sign in", data=form, headers={"Referer": self.host + "/accounts/login/"}
        )

    def page(self, path: str, name: str):
        self.client.get(f"/s/{self.scheme}/{path}", name=name)


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
