"""Evidence uploads: size and type checked by content, safe names, private storage, permission-checked download."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from carers.models import Check
from schemes.permissions import Role
from schemes.uploads import MAX_UPLOAD_BYTES, check_upload
from tests.factories import PDF_BYTES, MemberFactory

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100
HEIC = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 100


@pytest.mark.parametrize(
    ("name", "data", "content_type", "display"),
    [
        ("DBS certificate.pdf", PDF_BYTES, "application/pdf", "DBS_certificate.pdf"),
        ("IMG_0042.JPG", JPEG, "image/jpeg", "IMG_0042.JPG"),
        ("photo.heic", HEIC, "image/heic", "photo.heic"),
        ("../../etc/passwd.pdf", PDF_BYTES, "application/pdf", "passwd.pdf"),
        ("C:\\Users\\me\\tystysgrif nwy.pdf", PDF_BYTES, "application/pdf", "tystysgrif_nwy.pdf"),
        ("looks-like.png", PDF_BYTES, "application/pdf", "looks-like.pdf"),
    ],
)
def test_type_comes_from_the_content_and_names_are_made_safe(name, data, content_type, display):
    checked = check_upload(SimpleUploadedFile(name, data), folder="evidence/1")
    assert (checked.content_type, checked.display_name) == (content_type, display)
    assert checked.storage_name.startswith("evidence/1/") and ".." not in checked.storage_name


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 not really a pdf", "Please upload a PDF, or a photo"),
        ("page.html", b"<html><script>alert(1)</script>", "Please upload a PDF, or a photo"),
        ("huge.pdf", PDF_BYTES + b"0" * MAX_UPLOAD_BYTES, "too big"),
    ],
)
def test_wrong_types_and_oversized_files_are_refused(name, data, message):
    with pytest.raises(ValidationError, match=message):
        check_upload(SimpleUploadedFile(name, data), folder="evidence/1")


def test_a_coordinator_uploads_a_dbs_certificate_and_a_read_only_colleague_downloads_it(client, world):
    carer = MemberFactory(household=world.a.household, full_name="Sarah Hughes")
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("carers:check_add", args=["alpha", world.a.household.pk])
    done = (timezone.localdate() - timedelta(days=10)).isoformat()
    data = {"kind": "dbs", "member": carer.pk, "done_on": done, "is_clear": "on",
            "evidence": SimpleUploadedFile("dbs scan.pdf", PDF_BYTES, content_type="application/pdf")}  # fmt: skip
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        check = Check.objects.get(kind="dbs", member=carer)
    assert check.evidence_name == "dbs_scan.pdf" and "dbs scan" not in check.evidence.name

    client.force_login(world.a.user(Role.READ_ONLY))
    response = client.get(reverse("carers:check_evidence", args=["alpha", check.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="dbs_scan.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_bad_upload_is_explained_by_the_field_and_nothing_is_saved(client, world):
    carer = MemberFactory(household=world.a.household)
    client.force_login(world.a.user(Role.COORDINATOR))
    url = reverse("carers:check_add", args=["alpha", world.a.household.pk])
    data = {"kind": "dbs", "member": carer.pk, "done_on": timezone.localdate().isoformat(), "is_clear": "on",
            "evidence": SimpleUploadedFile("cert.pdf", b"GIF89a fake", content_type="application/pdf")}  # fmt: skip
    response = client.post(url, data)
    assert response.context["form"].errors["evidence"] == ["Please upload a PDF, or a photo (JPEG, PNG or HEIC)."]
    with scopes_disabled():
        assert not Check.objects.filter(kind="dbs", member=carer).exists()


def test_uploaded_files_are_not_under_the_static_or_public_web_root(settings):
    from django.conf import settings as django_settings

    from sharedlives.settings import base

    private = base.STORAGES["default"]["OPTIONS"]["location"]
    assert str(private).startswith(str(base.VAR_DIR))
    assert not str(private).startswith(str(django_settings.STATIC_ROOT))
    assert not hasattr(base, "MEDIA_URL") or not base.MEDIA_URL
