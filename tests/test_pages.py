"""Error pages are plain and kind; nothing shows a stack trace; words people asked us to use."""

import re
from pathlib import Path

from django.test import Client, override_settings
from django.urls import path

from sharedlives.syscheck import main as syscheck_main

ROOT = Path(__file__).resolve().parent.parent


def explode(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("explode/", explode)]


@override_settings(ROOT_URLCONF="tests.test_pages", DEBUG=False)
def test_an_unexpected_error_shows_a_plain_page_without_a_stack_trace(db):
    response = Client(raise_request_exception=False).get("/explode/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, something went wrong" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_404_is_friendly(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We cannot find that page" in response.content.decode()


def test_templates_never_call_people_clients_or_service_users():
    offending = []
    for template in ROOT.glob("**/templates/**/*.*"):
        if ".venv" in template.parts:
            continue
        text = template.read_text()
        if re.search(r"\b(service users?|clients?|customers?)\b", text, re.IGNORECASE):
            offending.append(str(template))
    assert offending == []


def test_syscheck_names_the_exact_install_command_for_a_missing_library(monkeypatch, capsys):
    monkeypatch.setattr("ctypes.util.find_library", lambda name: None if name == "harfbuzz-subset" else name)
    monkeypatch.setattr("platform.system", lambda: "Linux")
    assert syscheck_main() == 1
    assert "sudo apt-get install -y libharfbuzz-subset0" in capsys.readouterr().err


def test_syscheck_passes_on_this_machine():
    assert syscheck_main() == 0
