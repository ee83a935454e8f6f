"""The public 'become a Shared Lives carer' form: no sign-in, robots and floods kept out, everyone told."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django_scopes import scopes_disabled

from carers.models import Household, Stage
from schemes.models import Notification

GOOD = {"name": "Bethan and Huw Pritchard", "email": "bethan@example.org", "phone": "", "postcode": "cf10 1aa",
        "message": "We have a spare room and the kids have left home.", "website": ""}  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def url(world):
    return reverse("carers:public_enquiry", args=[world.a.scheme.slug])


def households(name="Bethan and Huw Pritchard"):
    with scopes_disabled():
        return list(Household.objects.filter(name=name))


def test_anyone_can_enquire_and_is_thanked_by_email_and_the_workers_are_told(
    client, world, django_capture_on_commit_callbacks
):
    assert client.get(url(world)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world), GOOD, follow=True)
    assert "Thank you" in response.content.decode()
    [household] = households()
    assert (household.scheme, household.stage, household.postcode) == (world.a.scheme, Stage.ENQUIRY, "CF10 1AA")
    with scopes_disabled():
        assert household.events.get().note == GOOD["message"]
        notified = {n.recipient.email for n in Notification.objects.filter(subject__contains="Bethan")}
    assert notified == {"coordinator@alpha.example", "registered_manager@alpha.example"}
    thanks = [m for m in mail.outbox if m.to == ["bethan@example.org"]]
    assert len(thanks) == 1 and "Alpha Shared Lives" in thanks[0].body


def test_a_robot_filling_the_hidden_field_is_thanked_but_nothing_is_kept(client, world):
    response = client.post(url(world), {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302
    assert households() == []
    assert mail.outbox == []


def test_more_than_five_enquiries_an_hour_from_one_address_are_refused_kindly(client, world):
    for n in range(5):
        assert client.post(url(world), {**GOOD, "name": f"Applicant {n}"}).status_code == 302
    response = client.post(url(world), GOOD)
    assert response.status_code == 200
    assert "Please phone us instead" in response.content.decode()
    assert households() == []


def test_bad_input_is_explained_and_nothing_is_saved(client, world):
    response = client.post(url(world), {**GOOD, "email": "not-an-email", "postcode": "", "name": "<b>x</b>" * 100})
    errors = response.context["form"].errors
    assert set(errors) == {"email", "postcode", "name"}
    assert households() == [] and households("<b>x</b>" * 100) == []


def test_a_script_in_a_name_is_shown_escaped_to_staff(client, world):
    client.post(url(world), {**GOOD, "name": "<script>alert(1)</script>"})
    client.force_login(world.a.user("coordinator"))
    page = client.get(reverse("carers:household_list", args=["alpha"])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_an_unknown_or_closed_scheme_has_no_form(client, world):
    world.b.scheme.is_active = False
    world.b.scheme.save()
    assert client.get(reverse("carers:public_enquiry", args=["beta"])).status_code == 404
    assert client.get(reverse("carers:public_enquiry", args=["nowhere"])).status_code == 404
