"""Two-factor pages: verify a code after the password, enrol an authenticator
app (QR code or secret) and get recovery codes. Rules in ``desk.two_factor``."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from desk.exceptions import TwoFactorThrottled
from desk.two_factor import (
    recovery_codes_left,
    two_factor_enrol,
    two_factor_enrolled,
    two_factor_required,
    two_factor_setup_start,
    two_factor_verify,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Code",
        help_text="The 6 digits your authenticator app shows now, or one of "
        "your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True}
        ),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/desk/"


@never_cache
@staff_member_required
def two_factor_verify_page(request):
    if not two_factor_enrolled(request.user):
        return redirect("desk:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_verify(
                user=request.user, token=form.cleaned_data["code"]
            )
        except TwoFactorThrottled as wait:
            form.add_error("code", str(wait))
            device = None
        if device is not None:
            otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(
                    request,
                    f"Recovery code used: {recovery_codes_left(request.user)} left. "
                    "Set up your app again to get new ones.",
                )
            return redirect(_next(request))
        elif not form.errors:
            form.add_error(
                "code",
                "That code is not right, or was used already. App codes change "
                "every 30 seconds.",
            )
    return render(
        request,
        "desk/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@staff_member_required
def two_factor_setup_page(request):
    enrolled = two_factor_enrolled(request.user)
    if enrolled and not request.user.is_verified():
        return redirect("desk:two_factor_verify")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = two_factor_enrol(user=request.user, token=form.cleaned_data["code"])
        except TwoFactorThrottled as wait:
            form.add_error("code", str(wait))
            done = None
        if done is not None:
            device, codes = done
            otp_login(request, device)
            return render(
                request,
                "desk/two_factor_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        elif not form.errors:
            form.add_error(
                "code", "That code is not right. Check the app's clock and try again."
            )
    pending = two_factor_setup_start(user=request.user)
    return render(
        request,
        "desk/two_factor_setup.html",
        {
            "form": form,
            "enrolled": enrolled,
            "required": two_factor_required(request.user),
            "secret": pending.secret,
            "qr_code": segno.make(pending.config_url).svg_inline(scale=4),
            "next": _next(request),
        },
        status=400 if request.method == "POST" else 200,
    )
