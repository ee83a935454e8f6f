"""Real Chromium at the narrowest phone width: a person answers the whole My Shared Life survey by keyboard alone,
and every page of it passes axe-core without scrolling sideways."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from outcomes import services
from tests.browser import axe_violations, no_horizontal_scroll, screenshot, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NARROW_PHONE = {"width": 320, "height": 640}


def focused_text(page) -> str:
    return page.evaluate("() => document.activeElement.innerText || document.activeElement.value || ''").strip()


def tab_until(page, reached, what: str, *, limit: int = 30) -> None:
    """Press Tab until `reached(page)` is true, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if reached(page):
            return
    raise AssertionError(f"could not reach {what} by Tab")


def tab_to(page, text: str) -> None:
    tab_until(page, lambda p: focused_text(p).startswith(text), repr(text))


def focused_is(tag_or_type: str):
    return lambda p: tag_or_type in p.evaluate("() => [document.activeElement.tagName, document.activeElement.type]")


def test_a_person_answers_the_whole_survey_by_keyboard_on_a_small_phone(world, live_server, browser):
    with scope(scheme=world.a.scheme):
        survey, token = services.survey_create(scheme=world.a.scheme, person=world.a.person, by=None)
    page = browser.new_page(viewport=NARROW_PHONE)
    blocked = watch_csp(page)
    problems = {}

    def check(name):
        if violations := axe_violations(page):
            problems[name] = violations
        if not no_horizontal_scroll(page):
            problems.setdefault(name, []).append("scrolls sideways at 320 px")

    page.goto(live_server.url + reverse("survey_start", args=[token]))
    check("start")
    screenshot(page, "survey-start-320")
    tab_until(page, focused_is("radio"), "the first answer to 'who is answering'")
    page.keyboard.press("ArrowDown")  # arrows move through a radio group: "With help from my carer"
    assert page.evaluate("() => document.activeElement.value") == "carer"
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a form sends it

    for number in range(1, 12):
        assert page.get_by_text(f"Question {number} of 11").is_visible()
        check(f"question {number}")
        if number == 3:
            screenshot(page, "survey-question-320")
        if page.locator("textarea").count():
            tab_until(page, focused_is("TEXTAREA"), "the text box")
            page.keyboard.type("Going to the seaside more")
            tab_to(page, "Next")
        else:
            tab_to(page, "Better" if number != 4 and number != 10 else ("Yes" if number == 4 else "All of the time"))
        with page.expect_navigation():
            page.keyboard.press("Enter")

    assert page.get_by_role("heading", name="Check your answers").is_visible()
    check("check")
    screenshot(page, "survey-check-320")
    tab_to(page, "Send my answers")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Thank you!").is_visible()
    check("thanks")
    assert problems == {} and blocked == []

    with scopes_disabled():
        survey.refresh_from_db()
        answers = dict(survey.answers.values_list("question__area", "choice"))
        text = survey.answers.get(question__area="better").text
    assert survey.submitted_at is not None and survey.help_mode == "carer"
    assert answers["social_life"] == "better" and answers["family"] == "all" and answers["community_help"] == "yes"
    assert text == "Going to the seaside more"
