"""Lock-out per account after repeated wrong passwords: non-revealing, and a manager can unlock."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from schemes.lockout import MAX_FAILURES
from schemes.permissions import Role
from tests.factories import PASSWORD

LOCKED_HINT = "After 5 wrong tries an account is locked for 15 minutes"


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_the_same_words(client, world):
    email = world.a.user(Role.COORDINATOR).email
    for _ in range(MAX_FAILURES):
        assert LOCKED_HINT in sign_in(client, email, "wrong-password-x").content.decode()
    refused = sign_in(client, email, PASSWORD)
    assert refused.status_code == 200 and LOCKED_HINT in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_account_opens_again_after_15_minutes(client, world):
    email = world.a.user(Role.COORDINATOR).email
    for _ in range(MAX_FAILURES):
        sign_in(client, email, "wrong-password-x")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(client, email, PASSWORD).status_code == 302
    user = world.a.user(Role.COORDINATOR)
    user.refresh_from_db()
    assert (user.failed_sign_ins, user.locked_until) == (0, None)


def test_an_unknown_address_gets_exactly_the_same_answer(client, world):
    known = sign_in(client, world.a.user(Role.COORDINATOR).email, "wrong-password-x").context["form"].errors
    unknown = sign_in(client, "nobody@nowhere.example", "wrong-password-x").context["form"].errors
    assert known == unknown


def test_lock_out_is_per_account_whatever_the_address_it_comes_from(client, world):
    email = world.a.user(Role.COORDINATOR).email
    for n in range(MAX_FAILURES):
        client.post(reverse("login"), {"username": email, "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n}")
    assert sign_in(client, email, PASSWORD).status_code == 200


def test_a_manager_unlocks_a_colleague(client, world):
    member = world.a.members[Role.COORDINATOR]
    for _ in range(MAX_FAILURES):
        sign_in(client, member.user.email, "wrong-password-x")
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    staff = client.get(reverse("schemes:staff_list", args=["alpha"])).content.decode()
    assert "Locked out" in staff
    client.post(reverse("schemes:member_unlock", args=["alpha", member.pk]))
    client.logout()
    assert sign_in(client, member.user.email, PASSWORD).status_code == 302
