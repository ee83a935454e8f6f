"""Choice labels without Django's per-call cost.

Django's `get_<field>_display()` rebuilds a dictionary of every choice on every call and hashes each label to do it;
a label is a lazy translation, so hashing it translates it. A list of 25 households showing their stage translated
every stage name for every row (about 300 translations a page). Here each field's value -> label map is built once,
when the app starts (the labels stay lazy, so it is right in every language), and each call translates only its own
label.
"""

from functools import partialmethod

from django.apps import apps
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str


def choice_display(instance, field, labels: dict):
    value = getattr(instance, field.attname)
    try:
        label = labels.get(value, value)
    except TypeError:  # a value that cannot be a key: Django's way
        return instance._get_FIELD_display(field)
    return force_str(label, strings_only=True)


def install() -> None:
    """Give every model's `get_<field>_display()` the quick lookup, unless the model wrote its own. Choices worked
    out on each call (a callable) and choices whose values cannot be keys keep Django's way."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            if field.choices is None or isinstance(field.choices, CallableChoiceIterator):
                continue
            if not isinstance(model.__dict__.get(name), partialmethod):
                continue
            try:
                labels = dict(field.flatchoices)
            except TypeError:
                continue
            setattr(model, name, partialmethod(choice_display, field=field, labels=labels))
