"""My Shared Life: the private link (one submission, expiry, who answered, answers kept), versions that never change
past answers, results to the percent on a worked example with small groups hidden, surveys due, and the pages."""

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from outcomes import selectors, services
from outcomes.models import Answer, Area, Kind, Question, Questionnaire, Survey
from schemes.models import User
from schemes.permissions import Role
from tests.factories import PASSWORD, ArrangementFactory, PersonFactory

TODAY = timezone.localdate()


def new_survey(side, person=None, **extra):
    with scope(scheme=side.scheme):
        return services.survey_create(scheme=side.scheme, person=person or side.person, by=None, **extra)


def answer_all(survey, answers: dict[str, str], *, help_mode="own"):
    """Answer and send a survey through the services: {area: choice or text}; areas left out are not answered."""
    with scope(scheme=survey.scheme):
        services.survey_start(survey=survey, help_mode=help_mode)
        for question in survey.questionnaire.questions.all():
            if question.area in answers:
                value = answers[question.area]
                if question.kind == Kind.OPEN:
                    services.answer_save(survey=survey, question=question, text=value)
                else:
                    services.answer_save(survey=survey, question=question, choice=value)
        return services.survey_submit(survey=survey)


def test_a_person_answers_every_question_through_the_link_and_it_takes_one_submission(client, world):
    survey, token = new_survey(world.a)
    start = reverse("survey_start", args=[token])
    page = client.get(start)
    assert page.status_code == 200 and "Who is answering?" in page.content.decode()
    with scopes_disabled():  # only a hash of the secret is kept
        assert Survey.objects.get(pk=survey.pk).token_hash == services.hash_token(token) != token

    response = client.post(start, {"help_mode": "carer"})
    assert response["Location"] == reverse("survey_step", args=[token, 1])
    questions = list(Questionnaire.objects.get(version=1).questions.order_by("position"))
    assert len(questions) == 11
    first = client.get(reverse("survey_step", args=[token, 3])).content.decode()
    assert "Question 3 of 11" in first and "I don&#x27;t want to answer" in first
    for n, question in enumerate(questions, start=1):
        data = {"text": "A dog of my own"} if question.kind == Kind.OPEN else {"choice": question.choices[0][0]}
        response = client.post(reverse("survey_step", args=[token, n]), data)
        expected = reverse("survey_step", args=[token, n + 1 if n < 11 else "check"])
        assert response["Location"] == expected
    check = client.get(reverse("survey_step", args=[token, "check"])).content.decode()
    assert "With help from my carer" in check and "A dog of my own" in check and "All of the time" in check

    thanks = client.post(reverse("survey_step", args=[token, "check"]))
    assert "Your answers have been sent" in thanks.content.decode()
    with scopes_disabled():
        survey.refresh_from_db()
        assert survey.submitted_at is not None and survey.help_mode == "carer"
        assert Answer.objects.filter(survey=survey).count() == 11

    # The link is spent: a friendly page, and a late answer changes nothing.
    again = client.get(start)
    assert again.status_code == 200 and "Your answers were sent" in again.content.decode()
    client.post(reverse("survey_step", args=[token, 1]), {"choice": "worse"})
    with scopes_disabled():
        assert Answer.objects.get(survey=survey, question=questions[0]).choice == "better"
    with pytest.raises(ValidationError, match="already been sent"), scope(scheme=world.a.scheme):
        services.survey_submit(survey=survey)


def test_answers_are_kept_when_someone_stops_and_comes_back(client, world):
    survey, token = new_survey(world.a)
    client.post(reverse("survey_start", args=[token]), {"help_mode": "worker"})
    client.post(reverse("survey_step", args=[token, 1]), {"choice": "same"})
    client.post(reverse("survey_step", args=[token, 2]), {"choice": "worse"})
    client.cookies.clear()  # another day, another device: the link alone brings them back
    page = client.get(reverse("survey_step", args=[token, 2])).content.decode()
    assert 'value="worse" aria-pressed="true"' in page
    assert 'value="better" aria-pressed="false"' in page
    start = client.get(reverse("survey_start", args=[token])).content.decode()
    assert 'value="worker" checked' in start


