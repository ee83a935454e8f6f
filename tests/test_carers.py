"""Carer recruitment and approval: each rule, each transition, what staff see, and fixed query counts."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from carers import selectors, services
from carers.models import Check, Household, PanelItem, Stage
from carers.rules import TRAINING, CheckKind, Status
from schemes.dates import add_months
from schemes.permissions import Role
from tests.factories import HouseholdFactory, MemberFactory, PanelFactory

TODAY = timezone.localdate()


def complete_household(scheme, *, worker=None, stage=Stage.TRAINING, name="The Hughes household"):
    """A household with two carers, a teenage son and every check and course done and clear."""
    household = HouseholdFactory(
        scheme=scheme, name=name, stage=stage, worker=worker, new_to_care=False,
        terms_max_people=1 if stage == Stage.APPROVED else None,
    )  # fmt: skip
    carers = [MemberFactory(household=household, full_name=n) for n in ("Sarah Hughes", "Tom Hughes")]
    MemberFactory(
        household=household, full_name="Owain Hughes", is_carer=False, date_of_birth=add_months(TODAY, -14 * 12)
    )
    done = TODAY - timedelta(days=30)
    with scopes_disabled():
        for carer in carers:
            for kind in [CheckKind.DBS, CheckKind.PHOTO_ID, *TRAINING]:
                services.check_record(household=household, by=None, kind=kind, member=carer, done_on=done)
        for kind in [CheckKind.REFERENCE, CheckKind.REFERENCE, CheckKind.GP_REFERENCE, CheckKind.HOME_SAFETY,
                     CheckKind.GAS_SAFETY, CheckKind.INSURANCE, CheckKind.LANDLORD_CONSENT]:  # fmt: skip
            services.check_record(household=household, by=None, kind=kind, done_on=done)
    return household, carers


def rows_of(household):
    with scopes_disabled():
        return selectors.household_compliance(households=[household])[household.pk]


def test_the_journey_from_enquiry_to_training_is_recorded_on_the_timeline(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))
    response = client.post(
        reverse("carers:household_create", args=["alpha"]),
        {
            "name": "Ffion and Dewi Rees",
            "postcode": "CF11 9AB",
            "enquiry_on": TODAY.isoformat(),
            "note": "Saw a poster",
        },
    )
    household_url = response["Location"]
    for _ in range(5):
        client.post(household_url + "advance/", {"note": "went well"})
    with scopes_disabled():
        household = Household.objects.get(name="Ffion and Dewi Rees")
        stages = list(household.events.order_by("at", "pk").values_list("to_stage", flat=True))
    assert household.stage == Stage.TRAINING
    assert stages == ["enquiry", "initial_visit", "application", "assessment", "checks", "training"]
    page = client.get(household_url).content.decode()
    assert "Saw a poster" in page and "Moved to Training" in page


def test_training_cannot_be_advanced_by_hand_past_the_panel(world):
    household = HouseholdFactory(scheme=world.a.scheme, stage=Stage.TRAINING)
    with scopes_disabled(), pytest.raises(ValidationError, match="through a panel"):
        services.household_advance(household=household, by=None)


def test_withdrawn_needs_a_reason_and_ends_recruitment(world):
    household = HouseholdFactory(scheme=world.a.scheme, stage=Stage.ASSESSMENT)
    with scopes_disabled():
        with pytest.raises(ValidationError):
            services.household_end(household=household, by=None, outcome=Stage.WITHDRAWN, reason=" ")
        services.household_end(household=household, by=None, outcome=Stage.WITHDRAWN, reason="Moving away")
        household.refresh_from_db()
        assert household.stage == Stage.WITHDRAWN
        with pytest.raises(ValidationError):
            services.household_advance(household=household, by=None)


def test_a_complete_household_is_all_valid_and_the_status_is_in_words(world):
    household, _ = complete_household(world.a.scheme)
    rows = rows_of(household)
    assert {row.status for row in rows} == {Status.VALID}
    # 2 carers x (DBS, ID, 6 courses) + 2 references + GP, home safety, gas, insurance, landlord consent
    assert len(rows) == 2 * 8 + 2 + 5
    assert all(row.status_label == "Valid" for row in rows)


def test_every_adult_in_the_household_needs_a_dbs_check_but_children_do_not(world):
    household, _ = complete_household(world.a.scheme)
    lodger = MemberFactory(household=household, full_name="Gran Hughes", is_carer=False, date_of_birth=date(1950, 1, 1))
    missing = [row.label for row in rows_of(household) if row.status == Status.MISSING]
    assert missing == [f"{CheckKind.DBS.label} — Gran Hughes"]
    assert lodger.is_adult


def test_someone_who_turns_18_needs_a_dbs_check_from_their_birthday_on_the_day_asked_about(world):
    household, _ = complete_household(world.a.scheme)
    born = add_months(TODAY + timedelta(days=10), -18 * 12)
    birthday = add_months(born, 18 * 12)  # ten days on, or the 28th when that is 29 February and `born` is not
    MemberFactory(household=household, full_name="Cai Hughes", is_carer=False, date_of_birth=born)

    def missing_on(day):
        with scopes_disabled():
            rows = selectors.household_compliance(households=[household], today=day)[household.pk]
        return [row.label for row in rows if row.status == Status.MISSING]

    assert missing_on(birthday - timedelta(days=1)) == []
    assert missing_on(birthday) == [f"{CheckKind.DBS.label} — Cai Hughes"]


def test_the_checks_are_named_in_the_language_of_the_page_each_time(world):
    household, _ = complete_household(world.a.scheme)
    with translation.override("cy"):
        welsh = {row.requirement.kind: row.label for row in rows_of(household)}
    english = {row.requirement.kind: row.label for row in rows_of(household)}
    assert english[CheckKind.INSURANCE] == "Home insurance"
    assert welsh[CheckKind.INSURANCE] not in ("", "Home insurance")
    with translation.override("cy"):
        assert {row.requirement.kind: row.label for row in rows_of(household)} == welsh


def test_no_panel_until_every_check_is_complete_and_the_page_says_what_is_missing(client, world):
    household, carers = complete_household(world.a.scheme)
    with scopes_disabled():
        Check.objects.filter(household=household, kind=CheckKind.GAS_SAFETY).delete()
        services.check_record(
            household=household, by=None, kind=CheckKind.DBS, member=carers[1], done_on=TODAY, is_clear=False
        )
        with pytest.raises(ValidationError) as refused:
            services.panel_add_household(
                panel=PanelFactory(scheme=world.a.scheme), household=household, by=None, assessment_report="Report"
            )
    message = " ".join(refused.value.messages)
    assert "Gas safety certificate: missing" in message
    assert "Tom Hughes: not clear" in message
    client.force_login(world.a.user(Role.COORDINATOR))
    page = client.get(household.get_absolute_url()).content.decode()
    assert "Not ready for panel yet" in page and "Gas safety certificate: missing" in page
    household.refresh_from_db()
    assert household.stage == Stage.TRAINING


def test_expiry_statuses_60_days_and_past(world):
    household, carers = complete_household(world.a.scheme)
    with scopes_disabled():
        services.check_record(
            household=household, by=None, kind=CheckKind.INSURANCE, done_on=TODAY - timedelta(days=330)
        )
        services.check_record(
            household=household, by=None, kind=CheckKind.FIRST_AID, member=carers[0],
            done_on=TODAY - timedelta(days=400), expires_on=TODAY - timedelta(days=1),
        )  # fmt: skip
    by_label = {row.label: row.status for row in rows_of(household)}
    assert by_label["Home insurance"] == Status.EXPIRING
    assert by_label[f"{CheckKind.FIRST_AID.label} — Sarah Hughes"] == Status.EXPIRED


def test_a_renewal_replaces_the_current_check_and_keeps_the_old_one_on_record(world):
    household, _ = complete_household(world.a.scheme)
    with scopes_disabled():
        services.check_record(household=household, by=None, kind=CheckKind.INSURANCE, done_on=TODAY)
        insurance = Check.objects.filter(household=household, kind=CheckKind.INSURANCE)
        assert insurance.count() == 2
        assert insurance.filter(is_current=True).get().expires_on == add_months(TODAY, 12)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"done_on": TODAY + timedelta(days=1)}, "done_on", "cannot be in the future"),
        ({"expires_on": TODAY - timedelta(days=40)}, "expires_on", "must be after the date it was done"),
        ({"member": None}, "member", "Say whose"),
    ],
)
def test_bad_check_dates_are_refused_with_a_clear_message_and_nothing_saved(world, changes, field, message):
    household, carers = complete_household(world.a.scheme)
    with scopes_disabled():
        before = Check.objects.count()
        data = {"kind": CheckKind.DBS, "member": carers[0], "done_on": TODAY - timedelta(days=30), **changes}
        with pytest.raises(ValidationError) as refused:
            services.check_record(household=household, by=None, **data)
        assert message in str(refused.value.message_dict[field])
        assert Check.objects.count() == before
        assert Check.objects.filter(household=household, kind=CheckKind.DBS, member=carers[0], is_current=True).exists()


def test_the_database_refuses_an_expiry_before_the_issue_date(world):
    household = HouseholdFactory(scheme=world.a.scheme)
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.create(household=household, kind=CheckKind.INSURANCE, done_on=TODAY, expires_on=TODAY)


def test_the_check_form_shows_errors_by_the_field(client, world):
    household, carers = complete_household(world.a.scheme)
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("carers:check_add", args=["alpha", household.pk])
    data = {"kind": "dbs", "member": carers[0].pk, "done_on": (TODAY + timedelta(days=5)).isoformat(), "is_clear": "on"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["done_on"] == ["This date cannot be in the future."]


def approve_through_panel(world, household, *, decider_role=Role.REGISTERED_MANAGER, max_people=2):
    panel = PanelFactory(scheme=world.a.scheme)
    panel.members.add(world.a.user(Role.PANEL_MEMBER))
    with scopes_disabled():
        item = services.panel_add_household(panel=panel, household=household, by=None, assessment_report="Warm home")
        household.refresh_from_db()
        assert household.stage == Stage.PANEL
        services.panel_recommend(
            item=item, by=world.a.user(Role.PANEL_MEMBER), recommendation="approve", minutes="Unanimous"
        )
        terms = {"support_types": ["long_term", "short_breaks"], "needs": ["dementia"], "max_people": max_people}
        return services.panel_decide(
            item=item, by=world.a.user(decider_role), decision="approve", reason="Panel agreed", terms=terms
        )


def test_approval_through_panel_sets_terms_review_date_and_the_trail(world):
    household, _ = complete_household(world.a.scheme, worker=world.a.user(Role.COORDINATOR))
    approve_through_panel(world, household)
    household.refresh_from_db()
    assert household.stage == Stage.APPROVED
    assert household.terms_max_people == 2
    assert household.next_review_on == add_months(TODAY, 12)
    with scopes_disabled():
        assert household.terms_changes.get().reason == "Approved at panel"


def test_the_assessor_cannot_make_the_decision(world):
    manager = world.a.user(Role.REGISTERED_MANAGER)
    household, _ = complete_household(world.a.scheme, worker=manager)
    with pytest.raises(ValidationError, match="assessor cannot make the decision"):
        approve_through_panel(world, household)
    household.refresh_from_db()
    assert household.stage == Stage.PANEL


def test_no_decision_without_a_recommendation(world):
    household, _ = complete_household(world.a.scheme)
    with scopes_disabled():
        item = services.panel_add_household(
            panel=PanelFactory(scheme=world.a.scheme), household=household, by=None, assessment_report="r"
        )
        with pytest.raises(ValidationError, match="not made its recommendation"):
            services.panel_decide(item=item, by=world.a.user(Role.REGISTERED_MANAGER), decision="approve", reason="")
    with pytest.raises(IntegrityError), transaction.atomic(), scopes_disabled():
        PanelItem.objects.filter(pk=item.pk).update(decision="approve")


def test_terms_never_exceed_the_schemes_maximum(world):
    world.a.scheme.max_people_per_household = 2
    world.a.scheme.save()
    household, _ = complete_household(world.a.scheme)
    with pytest.raises(ValidationError, match="at most 2 people"):
        approve_through_panel(world, household, max_people=3)


def test_only_members_of_the_panel_record_its_recommendation(world):
    household, _ = complete_household(world.a.scheme)
    with scopes_disabled():
        item = services.panel_add_household(
            panel=PanelFactory(scheme=world.a.scheme), household=household, by=None, assessment_report="r"
        )
        with pytest.raises(ValidationError, match="Only members of this panel"):
            services.panel_recommend(
                item=item, by=world.a.user(Role.PANEL_MEMBER), recommendation="approve", minutes=""
            )


def test_panel_members_see_papers_only_for_their_own_panel(client, world):
    other_panel = PanelFactory(scheme=world.a.scheme)
    client.force_login(world.a.user(Role.PANEL_MEMBER))
    assert client.get(reverse("carers:panel_detail", args=["alpha", world.a.panel.pk])).status_code == 200
    assert client.get(reverse("carers:panel_detail", args=["alpha", other_panel.pk])).status_code == 404
    listing = client.get(reverse("carers:panel_list", args=["alpha"]))
    assert [p.pk for p in listing.context["page_obj"]] == [world.a.panel.pk]


def test_an_approved_household_with_expired_dbs_or_insurance_is_not_available(world):
    household, carers = complete_household(world.a.scheme)
    approve_through_panel(world, household)
    with scopes_disabled():
        household.refresh_from_db()
        assert selectors.blocked_from_new_arrangements(household, rows_of(household)) == []
        Check.objects.filter(household=household, kind=CheckKind.INSURANCE).update(
            done_on=TODAY - timedelta(days=400), expires_on=TODAY - timedelta(days=35)
        )
        reasons = selectors.blocked_from_new_arrangements(household, rows_of(household))
    assert reasons == ["Home insurance: expired"]


def test_suspension_and_lifting_it_are_on_the_timeline(client, world):
    household, _ = complete_household(world.a.scheme)
    approve_through_panel(world, household)
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    client.post(reverse("carers:household_suspend", args=["alpha", household.pk]), {"reason": "Safeguarding enquiry"})
    household.refresh_from_db()
    assert household.suspended_on == TODAY
    with scopes_disabled():
        assert "suspended" in selectors.blocked_from_new_arrangements(household, rows_of(household))
    client.post(reverse("carers:household_lift", args=["alpha", household.pk]), {"reason": "Enquiry closed"})
    page = client.get(household.get_absolute_url()).content.decode()
    assert "Suspension lifted" in page and "Safeguarding enquiry" in page


def test_deapproval_goes_through_panel_and_an_appeal_is_recorded(world):
    household, _ = complete_household(world.a.scheme)
    approve_through_panel(world, household)
    panel = PanelFactory(scheme=world.a.scheme)
    panel.members.add(world.a.user(Role.PANEL_MEMBER))
    with scopes_disabled():
        item = services.panel_add_household(
            panel=panel, household=household, by=None, assessment_report="Concerns", purpose="deapproval"
        )
        services.panel_recommend(item=item, by=world.a.user(Role.PANEL_MEMBER), recommendation="deapprove", minutes="m")
        services.panel_decide(item=item, by=world.a.user(Role.REGISTERED_MANAGER), decision="deapprove", reason="r")
        services.appeal_record(item=item, by=None, lodged_on=TODAY, outcome="Appeal heard; decision stands")
        household.refresh_from_db()
        assert household.stage == Stage.DEAPPROVED
        assert list(household.events.values_list("what", flat=True))[:2] == ["Appeal recorded", "De-approved"]


def test_the_board_counts_stages_flags_overdue_and_keeps_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(30):
        complete_household(world.a.scheme, name=f"Household {n:02d}", stage=Stage.ASSESSMENT)
    late = HouseholdFactory(scheme=world.a.scheme, name="Late household", enquiry_on=TODAY - timedelta(days=200))
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("carers:household_list", args=["alpha"])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert dict((s.value, n) for s, n in response.context["stage_counts"])["assessment"] == 30
    overdue = client.get(url, {"overdue": "1"})
    assert [row["household"] for row in overdue.context["rows"]] == [late]
    assert "Over target" in overdue.content.decode()
    with django_assert_max_num_queries(14):
        client.get(url, {"stage": "assessment", "q": "Household", "page": 2})


def test_the_compliance_view_lists_problems_with_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for n in range(20):
        complete_household(world.a.scheme, name=f"Checked {n:02d}", stage=Stage.APPROVED)
    with scopes_disabled():
        Check.objects.filter(household__name="Checked 03", kind=CheckKind.GAS_SAFETY).update(
            expires_on=TODAY + timedelta(days=10)
        )
    client.force_login(world.a.user(Role.READ_ONLY))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("carers:compliance", args=["alpha"]))
    page = response.content.decode()
    assert "Checked 03" in page and "Expiring soon" in page
    assert "Checked 04" not in page


def test_read_only_staff_cannot_change_a_household(client, world):
    client.force_login(world.a.user(Role.READ_ONLY))
    url = reverse("carers:household_update", args=["alpha", world.a.household.pk])
    assert client.post(url, {"name": "Changed"}).status_code == 403
    world.a.household.refresh_from_db()
    assert world.a.household.name == "Household-alpha"


def test_the_board_and_the_household_page_say_the_compliance_status_in_words(client, world):
    household, _ = complete_household(world.a.scheme, name="Words household")
    client.force_login(world.a.user(Role.COORDINATOR))
    board = client.get(reverse("carers:household_list", args=["alpha"]), {"q": "Words"}).content.decode()
    assert '<span class="badge status-badge text-bg-success">Valid</span>' in board
    page = client.get(household.get_absolute_url()).content.decode()
    assert 'Checks: <span class="badge status-badge text-bg-success">Valid</span>' in " ".join(page.split())


def test_a_manager_varies_terms_refers_for_deapproval_and_records_an_appeal_through_the_pages(client, world):
    household, _ = complete_household(world.a.scheme, worker=world.a.user(Role.COORDINATOR))
    approve_through_panel(world, household)
    slug = "alpha"
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    response = client.post(
        reverse("carers:terms_vary", args=[slug, household.pk]),
        {"support_types": ["short_breaks"], "max_people": 1, "reason": "Carer's health", "effective_on": TODAY},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.terms_support_types, household.terms_max_people) == (["short_breaks"], 1)
    refused = client.post(
        reverse("carers:terms_vary", args=[slug, household.pk]),
        {"support_types": ["short_breaks"], "max_people": 1, "reason": "", "effective_on": TODAY},
    )
    assert "This field is required" in refused.content.decode()

    panel = PanelFactory(scheme=world.a.scheme, meets_on=TODAY + timedelta(days=7))
    panel.members.add(world.a.user(Role.PANEL_MEMBER))
    client.post(
        reverse("carers:deapproval_refer", args=[slug, household.pk]),
        {"panel": panel.pk, "assessment_report": "Repeated concerns"},
    )
    with scopes_disabled():
        item = PanelItem.objects.get(panel=panel, household=household, purpose="deapproval")
    client.force_login(world.a.user(Role.PANEL_MEMBER))
    form = client.get(reverse("carers:panel_recommend", args=[slug, item.pk])).context["form"]
    assert [v for v, _ in form.fields["recommendation"].choices] == ["deapprove", "continue"]
    client.post(
        reverse("carers:panel_recommend", args=[slug, item.pk]), {"recommendation": "deapprove", "minutes": "m"}
    )
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    decide = client.get(reverse("carers:panel_decide", args=[slug, item.pk]))
    assert "max_people" not in decide.context["form"].fields
    client.post(
        reverse("carers:panel_decide", args=[slug, item.pk]), {"decision": "deapprove", "reason": "Panel agreed"}
    )
    household.refresh_from_db()
    assert household.stage == Stage.DEAPPROVED
    client.post(reverse("carers:panel_appeal", args=[slug, item.pk]), {"lodged_on": TODAY, "outcome": "Pending"})
    page = client.get(household.get_absolute_url()).content.decode()
    assert "Appeal lodged" in page and "Carer&#x27;s health" in page


def test_the_annual_review_records_views_and_moves_the_due_date(client, world):
    household, _ = complete_household(world.a.scheme)
    approve_through_panel(world, household)
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("carers:carer_review", args=["alpha", household.pk])
    data = {"reviewed_on": TODAY, "people_views": "Jo says she loves the garden", "carer_views": "Going well",
            "summary": "All good", "outcome": "continue"}  # fmt: skip
    bad = client.post(url, {**data, "reviewed_on": TODAY + timedelta(days=2)})
    assert bad.context["form"].errors["reviewed_on"] == ["This date cannot be in the future."]
    assert client.post(url, data).status_code == 302
    household.refresh_from_db()
    assert household.next_review_on == add_months(TODAY, 12)
    assert "Jo says she loves the garden" in client.get(household.get_absolute_url()).content.decode()


def test_only_approved_households_have_annual_reviews(world):
    household = HouseholdFactory(scheme=world.a.scheme, stage=Stage.ASSESSMENT)
    with scopes_disabled(), pytest.raises(ValidationError, match="Only an approved household"):
        services.carer_review_record(
            household=household, by=None, reviewed_on=TODAY, people_views="", carer_views="", summary="",
            outcome="continue",
        )  # fmt: skip


def pdf_text(data: bytes) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_the_whole_trail_downloads_as_an_accessible_pdf(client, world):
    import shutil

    if not shutil.which("pdftotext"):
        from tests.conftest import skip_or_fail

        skip_or_fail("pdftotext is not installed (apt-get install -y poppler-utils)")
    household, _ = complete_household(world.a.scheme, worker=world.a.user(Role.COORDINATOR))
    approve_through_panel(world, household)
    client.force_login(world.a.user(Role.READ_ONLY))
    response = client.get(reverse("carers:household_record", args=["alpha", household.pk]))
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "no-store"
    data = response.content
    import subprocess

    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "Tagged:          yes" in info  # PDF/UA: a structure screen readers can follow
    assert "Page size:       595.276 x 841.89 pts (A4)" in info
    text = pdf_text(data)
    for expected in ["The Hughes household", "Alpha Shared Lives", "Sarah Hughes", "Owain Hughes",
                     "Enhanced DBS with adults' barred list", "Approved at panel", "Panel agreed", "Page 1 of",
                     "Long-term (live-in)", "Dementia"]:  # fmt: skip
        assert expected in text, expected
    import pathlib

    artifacts = pathlib.Path(__file__).resolve().parent.parent / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "household-record.pdf").write_bytes(data)


def test_the_dashboard_says_what_needs_doing_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    expired_household, _ = complete_household(world.a.scheme, name="Expired insurance", stage=Stage.APPROVED)
    expiring_household, _ = complete_household(world.a.scheme, name="Expiring gas", stage=Stage.APPROVED)
    with scopes_disabled():
        Check.objects.filter(household=expired_household, kind=CheckKind.INSURANCE).update(
            done_on=TODAY - timedelta(days=400), expires_on=TODAY - timedelta(days=3)
        )
        Check.objects.filter(household=expiring_household, kind=CheckKind.GAS_SAFETY).update(
            expires_on=TODAY + timedelta(days=20)
        )
        Household.objects.filter(pk=expiring_household.pk).update(next_review_on=TODAY - timedelta(days=1))
    HouseholdFactory(scheme=world.a.scheme, name="Slow enquiry", enquiry_on=TODAY - timedelta(days=150))
    HouseholdFactory(scheme=world.b.scheme, name="Other scheme", enquiry_on=TODAY - timedelta(days=150))
    PanelFactory(scheme=world.a.scheme, meets_on=TODAY + timedelta(days=10))
    client.force_login(world.a.user(Role.COORDINATOR))
    # a fixed set of counts: people, carers (5), matching (2) and arrangements (2), whatever the scheme's size
    with django_assert_max_num_queries(20):
        response = client.get(reverse("dashboard", args=["alpha"]))
    assert response.context["carers"] == {
        "enquiries_over_target": 1,
        "households_with_expired": 1,
        "households_with_expiring": 1,
        "reviews_due": 1,
        "panels_coming": 1,  # the world's own panel is 60 days away
    }

    board = reverse("carers:household_list", args=["alpha"])
    expired = client.get(board, {"compliance": "expired"}).context["rows"]
    assert [row["household"].name for row in expired] == ["Expired insurance"]
    expiring = client.get(board, {"compliance": "expiring"}).context["rows"]
    assert [row["household"].name for row in expiring] == ["Expiring gas"]


def test_finance_staff_see_the_dashboard_without_a_link_to_panels(client, world):
    client.force_login(world.a.user(Role.FINANCE_OFFICER))
    page = client.get(reverse("dashboard", args=["alpha"])).content.decode()
    assert "Households with something expired" in page
    assert reverse("carers:panel_list", args=["alpha"]) not in page


def test_a_declined_household_is_not_approved_and_leaves_recruitment(world):
    household, _ = complete_household(world.a.scheme)
    panel = PanelFactory(scheme=world.a.scheme)
    panel.members.add(world.a.user(Role.PANEL_MEMBER))
    with scopes_disabled():
        item = services.panel_add_household(panel=panel, household=household, by=None, assessment_report="r")
        services.panel_recommend(item=item, by=world.a.user(Role.PANEL_MEMBER), recommendation="decline", minutes="m")
        services.panel_decide(item=item, by=world.a.user(Role.REGISTERED_MANAGER), decision="decline", reason="Not yet")
        household.refresh_from_db()
        assert household.stage == Stage.NOT_APPROVED and household.terms_max_people is None
        with pytest.raises(ValidationError):
            services.household_end(household=household, by=None, outcome=Stage.CLOSED, reason="x")


@pytest.mark.parametrize("url_name", ["carers:household_list", "carers:compliance"])
def test_the_board_and_compliance_queries_do_not_grow_with_the_number_of_households(client, world, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse(url_name, args=["alpha"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    complete_household(world.a.scheme, name="Only one", stage=Stage.APPROVED)
    few = queries()
    for n in range(40):
        complete_household(world.a.scheme, name=f"Many {n:02d}", stage=Stage.APPROVED)
    assert queries() == few
