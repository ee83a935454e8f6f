"""How form widgets are drawn: Django's own Jinja2 widget templates, the same markup as its default ones (drawing a
widget in Django's template language took about a third of a long form's time), except a few kept in templates/jinja2/
that draw the same markup with less work. A select there writes each option itself instead of including a template
for the option and another for its attributes: a list's filter selects have dozens of options, on every page of the
list. tests/test_forms_markup.py requires identical markup."""

from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import Jinja2
from django.utils.functional import cached_property


class WidgetRenderer(Jinja2):
    @cached_property
    def engine(self):
        django_widgets = Path(django.forms.__file__).parent / "jinja2"
        return self.backend(
            {"APP_DIRS": False, "DIRS": [settings.BASE_DIR / "templates" / "jinja2", django_widgets],
             "NAME": "djangoforms", "OPTIONS": {}}
        )  # fmt: skip
