"""`{% translate %}` in every template is Django's, with a plain one remembering its words in each language
(schemes/templatetags/i18n_remembered.py): it must give exactly what Django's own tag gives, in English and Welsh,
the first time and every time after."""

import pytest
from django.template import Context, Engine, engines
from django.templatetags import i18n as django_i18n
from django.test import override_settings
from django.utils import translation

from schemes.templatetags import i18n_remembered

SOURCE = (
    '{% load i18n %}[{% translate "Home insurance" %}][{% trans "Save" %}][{% translate "Tom & Jerry <b>" %}]'
    '[{% translate "100%% sure" %}][{% translate "Home insurance" as words %}{{ words }}]'
    '[{% translate "May" context "month name" %}][{% translate "Save" noop %}][{% translate "Save"|upper %}]'
    "[{% translate what %}][{% language 'cy' %}{% translate \"Home insurance\" %}{% endlanguage %}]"
)
CONTEXT = {"what": "Home insurance"}
PLAIN = '{% load i18n %}{% translate "Home insurance" %}'


def djangos_own(source: str = SOURCE) -> str:
    """The template through Django's i18n library, as it was before."""
    engine = Engine(libraries={"i18n": "django.templatetags.i18n"})
    return engine.from_string(source).render(Context(CONTEXT))


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_every_kind_of_translate_tag_gives_what_djangos_gives_the_first_time_and_after(language):
    with translation.override(language):
        expected = djangos_own()
        template = engines["django"].from_string(SOURCE)
        assert template.render(CONTEXT) == expected
        assert template.render(CONTEXT) == expected  # from what the tags remembered


def test_the_words_follow_the_language_of_each_page():
    template = engines["django"].from_string(PLAIN)
    with translation.override("en-gb"):
        english = template.render({})
    with translation.override("cy"):
        welsh = template.render({})
    with translation.override("en-gb"):
        assert template.render({}) == english == "Home insurance"
    assert welsh not in ("", english)


def test_only_plain_tags_remember():
    nodes = engines["django"].from_string(SOURCE).template.nodelist.get_nodes_by_type(django_i18n.TranslateNode)
    remembering = [node for node in nodes if type(node) is i18n_remembered.TranslateNode]
    assert len(remembering) == 5  # the plain ones (one inside {% language %}); as, context, noop, a filter, a variable
    assert len(nodes) == 5 + 5  # ...are Django's own


def test_a_change_of_catalogues_forgets_what_was_remembered():
    template = engines["django"].from_string(PLAIN)
    with translation.override("cy"):
        welsh = template.render({})
    with override_settings(LOCALE_PATHS=[]), translation.override("cy"):
        # Welsh still, but without our catalogue: Django's words, not the ones remembered
        assert template.render({}) == djangos_own(PLAIN) == "Home insurance" != welsh
    with translation.override("cy"):
        assert template.render({}) == welsh


def test_i18n_is_the_only_template_library_label_used_twice():
    """Django's templates.W003, silenced for "i18n" (settings), still holds for every other label."""
    from collections import defaultdict

    from django.template.backends.django import get_template_tag_modules

    modules = defaultdict(set)
    for name, path in [*get_template_tag_modules(), *engines["django"].engine.libraries.items()]:
        modules[name].add(path)
    assert {name: paths for name, paths in modules.items() if len(paths) > 1} == {
        "i18n": {"django.templatetags.i18n", "schemes.templatetags.i18n_remembered"}
    }
