"""Subject access: everything the scheme holds about one person, as a readable PDF and machine-readable JSON.

Each app knows what it holds, so each registers a part in its AppConfig.ready() (imports still point one way):
a function `part(person) -> {model label: queryset, or (queryset, field names) to give only those fields}`.
`gather` turns every row into plain values (choices in words, dates as ISO 8601), one query per model. A test
walks every model linked to a person, however indirectly, and fails if one is in no part, so a new model cannot be
left out of an export.
"""

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, ImportantPlace, Person

_parts: list[Callable[[Person], dict[str, models.QuerySet]]] = []

# Never exported: secrets that are not information about the person, and the scheme (named once, at the top).
HIDDEN_FIELDS = {"token_hash", "scheme"}


def register(part: Callable[[Person], dict[str, models.QuerySet]]) -> None:
    if part not in _parts:
        _parts.append(part)


def schemes_part(person: Person) -> dict[str, models.QuerySet]:
    return {
        "schemes.Person": Person.objects.filter(pk=person.pk),
        "schemes.ImportantPlace": ImportantPlace.objects.filter(person=person),
        "schemes.AuditEvent": AuditEvent.objects.filter(person=person).select_related("user"),
    }


def parts(person: Person):
    """(model label, queryset or (queryset, field names)) for everything held about the person, app by app."""
    for part in [schemes_part, *_parts]:
        yield from part(person).items()


def gather(person: Person) -> dict:
    """{"person": name, "scheme": ..., "made_at": ..., "sections": [{"model", "title", "records": [{label: value}]}]}"""
    sections = []
    for label, given in parts(person):
        queryset, only = given if isinstance(given, tuple) else (given, None)
        model = queryset.model
        fields = [f for f in model._meta.concrete_fields
                  if f.name not in HIDDEN_FIELDS and (only is None or f.name in only)]  # fmt: skip
        records = [{str(f.verbose_name): _plain(obj, f) for f in fields} for obj in queryset.order_by("pk")]
        sections.append({"model": label, "title": str(model._meta.verbose_name_plural).capitalize(),
                         "records": records})  # fmt: skip
    return {
        "person": f"{person.given_name} {person.family_name}",
        "person_id": person.pk,
        "scheme": person.scheme.name,
        "made_at": timezone.now().isoformat(timespec="seconds"),
        "sections": sections,
    }


def readable(data: dict) -> list[dict]:
    """The sections for the PDF: yes/no for true/false, lists joined with commas, a dash for nothing."""

    def words(value):
        if value is True or value is False:
            return _("Yes") if value else _("No")
        if isinstance(value, list):
            return ", ".join(str(item) for item in value) or "—"
        if isinstance(value, dict):
            return "; ".join(f"{key}: {item}" for key, item in value.items()) or "—"
        return "—" if value is None or value == "" else value

    return [{**section, "records": [{label: words(value) for label, value in record.items()}
                                    for record in section["records"]]} for section in data["sections"]]  # fmt: skip


def export_zip(person: Person, *, pdf: bytes, data: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"subject-access-{person.pk}.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr(f"subject-access-{person.pk}.pdf", pdf)
    return buffer.getvalue()


def _plain(obj, field):
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return None
        cached = field.get_cached_value(obj, None)  # named in words when the part selected it
        return str(cached) if cached is not None else f"{field.related_model._meta.verbose_name} {related_id}"
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    value = getattr(obj, field.attname)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value
