"""Two-factor authentication of staff (#12.8): enrolment with a QR code or
secret, recovery codes, the code asked after the password, and the admin and
the desk refusing an unverified session when the role requires it."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from desk.two_factor import two_factor_enrol, two_factor_setup_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETUP = reverse("desk:two_factor_setup")
VERIFY = reverse("desk:two_factor_verify")


def app_code(device: TOTPDevice, ahead: int = 0) -> str:
    """What the user's app shows now; with ``ahead``, the code of the step
    after the last one used (not used yet, and within the device's tolerance
    of one step whenever the test crosses a 30-second boundary)."""
    if not ahead:
        return f"{totp(device.bin_key):06d}"
    device.refresh_from_db()
    code = TOTP(device.bin_key, device.step, device.t0, device.digits)
    code.time = (device.last_t + ahead) * device.step + device.t0
    return f"{code.token():06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    pending = two_factor_setup_start(user=user)
    return two_factor_enrol(user=user, token=app_code(pending.device))


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["publisher", "admin"]
    # The wait after a wrong code has its own test, without a clock.
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_a_publisher_enrols_before_using_the_desk_or_the_admin(
    client, publisher, required
):
    client.force_login(publisher)
    for page in (
        "/desk/",
        "/admin/",
        "/admin/desk/errorreport/",
        "/stories/1/preview/",
    ):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{SETUP}?next=")
    refused_post = client.post("/desk/notifications/")
    assert refused_post.status_code == 302 and SETUP in refused_post["Location"]

    setup = client.get(f"{SETUP}?next=/admin/")
    assert setup.status_code == 200
    text = setup.content.decode()
    device = TOTPDevice.objects.get(user=publisher, confirmed=False)
    assert "<svg" in text and re.search(r"Secret: <code>[A-Z2-7]{32}</code>", text)
    assert client.get(SETUP).context["secret"] == setup.context["secret"]

    wrong = client.post(SETUP, {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    done = client.post(SETUP, {"code": app_code(device), "next": "/admin/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert client.get("/desk/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_after_the_password_an_enrolled_user_is_asked_for_a_code(
    client, publisher, required
):
    device, _ = enrol(publisher)
    signed_in = client.post(
        reverse("admin:login"),
        {"username": "publisher", "password": "pw-for-tests", "next": "/admin/"},
    )
    assert signed_in.status_code == 302
    refused = client.get("/admin/")
    assert refused.status_code == 302
    assert refused["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.get(refused["Location"]).status_code == 200
    wrong = client.post(VERIFY, {"code": "123456", "next": "/admin/"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    verified = client.post(VERIFY, {"code": app_code(device, 1), "next": "/admin/"})
    assert verified.status_code == 302 and verified["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/desk/").status_code == 200


def test_a_recovery_code_signs_in_once(client, publisher, required):
    _, codes = enrol(publisher)
    client.force_login(publisher)
    verified = client.post(VERIFY, {"code": codes[0], "next": "/desk/"})
    assert verified.status_code == 302 and verified["Location"] == "/desk/"
    assert StaticToken.objects.filter(device__user=publisher).count() == 9
    client.logout()
    client.force_login(publisher)
    again = client.post(VERIFY, {"code": codes[0], "next": "/desk/"})
    assert again.status_code == 400
    assert client.get("/desk/").status_code == 302


def test_superusers_are_held_too_and_other_roles_may_choose(client, editor, required):
    admin = UserFactory(username="root", is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/")["Location"].startswith(SETUP)
    client.force_login(editor)
    assert client.get("/desk/").status_code == 200
    assert client.get(SETUP).status_code == 200  # editors may enrol
    device = TOTPDevice.objects.get(user=editor)
    assert client.post(SETUP, {"code": app_code(device)}).status_code == 200
    client.logout()
    client.force_login(editor)  # a new session: enrolled, so asked for a code
    assert client.get("/desk/")["Location"].startswith(VERIFY)


def test_staff_makes_it_everyones_and_an_empty_setting_no_ones(
    client, reporter, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["staff"]
    client.force_login(reporter)
    assert client.get("/desk/")["Location"].startswith(SETUP)
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    assert client.get("/desk/").status_code == 200


def test_the_verify_page_does_not_send_a_user_elsewhere(client, publisher, required):
    device, _ = enrol(publisher)
    client.force_login(publisher)
    response = client.post(
        VERIFY, {"code": app_code(device, 1), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/desk/"


def test_public_pages_need_no_second_factor(client, publisher, required):
    enrol(publisher)
    client.force_login(publisher)
    assert client.get("/methodology/").status_code == 200


def test_after_a_wrong_code_even_the_right_one_waits_and_the_page_says_so(
    client, publisher, required, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600
    device, _ = enrol(publisher)
    client.force_login(publisher)
    client.post(VERIFY, {"code": "000000"})
    refused = client.post(VERIFY, {"code": app_code(device, 1)})
    assert refused.status_code == 400
    assert "Too many wrong codes: wait until" in refused.content.decode()
    assert client.get("/desk/").status_code == 302