def test_who_is_answering_must_be_said_before_the_questions(client, world):
    survey, token = new_survey(world.a)
    assert client.get(reverse("survey_step", args=[token, 1]))["Location"] == reverse("survey_start", args=[token])
    page = client.post(reverse("survey_start", args=[token]), {}).content.decode()
    assert "Choose who is answering." in page
    assert 'aria-invalid="true"' in page


def test_a_made_up_answer_is_refused_next_to_the_question_and_nothing_is_kept(client, world):
    survey, token = new_survey(world.a)
    client.post(reverse("survey_start", args=[token]), {"help_mode": "own"})
    page = client.post(reverse("survey_step", args=[token, 1]), {"choice": "brilliant"}).content.decode()
    assert "Choose one of the answers." in page
    with scopes_disabled():
        assert not Answer.objects.filter(survey=survey).exists()


def test_an_expired_or_unknown_link_shows_a_friendly_page(client, world):
    survey, token = new_survey(world.a)
    with time_machine.travel(timezone.now() + services.LINK_LIFETIME + timedelta(minutes=1)):
        page = client.get(reverse("survey_start", args=[token]))
        assert page.status_code == 410 and "This link has run out" in page.content.decode()
        with pytest.raises(ValidationError, match="run out"), scope(scheme=world.a.scheme):
            services.survey_start(survey=survey, help_mode="own")
    unknown = client.get(reverse("survey_start", args=["not-a-real-link"]))
    assert unknown.status_code == 404 and "We cannot find this survey" in unknown.content.decode()


def test_a_new_version_never_changes_past_answers(world):
    old, _token = new_survey(world.a)
    answer_all(old, {"social_life": "better", "friends": "same"})
    v1 = Questionnaire.objects.get(version=1)
    first = v1.questions.get(position=1)
    first.text = "Rewritten"
    with pytest.raises(ValidationError, match="publish a new version"):
        first.save()

    fields = [
        {k: getattr(q, k) for k in ("area", "kind", "title", "text", "picture", "picture_alt")}
        for q in v1.questions.order_by("position")
    ]
    fields[0]["text"] = "Seeing people and going out. Is it better?"
    v2 = services.questionnaire_publish(questions=fields)
    assert v2.version == 2
    new, _token = new_survey(world.a)
    assert new.questionnaire == v2
    with scopes_disabled():
        old_answer = Answer.objects.select_related("question").get(survey=old, question__area="social_life")
    assert old_answer.question.questionnaire == v1
    assert old_answer.question.text == "Going out and seeing people. Has your carer made this better?"
    # results still put both versions' answers to one area together
    answer_all(new, {"social_life": "worse"})
    with scope(scheme=world.a.scheme):
        row = next(r for r in selectors.scheme_results()["rows"] if r["area"] == "social_life")
    assert (row["cell"].good, row["cell"].bad) == (1, 1)


