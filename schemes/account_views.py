"""Your own account: the second sign-in step (set up, asked for, backup codes). Not tied to one scheme."""

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.i18n import set_language

from . import twofactor
from .audit import audit_record
from .i18n import remember_language
from .models import AuditEvent


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy("The 6 numbers your authenticator app shows now, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _qr_svg(device) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, svgclass="qr-code", lineclass=None)
    label = _("QR code to scan with your authenticator app")
    return mark_safe(svg.replace("<svg ", format_html('<svg role="img" aria-label="{}" ', label), 1))  # noqa: S308


def _key_in_groups(device) -> str:
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


class TwoFactorView(LoginRequiredMixin, View):
    """Asks for the code after the password; sets up an app first for someone who has none."""

    template_name = "registration/two_factor.html"

    def get(self, request):
        return self._page(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        setting_up = not twofactor.has_app(request.user)
        if form.is_valid() and twofactor.check_code(request.user, form.cleaned_data["code"], confirming=setting_up):
            twofactor.mark_done(request)
            if setting_up:
                audit_record(user=request.user, scheme=None, action=AuditEvent.Action.CHANGED, obj=request.user,
                             what="two-step sign-in set up")  # fmt: skip
                codes = twofactor.new_backup_codes(request.user)
                return render(request, "registration/backup_codes.html", {"codes": codes, "next": _next_url(request)})
            left = twofactor.backup_codes_left(request.user)
            if left <= 2:
                messages.warning(request, _("You have %(n)s backup codes left. Make new ones on “Two-step sign-in”.")
                                 % {"n": left})  # fmt: skip
            return redirect(_next_url(request))
        if form.is_valid():
            form.add_error("code", _("That code is not right, or has been used already. Wait for a new code and try "
                                     "again; after several wrong codes each try waits a little longer."))  # fmt: skip
            audit_record(user=request.user, scheme=None, action=AuditEvent.Action.SIGN_IN_FAILED,
                         what="second sign-in step", description=request.user.email)  # fmt: skip
        return self._page(request, form, status=400)

    def _page(self, request, form, status=200):
        context = {"form": form, "next": _next_url(request), "owes": twofactor.owes_second_step(request)}
        if not twofactor.has_app(request.user):
            device = twofactor.enrolment_device(request.user)
            context.update(setting_up=True, qr=_qr_svg(device), key=_key_in_groups(device))
            form.fields["code"].help_text = _("The 6 numbers your authenticator app shows now.")
        return render(request, self.template_name, context, status=status)


class AccountSecurityView(LoginRequiredMixin, View):
    """Two-step sign-in for your own account: whether it is on, backup codes left, and new backup codes."""

    def get(self, request):
        user = request.user
        return render(request, "registration/account_security.html", {
            "has_app": twofactor.has_app(user),
            "required": twofactor.required_for(user),
            "codes_left": twofactor.backup_codes_left(user),
        })  # fmt: skip


class BackupCodesView(LoginRequiredMixin, View):
    """Ten new backup codes (the old ones stop working), shown once. Only after the second step today."""

    def post(self, request):
        if not twofactor.has_app(request.user) or twofactor.owes_second_step(request):
            return redirect("two_factor")
        codes = twofactor.new_backup_codes(request.user)
        audit_record(user=request.user, scheme=None, action=AuditEvent.Action.CHANGED, obj=request.user,
                     what="new backup codes")  # fmt: skip
        return render(request, "registration/backup_codes.html", {"codes": codes, "next": "/"})


def language_set(request):
    """The language switch on every page. Django's own view checks the language and the page to go back to, and sets
    the cookie; someone signed in also keeps the choice on their account, so every device and every email follows it."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        remember_language(request.user, request.POST.get("language", ""))
    return response
