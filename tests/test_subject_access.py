"""Subject access (SECURITY.md): everything held about one person, from their scheme only, as PDF and JSON."""

import io
import json
import subprocess
import zipfile

import pytest
from django.apps import apps
from django.urls import reverse
from django_scopes import scopes_disabled

from schemes import subject_access
from schemes.models import AuditEvent, Person
from schemes.permissions import Role
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def export(client, side, person):
    client.force_login(side.user(Role.REGISTERED_MANAGER))
    response = client.post(reverse("schemes:subject_access", args=[side.scheme.slug, person.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="subject-access-{person.pk}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [f"subject-access-{person.pk}.json", f"subject-access-{person.pk}.pdf"]
    return archive, json.loads(archive.read(f"subject-access-{person.pk}.json"))


def test_the_export_holds_the_persons_records_from_every_app_and_reads_as_a_pdf(client, world, tmp_path):
    from django_scopes import scope

    from outcomes.services import survey_create

    person = world.a.person
    with scope(scheme=world.a.scheme):
        survey, _token = survey_create(scheme=world.a.scheme, person=person, by=None)
    archive, data = export(client, world.a, person)
    by_model = {section["model"]: section["records"] for section in data["sections"]}
    assert by_model["schemes.Person"][0]["first name"] == person.given_name
    assert "risks" in by_model["schemes.Person"][0], "restricted details are the person's too"
    assert len(by_model["matching.Arrangement"]) == 1
    assert by_model["matching.Incident"][0]["what happened"] == world.a.incident.what_happened
    assert len(by_model["outcomes.Survey"]) == 1
    assert survey.token_hash not in json.dumps(data), "the survey link's secret is not the person's information"
    pdf = tmp_path / "export.pdf"
    pdf.write_bytes(archive.read(f"subject-access-{person.pk}.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Information we hold about {person.given_name} {person.family_name}" in text
    assert world.a.incident.what_happened[:30] in " ".join(text.split())
    with scopes_disabled():
        assert AuditEvent.objects.filter(what="subject access export", person=person).exists()


def test_nothing_from_another_scheme_or_another_person_is_in_it(client, world):
    other = PersonFactory(scheme=world.a.scheme, given_name="Zebedee")
    _, data = export(client, world.a, other)
    text = json.dumps(data)
    assert world.a.person.given_name not in text and world.b.person.given_name not in text
    assert world.a.incident.what_happened not in text
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    url = reverse("schemes:subject_access", args=["alpha", world.b.person.pk])
    assert client.post(url).status_code == 404


def test_only_registered_managers_may_export(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))
    assert client.post(reverse("schemes:subject_access", args=["alpha", world.a.person.pk])).status_code == 403


def test_every_model_that_holds_something_about_a_person_is_in_the_export(world):
    """Walk the models linked to Person, however indirectly (a survey's answers, an incident's actions): each must be
    in some app's part, so a new model cannot be left out of subject access. A carer household only names the person
    (approved for them by name): it is the carers' record, so what hangs off it is not followed."""
    from carers.models import Household

    linked, frontier = set(), {Person}
    while frontier:
        found = set()
        for model in apps.get_models():
            if model._meta.app_label not in ("schemes", "carers", "matching", "outcomes", "sharedlives"):
                continue
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model in frontier and model not in linked | {Person}:
                    found.add(model)
        linked |= found
        frontier = found - {Household}
    with scopes_disabled():
        exported = {section["model"] for section in subject_access.gather(world.a.person)["sections"]}
    missing = sorted(model._meta.label for model in linked if model._meta.label not in exported)
    assert missing == []


def test_the_pdf_opens_with_an_easy_read_page_in_the_language_chosen(client, world, tmp_path):
    person = world.a.person
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    url = reverse("schemes:subject_access", args=[world.a.scheme.slug, person.pk])
    assert 'name="language"' in client.get(url).content.decode()
    texts = {}
    for language in ("en-gb", "cy"):
        archive = zipfile.ZipFile(io.BytesIO(client.post(url, {"language": language}).content))
        pdf = tmp_path / f"{language}.pdf"
        pdf.write_bytes(archive.read(f"subject-access-{person.pk}.pdf"))
        first_page = ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"]
        texts[language] = " ".join(
            subprocess.run(first_page, capture_output=True, text=True, check=True).stdout.split()
        )
    assert "The information we keep about you" in texts["en-gb"]
    assert "If something is wrong, tell us. We will put it right." in texts["en-gb"]
    assert "Information we hold about" not in texts["en-gb"], "the easy-read page stands on its own"
    assert "Y wybodaeth rydyn ni'n ei chadw amdanoch chi" in texts["cy"]
