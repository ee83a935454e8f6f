"""Load run (issue #11): staff and carers of the demo schemes using the app at once. Started by bench/load.sh, which
runs gunicorn with 2 workers on the database in DATABASE_URL and locust headless with 50 users for 60 s.

Each simulated person signs in once, then moves between the pages they use most, under half a second apart on average
(busier than people really are: it is a capacity test). Staff outnumber carers three to one.
"""

import random
import re

from locust import HttpUser, between, task

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


class Coordinator(SignedIn):
    weight = 3
    role = "coordinator"

    @task(4)
    def today(self):
        self.page("", "today")

    @task(3)
    def people(self):
        self.page("people/", "people")

    @task(3)
    def carers(self):
        self.page("carers/", "carers board")

    @task(2)
    def matching(self):
        self.page("matching/", "matching board")

    @task(2)
    def arrangements(self):
        self.page("arrangements/", "arrangements")

    @task(1)
    def incidents(self):
        self.page("incidents/", "incidents")

    @task(1)
    def search(self):
        self.page("people/?q=a", "people search")


class Carer(SignedIn):
    weight = 1
    role = "carer"

    @task(4)
    def home(self):
        self.page("portal/", "portal home")

    @task(2)
    def calendar(self):
        self.page("portal/calendar/", "portal calendar")

    @task(1)
    def payments(self):
        self.page("portal/payments/", "portal payments")

    @task(1)
    def renewals(self):
        self.page("portal/renewals/", "portal renewals")
