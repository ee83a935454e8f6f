"""English and Welsh: the switch on every page, the saved choice, and a CI guard that every string the app shows is
marked for translation and has its Welsh."""

import datetime
import re
import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from schemes.models import User
from schemes.permissions import Role
from tests.conftest import skip_or_fail
from tests.factories import PASSWORD
from tests.signin import sign_in_with_password_only

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_someone_not_signed_in_switches_to_welsh_and_it_sticks(client, db):
    page = client.get(reverse("login"))
    assert 'lang="en"' in page.content.decode() and "Cymraeg" in page.content.decode()
    response = client.post(reverse("language_set"), {"language": "cy", "next": reverse("login")})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="cy">' in page
    assert "Mewngofnodi" in page and "Wedi anghofio eich cyfrinair?" in page
    assert "English" in page, "the switch back names English in English"


def test_the_switch_never_sends_someone_to_another_site(client, db):
    response = client.post(reverse("language_set"), {"language": "cy", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_an_unknown_language_changes_nothing(client, world):
    user = world.a.user(Role.COORDINATOR)
    client.force_login(user)
    client.post(reverse("language_set"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "en-gb"


def test_a_signed_in_choice_is_kept_on_the_account_and_follows_them_to_another_device(client, world):
    user = world.a.user(Role.COORDINATOR)
    client.force_login(user)
    client.post(reverse("language_set"), {"language": "cy", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "cy"

    client.logout()
    client.cookies.clear()  # a new phone: no cookie, an English browser
    client.force_login(user)
    page = client.get(reverse("dashboard", args=[world.a.scheme.slug]), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert "Beth sydd angen ei wneud heddiw" in page and "Pobl rydyn ni'n eu cefnogi" in page


def test_the_switch_works_while_the_second_sign_in_step_is_owed(client, world):
    user = world.a.user(Role.COORDINATOR)
    sign_in_with_password_only(client, user)
    client.post(reverse("language_set"), {"language": "cy", "next": reverse("two_factor")})
    user.refresh_from_db()
    assert user.preferred_language == "cy"
    assert "Gosod mewngofnodi dau gam" in client.get(reverse("two_factor"), follow=True).content.decode()


def test_the_carer_portal_is_in_welsh_for_a_carer_who_chose_it(client, world):
    carer = world.a.user(Role.CARER)
    User.objects.filter(pk=carer.pk).update(preferred_language="cy")
    client.force_login(User.objects.get(pk=carer.pk))
    page = client.get(reverse("portal:home", args=[world.a.scheme.slug])).content.decode()
    assert "Pethau i'w gwneud" in page or "Dim byd i'w wneud ar hyn o bryd." in page
    assert '<html lang="cy">' in page


def test_dates_are_written_in_the_language_of_the_page(client, world):
    from django.utils import translation

    from schemes.i18n import day

    with translation.override("cy"):
        assert day(datetime.date(2026, 3, 5)) == "5 Mawrth 2026"
    with translation.override("en-gb"):
        assert day(datetime.date(2026, 3, 5)) == "5 March 2026"


# ---- the CI guard -------------------------------------------------------------------------------------------------

_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
# Words that are the same in both languages, or are the switch naming each language in its own language.
_SAME_IN_BOTH = {"Shared Lives", "Cymraeg", "English", "(show this site in English)", "(dangos y wefan hon yn Gymraeg)"}


def _template_files():
    for path in ROOT.rglob("*"):
        in_templates = path.suffix in {".html", ".txt"} and "templates" in path.parts and ".venv" not in path.parts
        if in_templates and path.name != "500.html":  # 500.html is bilingual as written: it renders when nothing can
            yield path


def _literal_text(source: str) -> list[str]:
    source = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", " ", source, flags=re.S)
    source = re.sub(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", " ", source, flags=re.S)
    source = re.sub(r"<!--.*?-->|<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    found = [a for a in re.findall(r'\b(?:aria-label|alt|title|placeholder)="([^"]*)"', source)
             if re.search(r"[A-Za-z]{2,}", _TAG.sub(" ", a))]  # fmt: skip
    text = _TAG.sub("\n", re.sub(r"<[^>]*>", "\n", source))
    found += [line.strip() for line in text.splitlines() if re.search(r"[A-Za-z]{2,}", line)]
    attribute = re.compile(r'[\w-]+="[^"]*"')
    return [t for t in found if t.strip(" ·") not in _SAME_IN_BOTH and not attribute.fullmatch(t)]


def test_every_template_string_is_marked_for_translation():
    unmarked = {str(p.relative_to(ROOT)): found for p in _template_files() if (found := _literal_text(p.read_text()))}
    assert unmarked == {}


def test_every_string_has_its_welsh_and_the_compiled_catalogue_is_up_to_date(tmp_path, monkeypatch):
    """What `makemessages` finds today must all be in locale/cy with a Welsh translation; the .mo Django reads must
    be compiled from that .po. Fails in CI when someone adds or changes a string and forgets the Welsh."""
    if not shutil.which("xgettext"):
        skip_or_fail("gettext is not installed (apt-get install gettext)")
    # makemessages writes into the locale folder it finds, so it runs on a copy of the code without ours.
    copy = tmp_path / "code"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "locale", "var", "tests", "bench", "node_modules", "test-artifacts", "__pycache__", "*.pyc"
        ),
    )
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["cy"], verbosity=0)
    fresh = polib.pofile(str(copy / "locale" / "cy" / "LC_MESSAGES" / "django.po"))
    ours = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = [e.msgid for e in fresh if (e.msgctxt, e.msgid) not in ours]
    untranslated = [k[1] for k, e in ours.items() if not e.translated() or "fuzzy" in e.flags]
    assert missing == [], "new strings: run `make messages` and translate them"
    assert untranslated == []
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    stale = [k[1] for k, e in ours.items() if compiled.get(k) != (e.msgstr, e.msgstr_plural)]
    assert stale == [], "locale/cy/LC_MESSAGES/django.mo is out of date: run `make messages`"
    # The British English catalogue: the same strings, each its own translation (it only saves Django looking for
    # it down its fallback catalogues), and compiled.
    english = ROOT / "locale" / "en_GB" / "LC_MESSAGES"
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(english / "django.mo"))}
    assert {key for key in ours} == {key for key in compiled if key[1]}, "run `make messages`"
    not_itself = [key[1] for key, (text, plural) in compiled.items() if key[1] and
                  (text != key[1] if not plural else plural != {0: key[1], 1: ours[key].msgid_plural})]  # fmt: skip
    assert not_itself == []


# ---- Welsh schemes, Welsh speakers: emails, the survey, reports ---------------------------------------------------


def _welsh_scheme(side):
    type(side.scheme).objects.filter(pk=side.scheme.pk).update(nation="wales")
    side.scheme.refresh_from_db()
    return side.scheme


def _tell(side, recipient):
    from functools import partial

    from django.utils.translation import gettext_lazy

    from schemes.i18n import day, later
    from schemes.services import notification_create

    return notification_create(
        scheme=side.scheme, recipient=recipient, link="/somewhere/",
        subject=later(gettext_lazy("The annual review of %(household)s is due by %(date)s."), household="Morgan",
                      date=partial(day, datetime.date(2026, 12, 3))),
        body=later(gettext_lazy("Please read them before the panel.")),
    )  # fmt: skip


def test_a_welsh_scheme_emails_in_welsh_then_english_and_the_app_shows_each_persons_own(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    _welsh_scheme(world.a)
    worker = world.a.user(Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        note = _tell(world.a, worker)
    assert note.subject == "The annual review of Morgan is due by 3 December 2026.", "the app: their own language"
    [email] = mailoutbox
    welsh = "Mae adolygiad blynyddol Morgan yn ddyledus erbyn 3 Rhagfyr 2026."
    assert email.subject == welsh + " / " + note.subject
    assert email.body.index(welsh) < email.body.index(note.subject), "Welsh first"
    assert "Darllenwch nhw cyn y panel." in email.body and "Please read them before the panel." in email.body
    page = email.alternatives[0][0]
    assert '<html lang="cy">' in page and '<div lang="cy">' in page and '<div lang="en-gb">' in page


def test_in_england_a_carer_who_chose_welsh_gets_welsh_only(world, mailoutbox, django_capture_on_commit_callbacks):
    carer = world.a.user(Role.CARER)
    User.objects.filter(pk=carer.pk).update(preferred_language="cy")
    carer.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        note = _tell(world.a, carer)
    assert note.subject == "Mae adolygiad blynyddol Morgan yn ddyledus erbyn 3 Rhagfyr 2026."
    [email] = mailoutbox
    assert email.subject == note.subject and "Please read" not in email.body


def test_a_scheme_in_wales_may_choose_each_persons_own_language(world, mailoutbox, django_capture_on_commit_callbacks):
    scheme = _welsh_scheme(world.a)
    type(scheme).objects.filter(pk=scheme.pk).update(email_languages="own")
    world.a.scheme.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _tell(world.a, world.a.user(Role.COORDINATOR))
    [email] = mailoutbox
    assert email.subject == "The annual review of Morgan is due by 3 December 2026."


def test_an_enquiry_to_a_welsh_scheme_is_thanked_in_both_languages(client, world, mailoutbox,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    _welsh_scheme(world.a)
    form = {"name": "Bethan Pritchard", "email": "bethan@example.org", "phone": "", "postcode": "cf10 1aa",
            "message": "", "website": ""}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("carers:public_enquiry", args=[world.a.scheme.slug]), form)
    thanks = next(m for m in mailoutbox if m.to == ["bethan@example.org"])
    assert thanks.subject.startswith("Diolch am eich diddordeb") and "Thank you for your interest" in thanks.subject
    assert thanks.body.index("Annwyl Bethan Pritchard") < thanks.body.index("Dear Bethan Pritchard")


def test_the_survey_is_in_welsh_when_the_person_switches_to_welsh(client, world):
    from django_scopes import scope

    from outcomes import services

    with scope(scheme=world.a.scheme):
        _survey, token = services.survey_create(scheme=world.a.scheme, person=world.a.person, by=None)
    client.post(reverse("language_set"), {"language": "cy", "next": "/"})
    client.post(reverse("survey_start", args=[token]), {"help_mode": "carer"})
    page = client.get(reverse("survey_step", args=[token, 1])).content.decode()
    assert "Fy mywyd cymdeithasol" in page and "Mynd allan a gweld pobl." in page
    assert "Dau berson yn chwerthin" in page, "the picture's text alternative too"
    assert "Cwestiwn 1 o 11" in page and "Dydw i ddim eisiau ateb" in page


def test_a_manager_downloads_a_report_in_welsh(client, world):
    from tests.test_carers import pdf_text

    if not shutil.which("pdftotext"):
        skip_or_fail("pdftotext is not installed (apt-get install -y poppler-utils)")
    client.force_login(world.a.user(Role.REGISTERED_MANAGER))
    assert 'name="language"' in client.get(reverse("reports:index", args=[world.a.scheme.slug])).content.decode()
    response = client.get(reverse("reports:pdf", args=[world.a.scheme.slug]),
                          {"report": "overview", "period": "month", "start": "2026-03", "language": "cy"})  # fmt: skip
    text = pdf_text(response.content)
    assert "Trosolwg o'r cynllun" in text and "Mawrth 2026" in text and "Atgyfeiriadau wedi dod i law" in text
    assert "Referrals received" not in text


def test_an_easy_read_letter_about_their_arrangement_for_the_person_in_english_or_welsh(client, world):
    from django_scopes import scopes_disabled

    from schemes.models import AuditEvent
    from tests.test_carers import pdf_text

    if not shutil.which("pdftotext"):
        skip_or_fail("pdftotext is not installed (apt-get install -y poppler-utils)")
    arrangement = world.a.arrangement
    client.force_login(world.a.user(Role.COORDINATOR))
    page = client.get(arrangement.get_absolute_url()).content.decode()
    url = reverse("matching:arrangement_letter", args=[world.a.scheme.slug, arrangement.pk])
    assert f"{url}?language=cy" in page and f"{url}?language=en-gb" in page

    english = " ".join(pdf_text(client.get(url, {"language": "en-gb"}).content).split())
    person, household = arrangement.person, arrangement.household
    assert f"Hello {person.preferred_name or person.given_name}" in english
    assert household.name in english and "phone 999" in english
    assert "Care Quality Commission" in english, "who else they can tell"
    welsh = " ".join(pdf_text(client.get(url, {"language": "cy"}).content).split())
    assert f"Helo {person.preferred_name or person.given_name}" in welsh and "ffoniwch 999" in welsh
    assert "Arolygiaeth" not in welsh and "Comisiwn Ansawdd Gofal" in welsh, "England's regulator, in Welsh"
    with scopes_disabled():
        assert AuditEvent.objects.filter(what="easy-read letter (PDF)", person=person).count() == 2


def test_choosing_welsh_on_the_sign_in_page_carries_on_after_signing_in(client, world):
    user = world.a.user(Role.COORDINATOR)
    client.post(reverse("language_set"), {"language": "cy", "next": reverse("login")})
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    user.refresh_from_db()
    assert user.preferred_language == "cy"
    assert "Gosod mewngofnodi dau gam" in client.get(reverse("two_factor")).content.decode()