def test_percentages_on_a_worked_example_and_groups_under_five_are_hidden(client, world):
    # social life: 7 better, 2 no different, 1 worse, and 2 who did not want to answer -> 70 / 20 / 10 of 10
    # part of the family: 3 all, 3 most, 2 some, 2 never -> 60% all or most, 20% some, 20% never
    social = ["better"] * 7 + ["same"] * 2 + ["worse"] + ["skip"] * 2
    family = ["all"] * 3 + ["most"] * 3 + ["some"] * 2 + ["never"] * 2 + ["skip", "skip"]
    safe = ["better"] * 4 + ["skip"] * 8  # only 4 real answers: not shown
    people = PersonFactory.create_batch(12, scheme=world.a.scheme)
    for n, person in enumerate(people):
        survey, _ = new_survey(world.a, person=person)
        answer_all(survey, {"social_life": social[n], "family": family[n], "safe": safe[n]},
                   help_mode=["own", "carer", "behalf"][n % 3])  # fmt: skip
    client.force_login(world.a.user(Role.READ_ONLY))
    response = client.get(reverse("outcomes:results", args=["alpha"]))
    rows = {r["area"]: r["cell"] for r in response.context["rows"]}
    assert (rows["social_life"].answered, rows["social_life"].good_percent, rows["social_life"].same_percent,
            rows["social_life"].bad_percent) == (10, 70, 20, 10)  # fmt: skip
    assert (rows["family"].good_percent, rows["family"].same_percent, rows["family"].bad_percent) == (60, 20, 20)
    assert rows["safe"].answered == 4 and not rows["safe"].shown
    page = response.content.decode()
    assert "fewer than 5 answers" in page and "70%" in page
    assert response.context["response"] == {"sent": 12, "answered": 12}
    assert dict(response.context["help_modes"])["Someone answered for me"] == 4
    assert "<svg" in page and 'class="bar-good"' in page  # the chart is drawn on the server


def test_results_by_arrangement_type_and_half_year(client, world):
    people = PersonFactory.create_batch(6, scheme=world.a.scheme)
    for person in people:
        arrangement = ArrangementFactory(scheme=world.a.scheme, person=person, type="long_term")
        survey, _ = new_survey(world.a, person=person, arrangement=arrangement)
        answer_all(survey, {"friends": "better"})
    with time_machine.travel(timezone.now() - timedelta(days=365)):
        for person in PersonFactory.create_batch(5, scheme=world.a.scheme):  # no arrangement recorded
            survey, _ = new_survey(world.a, person=person)
            answer_all(survey, {"friends": "worse"})
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("outcomes:results", args=["alpha"])
    friends = lambda response: next(r for r in response.context["rows"] if r["area"] == "friends")  # noqa: E731
    long_term = friends(client.get(url, {"type": "long_term"}))
    assert (long_term["cell"].answered, long_term["cell"].good_percent) == (6, 100)
    everyone = client.get(url)
    assert len(everyone.context["periods"]) == 2
    trend = [(p.key, c.good_percent, c.shown) for p, c in friends(everyone)["trend"]]
    assert [t[1:] for t in trend] == [(0, True), (100, True)]
    this_half = selectors.Period.of(TODAY).key
    assert friends(client.get(url, {"period": this_half}))["cell"].answered == 6


def test_each_scheme_sees_its_own_figures_beside_the_pooled_ones(client, world):
    for side, choice in ((world.a, "better"), (world.b, "worse")):
        for person in PersonFactory.create_batch(5, scheme=side.scheme):
            survey, _ = new_survey(side, person=person)
            answer_all(survey, {"enjoy": choice})
    client.force_login(world.a.user(Role.COORDINATOR))
    response = client.get(reverse("outcomes:results", args=["alpha"]))
    enjoy = next(r for r in response.context["rows"] if r["area"] == "enjoy")
    assert (enjoy["cell"].good_percent, enjoy["pooled"].good_percent) == (100, 50)

    viewer = User.objects.create_user("net@example.org", PASSWORD, full_name="Net", is_network_viewer=True)
    client.force_login(viewer)
    pooled = client.get(reverse("network_outcomes"))
    assert pooled.status_code == 200
    assert "Alpha Shared Lives" not in pooled.content.decode()
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    assert client.get(reverse("network_outcomes")).status_code == 403


