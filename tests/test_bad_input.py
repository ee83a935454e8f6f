"""Every form of every scheme page, found from the URL configuration, against bad input (SECURITY.md, Input):
empty required fields, 10,000 characters, script tags, SQL-looking text and non-Latin names. Each must give a clear
message next to the field (never a server error), save nothing when refused, and show back what was typed escaped.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.urls import resolve
from django.views.generic.edit import FormMixin

from tests.test_tenancy_matrix import URLS, database_snapshot, role_allowed, url_for

SCRIPT = "<script>alert('owned')</script>"
SQL = "Robert'); DROP TABLE schemes_person;--"
NAMES = "Siân Llŷr-Ó'Connor Zażółć Gęślą محمد"


def _form_view(scheme_url, world) -> type | None:
    view_class = getattr(resolve(url_for(scheme_url, world.a)).func, "view_class", None)
    return view_class if view_class is not None and issubclass(view_class, FormMixin) else None


def _text_fields(form) -> list[str]:
    """Fields a person types words into (not choices, numbers or dates)."""
    return _typed_into(form.fields)


def _typed_into(fields) -> list[str]:
    return [
        name
        for name, field in fields.items()
        if type(field) in (forms.CharField, forms.EmailField, forms.SlugField, forms.RegexField)
        and not isinstance(field.widget, forms.HiddenInput | forms.PasswordInput)
    ]


def _initial_data(form) -> dict:
    """What the form would send untouched: each field's shown value."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, datetime):
            data[name] = value.strftime("%Y-%m-%dT%H:%M")
        elif isinstance(value, date | Decimal | int | float):
            data[name] = str(value)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    return data


def _is_button(form) -> bool:
    """A button on another page (its required fields are hidden): a refusal goes back there with a message."""
    required = [name for name, field in form.fields.items() if field.required]
    return bool(required) and all(isinstance(form.fields[name].widget, forms.HiddenInput) for name in required)


def _refused_back_with_a_message(response) -> bool:
    return response.status_code == 302 and bool(list(get_messages(response.wsgi_request)))


def _raw_script_in(response) -> bool:
    return SCRIPT in response.content.decode()


@pytest.fixture
def form_page(client, world, request):
    scheme_url = request.param
    if _form_view(scheme_url, world) is None:
        pytest.fail(f"{scheme_url} is not a form view")
    url = url_for(scheme_url, world.a)
    client.force_login(world.a.user(role_allowed(scheme_url.permission)))
    page = client.get(url)
    assert page.status_code == 200
    return url, page.context["form"]


def _form_urls():
    """Scheme URLs whose view is a Django form view (the world is not built yet at collection, so check classes)."""
    from django.urls import get_resolver

    from tests.url_matrix import _walk

    views = {
        name: getattr(entry.callback, "view_class", object) for name, entry, _ in _walk(get_resolver().url_patterns)
    }
    return [u for u in URLS if issubclass(views[u.name], FormMixin)], [
        u
        for u in URLS
        if issubclass(views[u.name], FormMixin)
        and getattr(views[u.name], "form_class", None) is not None
        and _typed_into(views[u.name].form_class.base_fields)
    ]


FORM_URLS, TEXT_FORM_URLS = _form_urls()


def test_the_forms_are_found():
    assert len(FORM_URLS) >= 45 and len(TEXT_FORM_URLS) >= 30, [u.name for u in TEXT_FORM_URLS]


@pytest.mark.parametrize("form_page", FORM_URLS, ids=str, indirect=True)
def test_an_empty_form_says_what_is_missing_and_saves_nothing(client, form_page):
    url, form = form_page
    required = [name for name, field in form.fields.items() if field.required]
    before = database_snapshot()
    response = client.post(url, {})
    assert response.status_code < 500
    if _is_button(form):
        assert _refused_back_with_a_message(response), "refused without a word"
        assert database_snapshot() == before
    elif required:
        assert response.status_code in (200, 400), f"accepted with {required} empty"
        page = response.content.decode()
        assert 'id="error-summary"' in page and "This field is required." in page
        assert database_snapshot() == before


@pytest.mark.parametrize("form_page", TEXT_FORM_URLS, ids=str, indirect=True)
def test_ten_thousand_characters_or_more_than_the_limit_are_refused_by_the_field(client, form_page):
    """Every text field has a limit; 10,000 characters, or one more than a longer limit (an assessment report may
    run to 20,000), is refused with a message."""
    url, form = form_page
    text = _text_fields(form)
    unlimited = [name for name in text if form.fields[name].max_length is None]
    assert unlimited == [], "text fields with no limit"
    too_long = {name: "x" * max(10_000, form.fields[name].max_length + 1) for name in text}
    before = database_snapshot()
    response = client.post(url, {**_initial_data(form), **too_long})
    if _is_button(form):
        assert _refused_back_with_a_message(response)
    else:
        assert response.status_code in (200, 400), "10,000 characters were accepted"
        assert "Ensure this value has at most" in response.content.decode()
    assert database_snapshot() == before


@pytest.mark.parametrize("form_page", TEXT_FORM_URLS, ids=str, indirect=True)
@pytest.mark.parametrize("typed", [SCRIPT, SQL, NAMES], ids=["script", "sql", "non-latin"])
def test_script_sql_and_non_latin_text_is_kept_as_text_and_shown_escaped(client, form_page, typed):
    url, form = form_page
    text = _text_fields(form)
    before = database_snapshot()
    response = client.post(url, {**_initial_data(form), **dict.fromkeys(text, typed)})
    assert response.status_code < 500
    if response.status_code in (200, 400):
        assert not _raw_script_in(response)
        assert response.context["form"].errors, "shown again without saying why"
        assert database_snapshot() == before, "refused, yet something was saved"
    else:
        assert response.status_code == 302
        shown = client.get(response["Location"])
        assert shown.status_code < 500 and not _raw_script_in(shown)
