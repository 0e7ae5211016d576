"""The admin and the desk refuse a staff session without its second factor.

After the password, a user who has enrolled (or must, ``TWO_FACTOR_REQUIRED_ROLES``)
is sent to the code page, or to enrol, until the session is verified: a
redirect, never an error page. That holds for the admin, the desk and the
staff preview of stories; sign-in, sign-out, the two-factor pages themselves
and the public site stay open.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from desk.two_factor import two_factor_enrolled, two_factor_required


def _is_staff_preview(path_info: str) -> bool:
    """The reader's live preview of any story: a staff page outside both."""
    try:
        return resolve(path_info).view_name == "reader:staff_preview"
    except Resolver404:
        return False


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = self._refusal(request)
        if target:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{target}?{query}")
        return self.get_response(request)

    @staticmethod
    def _refusal(request) -> str:
        """Where to send the request instead, or "" to let it through."""
        user = request.user
        if not user.is_authenticated or not user.is_staff or user.is_verified():
            return ""
        path = request.path
        guarded = path.startswith(
            (reverse("admin:index"), reverse("desk:queue"))
        ) or _is_staff_preview(request.path_info)
        open_paths = (
            reverse("admin:login"),
            reverse("admin:logout"),
            reverse("desk:two_factor_verify"),
            reverse("desk:two_factor_setup"),
        )
        if not guarded or path in open_paths:
            return ""
        if two_factor_enrolled(user):
            return reverse("desk:two_factor_verify")
        if two_factor_required(user):
            return reverse("desk:two_factor_setup")
        return ""