def test_the_results_page_takes_the_same_queries_for_few_answers_or_many(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(world.a.user(Role.READ_ONLY))
    url = reverse("outcomes:results", args=["alpha"])
    with CaptureQueriesContext(connection) as few:
        before = client.get(url).context["rows"]
    with django_capture_on_commit_callbacks(execute=True):  # a survey sent in forgets the pooled figures
        for person in PersonFactory.create_batch(8, scheme=world.a.scheme):
            survey, _ = new_survey(world.a, person=person)
            answer_all(survey, {area: "better" for area in ("social_life", "friends", "safe")})
    with django_assert_num_queries(len(few)):
        after = client.get(url).context["rows"]
    assert after[0]["pooled"].answered > before[0]["pooled"].answered, "the pooled figures include the new answers"
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    assert len(cached) == len(few) - 1, "the sector's pooled tally comes from the cache until a survey is sent in"


def test_a_persons_answers_over_time_and_the_person_page_links_there(client, world):
    first, _ = new_survey(world.a)
    with time_machine.travel(timezone.now() - timedelta(days=200)):
        answer_all(first, {"social_life": "same", "better": "More trips to the sea"})
    second, _ = new_survey(world.a)
    answer_all(second, {"social_life": "better"}, help_mode="advocate")
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("outcomes:person_results", args=["alpha", world.a.person.pk])
    response = client.get(url)
    social = next(r for r in response.context["rows"] if r["area"] == "social_life")
    assert [c["word"] for c in social["cells"]] == ["No different", "Better"]
    page = response.content.decode()
    assert "More trips to the sea" in page and "With help from my advocate" in page
    assert url in client.get(world.a.person.get_absolute_url()).content.decode()


def test_staff_make_a_link_that_is_shown_once(client, world):
    client.force_login(world.a.user(Role.COORDINATOR))
    response = client.post(reverse("outcomes:survey_create", args=["alpha"]), {"person": world.a.person.pk})
    link = response.context["link"]
    assert link.startswith("http://testserver/my-shared-life/")
    secret = link.split("/my-shared-life/")[1].strip("/")
    assert len(secret) >= 40 and "/" not in secret  # a random secret and nothing else: no name, no id, no scheme
    assert world.a.person.given_name.lower() not in link.lower() and "alpha" not in link
    with scopes_disabled():
        survey = Survey.objects.get(person=world.a.person)
    assert survey.arrangement == world.a.arrangement and survey.arrangement_type == "short_breaks"
    assert client.get(link).status_code == 200
    # another scheme's person cannot be given a link from this scheme
    other = client.post(reverse("outcomes:survey_create", args=["alpha"]), {"person": world.b.person.pk})
    assert other.status_code == 404


def test_surveys_fall_due_every_six_months_from_the_start_of_the_arrangement(client, world):
    scheme = world.a.scheme
    due_person = PersonFactory(scheme=scheme, family_name="Due")
    ArrangementFactory(scheme=scheme, person=due_person, type="long_term", starts_on=TODAY - timedelta(days=190))
    recent = PersonFactory(scheme=scheme, family_name="Recent")
    ArrangementFactory(scheme=scheme, person=recent, type="long_term", starts_on=TODAY - timedelta(days=30))
    with scope(scheme=scheme):
        due = selectors.surveys_due(scheme=scheme, today=TODAY)
    names = [row["person"].family_name for row in due]
    assert "Due" in names and "Recent" not in names
    row = next(r for r in due if r["person"] == due_person)
    assert row["overdue"] is True
    new_survey(world.a, person=due_person)
    with scope(scheme=scheme):
        assert due_person not in [r["person"] for r in selectors.surveys_due(scheme=scheme, today=TODAY)]
    client.force_login(world.a.user(Role.READ_ONLY))
    page = client.get(reverse("outcomes:surveys_due", args=["alpha"])).content.decode()
    assert "Make a link" not in page  # read-only staff see who is due but cannot make links


@pytest.mark.django_db
def test_the_questionnaire_covers_every_area_once_with_a_picture_and_words():
    questions = Question.objects.filter(questionnaire__version=1)
    assert Counter(q.area for q in questions) == Counter(Area.values)
    assert all(q.picture.endswith(".svg") and q.picture_alt for q in questions)
