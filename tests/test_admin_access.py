"""Who reaches the admin: password and authenticator code, lockout, login log lines, sessions
that end, __Host- cookies and a movable admin address (issue #11, hardening)."""

import datetime
import io
import logging
import re
from base64 import b32decode
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from aim_privacy.security import client_hash, client_pseudonym
from tests.registry import factories
from tests.subprocess_env import read_json, run_with_env

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Correct-Horse-Battery-42"
WRONG_PASSWORD = "Wrong-Guess-Password-17"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
OFFICE = "198.51.100.10"
ELSEWHERE = "203.0.113.77"
SITE = "https://privacy.example.org"

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(time_machine):
    """Time stands still at START until a test moves it."""
    time_machine.move_to(START, tick=False)
    return time_machine


def make_staff(django_user_model, username, *, group="DPO", device=True):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, is_staff=True
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    if device:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


@pytest.fixture
def officer(django_user_model):
    """A DPO member with a password and an authenticator app."""
    return make_staff(django_user_model, "officer")


def current_code(user):
    """The code the user's authenticator app shows now (django-otp's own TOTP arithmetic)."""
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(client, username, password=PASSWORD, code=None, *, user=None, ip=OFFICE):
    """POST the admin login form as a browser would; `user` computes the current code."""
    if code is None:
        code = current_code(user) if user is not None else "000000"
    return client.post(
        reverse("admin:login"),
        {
            "username": username,
            "password": password,
            "otp_token": code,
            "next": reverse("admin:index"),
        },
        REMOTE_ADDR=ip,
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def reaches_index(client):
    response = client.get(reverse("admin:index"))
    return response.status_code == 200


# --- The second factor ----------------------------------------------------------------------


def test_the_test_settings_keep_the_second_factor_on():
    assert settings.DEBUG is False
    assert settings.ADMIN_OTP_REQUIRED is True


def test_the_login_form_asks_username_password_and_code(clock):
    html = Client().get(reverse("admin:login")).content.decode()
    for name in ("username", "password", "otp_token"):
        assert f'name="{name}"' in html
    assert 'autocomplete="one-time-code"' in html
    assert 'aria-describedby="id_otp_token_helptext"' in html
    assert 'id="id_otp_token_helptext"' in html
    # The portal's CSP allows no inline code.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html and "<style" not in html


def test_password_and_current_code_log_in_and_mark_the_session_verified(clock, officer):
    client = Client()
    response = log_in(client, "officer", user=officer)
    assert logged_in(response)
    device = TOTPDevice.objects.get(user=officer)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert reaches_index(client)


@pytest.mark.parametrize("code", ["", "123", "abcdef", "wrong"])
def test_the_right_password_without_the_right_code_is_refused(clock, officer, code):
    client = Client()
    if code == "wrong":
        right = int(current_code(officer))
        code = f"{(right + 1) % 1_000_000:06d}"
    response = log_in(client, "officer", code=code)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not reaches_index(client)


def test_wrong_password_and_wrong_code_get_the_same_message(clock, officer):
    """The page never tells a password guesser that the password was right."""
    wrong_password = log_in(Client(), "officer", WRONG_PASSWORD, code=current_code(officer))
    right = int(current_code(officer))
    wrong_code = log_in(Client(), "officer", code=f"{(right + 1) % 1_000_000:06d}")
    errors = [r.context["form"].non_field_errors() for r in (wrong_password, wrong_code)]
    assert errors[0] == errors[1]
    assert "code" in str(errors[0])


def test_a_code_works_once_and_its_replay_is_refused(clock, officer):
    code = current_code(officer)
    first = Client()
    assert logged_in(log_in(first, "officer", code=code))
    step = TOTPDevice.objects.get(user=officer).last_t

    clock.shift(5)  # same 30-second step: the app still shows the same code
    assert current_code(officer) == code
    replay = Client()
    response = log_in(replay, "officer", code=code)
    assert response.status_code == 200
    assert not reaches_index(replay)
    assert TOTPDevice.objects.get(user=officer).last_t == step

    clock.shift(30)  # the next code works
    assert logged_in(log_in(Client(), "officer", user=officer))


def test_a_staff_member_without_a_device_cannot_log_in(clock, django_user_model):
    make_staff(django_user_model, "newcomer", device=False)
    client = Client()
    response = log_in(client, "newcomer", code="123456")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session
    assert not reaches_index(client)


def test_a_session_without_the_second_factor_reaches_no_admin_page(client, django_user_model):
    """Even a session logged in some other way (force_login) needs the verified device."""
    newcomer = make_staff(django_user_model, "newcomer", device=False)
    organisation = factories.AimFactory()
    pages = [
        reverse("admin:index"),
        reverse("admin:registry_organisation_changelist"),
        reverse("admin:registry_organisation_change", args=[organisation.pk]),
        reverse("admin:rights_requests_datasubjectrequest_changelist"),
        reverse("admin:otp_totp_totpdevice_changelist"),
    ]
    unverified = Client()
    unverified.force_login(newcomer)
    for page in pages:
        response = unverified.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("admin:login")), page

    # The same person past the second factor (tests/conftest.py's client) sees every page.
    client.force_login(newcomer)
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_a_laptop_with_debug_may_go_without_the_second_factor(settings, django_user_model):
    settings.ADMIN_OTP_REQUIRED = False
    make_staff(django_user_model, "developer", device=False)
    client = Client()
    assert 'name="otp_token"' not in client.get(reverse("admin:login")).content.decode()
    response = client.post(
        reverse("admin:login"),
        {"username": "developer", "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert logged_in(response)
    assert reaches_index(client)


def test_production_refuses_to_run_without_the_second_factor():
    result = run_with_env(
        ["manage.py", "check"],
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="example.org",
        SITE_URL=SITE,
        ADMIN_OTP_REQUIRED="0",
    )
    assert result.returncode == 2
    assert "ADMIN_OTP_REQUIRED cannot be off" in result.stderr


# --- Enrolment ------------------------------------------------------------------------------


def test_add_totp_device_prints_a_qr_code_whose_secret_logs_in(clock, django_user_model):
    user = make_staff(django_user_model, "newcomer", device=False)
    out = io.StringIO()
    call_command("add_totp_device", "newcomer", stdout=out)
    output = out.getvalue()

    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed
    uri = next(line for line in output.splitlines() if line.startswith("otpauth://totp/"))
    assert "▀" in output or "▄" in output  # the QR code, drawn with half blocks
    query = parse_qs(urlsplit(uri).query)
    secret = b32decode(query["secret"][0])
    assert secret == device.bin_key
    assert query["issuer"] == ["AIM-IMA testserver"]

    # What the phone computes from the scanned secret logs in.
    code = f"{TOTP(secret).token():06d}"
    assert logged_in(log_in(Client(), "newcomer", code=code))


def test_add_totp_device_refuses_a_second_device_unless_replace(django_user_model):
    user = make_staff(django_user_model, "officer")
    old = TOTPDevice.objects.get(user=user)
    with pytest.raises(CommandError, match="--replace"):
        call_command("add_totp_device", "officer", stdout=io.StringIO())
    assert list(TOTPDevice.objects.filter(user=user)) == [old]

    call_command("add_totp_device", "officer", "--replace", stdout=io.StringIO())
    new = TOTPDevice.objects.get(user=user)
    assert new.pk != old.pk and new.key != old.key


def test_add_totp_device_is_for_staff_accounts_only(django_user_model):
    django_user_model.objects.create_user(username="reader", password=PASSWORD)
    with pytest.raises(CommandError, match="not a staff account"):
        call_command("add_totp_device", "reader", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No account"):
        call_command("add_totp_device", "nobody", stdout=io.StringIO())
    assert not TOTPDevice.objects.exists()


def test_ensure_local_admin_says_where_the_admin_is_and_how_to_enrol(django_user_model):
    out = io.StringIO()
    call_command("ensure_local_admin", stdout=out)
    assert django_user_model.objects.filter(username="admin", is_superuser=True).exists()
    assert f"/fr/{settings.ADMIN_PATH}" in out.getvalue()
    assert "manage.py add_totp_device admin" in out.getvalue()


def test_the_dpo_sees_and_deletes_devices_but_never_their_key(clock, dpo_client, officer):
    device = TOTPDevice.objects.get(user=officer)
    b32_secret = parse_qs(urlsplit(device.config_url).query)["secret"][0]
    pages = [
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
    ]
    for page in pages:
        response = dpo_client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert "officer" in html
        assert device.key not in html and b32_secret not in html
    assert dpo_client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    assert dpo_client.post(pages[1], {"name": "x", "key": "00" * 20}).status_code == 403

    # A lost phone: the DPO deletes the device; its codes no longer log in.
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert dpo_client.post(delete, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert log_in(Client(), "officer", code="123456").status_code == 200


def test_an_editor_sees_no_device_and_no_lockout(client, editor):
    client.force_login(editor)
    for page in ("admin:otp_totp_totpdevice_changelist", "admin:axes_accessattempt_changelist"):
        assert client.get(reverse(page)).status_code == 403


# --- Lockout --------------------------------------------------------------------------------


def assert_lockout_page(response):
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.ADMIN_LOCKOUT_COOLOFF_MINUTES * 60)
    html = response.content.decode()
    assert 'id="site-name"' in html  # the admin's layout
    assert f'href="{reverse("admin:login")}"' in html
    assert "Content-Security-Policy" in response.headers
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html


def test_ten_wrong_passwords_lock_the_account_whatever_the_address(clock, officer):
    responses = [
        log_in(Client(), "officer", WRONG_PASSWORD, ip=f"192.0.2.{n}") for n in range(1, 11)
    ]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    for response in responses[4:]:
        assert_lockout_page(response)

    # The right password and a valid code, from yet another address: still refused.
    client = Client()
    assert_lockout_page(log_in(client, "officer", user=officer, ip=ELSEWHERE))
    assert not reaches_index(client)
    # Another account from those addresses is not concerned.
    colleague = make_staff(officer.__class__, "colleague")
    assert logged_in(log_in(Client(), "colleague", user=colleague, ip="192.0.2.1"))

    # After the cool-off the right credentials work again.
    clock.shift(datetime.timedelta(minutes=settings.ADMIN_LOCKOUT_COOLOFF_MINUTES + 1))
    client = Client()
    assert logged_in(log_in(client, "officer", user=officer, ip=ELSEWHERE))
    assert reaches_index(client)


def test_failures_from_one_address_lock_it_across_accounts(clock, officer):
    for n in range(10):
        log_in(Client(), f"guess-{n}", WRONG_PASSWORD, ip=ELSEWHERE)
    assert_lockout_page(log_in(Client(), "officer", user=officer, ip=ELSEWHERE))
    # The account itself is not locked: from another address it logs in.
    assert logged_in(log_in(Client(), "officer", user=officer, ip=OFFICE))


def test_wrong_codes_count_as_failures(clock, officer):
    right = int(current_code(officer))
    wrong = f"{(right + 1) % 1_000_000:06d}"
    responses = [log_in(Client(), "officer", code=wrong, ip=f"192.0.2.{n}") for n in range(5)]
    assert_lockout_page(responses[-1])


def test_the_lockout_ends_after_the_cool_off_not_later(clock, officer):
    for _ in range(5):
        log_in(Client(), "officer", WRONG_PASSWORD)
    clock.shift(datetime.timedelta(minutes=settings.ADMIN_LOCKOUT_COOLOFF_MINUTES - 1))
    # An attempt during the lockout is refused and does not extend it.
    assert_lockout_page(log_in(Client(), "officer", user=officer))
    clock.shift(datetime.timedelta(minutes=2))
    assert logged_in(log_in(Client(), "officer", user=officer))


def test_the_dpo_unlocks_an_account_in_the_admin(clock, dpo_client, officer):
    for n in range(5):
        log_in(Client(), "officer", WRONG_PASSWORD, ip=f"192.0.2.{n}")
    assert_lockout_page(log_in(Client(), "officer", user=officer))

    changelist = reverse("admin:axes_accessattempt_changelist")
    page = dpo_client.get(changelist, {"q": "officer"})
    assert page.status_code == 200
    attempts = list(AccessAttempt.objects.filter(username="officer").values_list("pk", flat=True))
    assert len(attempts) == 5
    response = dpo_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="officer").exists()

    assert logged_in(log_in(Client(), "officer", user=officer))


def test_attempts_keep_no_address_password_code_or_csrf_token(clock, officer):
    code = current_code(officer)
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("admin:login"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    client.post(
        reverse("admin:login"),
        {
            "username": "officer",
            "password": WRONG_PASSWORD,
            "otp_token": code,
            "csrfmiddlewaretoken": token,
        },
        REMOTE_ADDR=ELSEWHERE,
    )
    attempt = AccessAttempt.objects.get(username="officer")
    assert attempt.ip_address == client_pseudonym(request_from(ELSEWHERE))
    assert attempt.ip_address.startswith("fd")
    stored = " ".join(str(value) for value in AccessAttempt.objects.values().first().values())
    for secret in (ELSEWHERE, WRONG_PASSWORD, code, token):
        assert secret not in stored


def request_from(ip):
    return RequestFactory().get("/", REMOTE_ADDR=ip)


def test_the_lockout_counts_the_address_the_trusted_proxy_saw(settings, clock, officer):
    """Behind one proxy, X-Forwarded-For's last entry is the client; what a client puts
    before it is ignored, so forging the header does not escape the lockout."""
    settings.TRUSTED_PROXIES = 1
    for n in range(5):
        Client().post(
            reverse("admin:login"),
            {"username": f"guess-{n}", "password": WRONG_PASSWORD, "otp_token": "000000"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ELSEWHERE}",
        )
    assert AccessAttempt.objects.values("ip_address").distinct().count() == 1
    blocked = Client().post(
        reverse("admin:login"),
        {"username": "officer", "password": PASSWORD, "otp_token": current_code(officer)},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )
    assert_lockout_page(blocked)


# --- Log lines ------------------------------------------------------------------------------


def test_login_log_lines_name_the_user_and_a_hash_never_the_password_or_address(
    clock, caplog, officer
):
    caplog.set_level(logging.DEBUG)
    code = current_code(officer)
    log_in(Client(), "officer", WRONG_PASSWORD, code=code, ip=ELSEWHERE)
    log_in(Client(), "officer", code="000000" if code != "000000" else "111111", ip=ELSEWHERE)
    clock.shift(2)  # django-otp throttles the device for a second after a wrong code
    assert logged_in(log_in(Client(), "officer", code=code, ip=ELSEWHERE))

    ours = [r.getMessage() for r in caplog.records if r.name == "aim_privacy.security"]
    digest = client_hash(request_from(ELSEWHERE))
    assert re.fullmatch(r"[0-9a-f]{16}", digest)
    assert f"admin login failed: user='officer' client={digest} reason=credentials" in ours
    assert f"admin login failed: user='officer' client={digest} reason=second_factor" in ours
    assert f"admin login succeeded: user='officer' client={digest} second_factor=totp" in ours
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert "AXES" in everything  # axes' own lines are in the capture too
    for secret in (WRONG_PASSWORD, PASSWORD, ELSEWHERE, code):
        assert secret not in everything


def test_a_lockout_is_logged(clock, caplog, officer):
    caplog.set_level(logging.INFO, logger="aim_privacy.security")
    for _ in range(5):
        log_in(Client(), "officer", WRONG_PASSWORD, ip=ELSEWHERE)
    digest = client_hash(request_from(ELSEWHERE))
    assert f"admin login locked out: user='officer' client={digest} for 30 minutes" in [
        r.getMessage() for r in caplog.records
    ]


# --- Sessions -------------------------------------------------------------------------------


def test_the_session_key_changes_at_login(clock, officer):
    client = Client()
    before = client.session
    before["probe"] = "anonymous visit"
    before.save()
    old_key = before.session_key

    assert logged_in(log_in(client, "officer", user=officer))
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()


def test_a_session_ends_after_thirty_minutes_without_a_request(clock, officer):
    client = Client()
    response = log_in(client, "officer", user=officer)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 1800
    clock.shift(datetime.timedelta(minutes=29))
    assert reaches_index(client)  # and this request renews the session
    clock.shift(datetime.timedelta(minutes=29))
    assert reaches_index(client)
    clock.shift(datetime.timedelta(minutes=31))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_active_session_ends_twelve_hours_after_its_login(clock, caplog, officer):
    caplog.set_level(logging.INFO, logger="aim_privacy.security")
    client = Client()
    assert logged_in(log_in(client, "officer", user=officer))
    for _ in range(28):  # a request every 25 minutes, up to 11 h 40 min
        clock.shift(datetime.timedelta(minutes=25))
        assert reaches_index(client)
    clock.shift(datetime.timedelta(minutes=19))  # 11 h 59 min
    assert reaches_index(client)
    clock.shift(datetime.timedelta(minutes=2))  # 12 h 1 min after the login
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session
    assert any("admin session ended: user='officer'" in r.getMessage() for r in caplog.records)


def test_a_session_without_a_login_time_is_ended(clock, officer):
    client = Client()
    assert logged_in(log_in(client, "officer", user=officer))
    session = client.session
    del session["aim_login_at"]
    session.save()
    assert not reaches_index(client)


# --- Cookies and the admin's address (settings read in a fresh process) -----------------------

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
from django.urls import reverse, resolve, Resolver404
from django.utils import translation
translation.activate("fr")
try:
    resolve("/fr/admin/")
    old_address = True
except Resolver404:
    old_address = False
print(json.dumps({
    "session_cookie": settings.SESSION_COOKIE_NAME,
    "csrf_cookie": settings.CSRF_COOKIE_NAME,
    "secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "paths": [settings.SESSION_COOKIE_PATH, settings.CSRF_COOKIE_PATH],
    "domains": [settings.SESSION_COOKIE_DOMAIN, settings.CSRF_COOKIE_DOMAIN],
    "otp": settings.ADMIN_OTP_REQUIRED,
    "idle": settings.SESSION_COOKIE_AGE,
    "admin": reverse("admin:index"),
    "old_address": old_address,
}))
"""


def read_settings(**env):
    return read_json(PRINT_SETTINGS, **env)


def test_production_cookies_carry_the_host_prefix():
    values = read_settings(SECRET_KEY="k" * 50, ALLOWED_HOSTS="example.org", SITE_URL=SITE)
    assert values["session_cookie"] == "__Host-sessionid"
    assert values["csrf_cookie"] == "__Host-csrftoken"
    # What a browser demands of a __Host- cookie: Secure, Path=/, no Domain.
    assert values["secure"] == [True, True]
    assert values["paths"] == ["/", "/"]
    assert values["domains"] == [None, None]
    assert values["otp"] is True
    assert values["idle"] == 1800


def test_plain_http_keeps_plain_cookie_names():
    """The test settings and a DEBUG laptop speak plain http, where a browser would drop a
    __Host- cookie (it must be Secure)."""
    assert settings.SESSION_COOKIE_SECURE is False
    assert (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME) == ("sessionid", "csrftoken")
    laptop = read_settings(DEBUG="1")
    assert (laptop["session_cookie"], laptop["csrf_cookie"]) == ("sessionid", "csrftoken")
    assert laptop["otp"] is False


def test_admin_path_moves_the_admin():
    moved = read_settings(DEBUG="1", ADMIN_PATH="gestion-7f3a/")
    assert moved["admin"] == "/fr/gestion-7f3a/"
    assert moved["old_address"] is False
    default = read_settings(DEBUG="1")
    assert default["admin"] == "/fr/admin/"


@pytest.mark.parametrize("value", ["gestion", "/admin/", "../admin/", "a/../b/", "admin/<x>/", ""])
def test_admin_path_refuses_a_bad_value(value):
    result = run_with_env(["manage.py", "check"], DEBUG="1", ADMIN_PATH=value)
    assert result.returncode == 2
    assert "ADMIN_PATH must be a relative path ending with '/'" in result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "ADMIN_LOCKOUT_FAILURES",
        "ADMIN_LOCKOUT_COOLOFF_MINUTES",
        "SESSION_IDLE_MINUTES",
        "SESSION_MAX_HOURS",
    ],
)
def test_lockout_and_session_limits_refuse_zero(name):
    result = run_with_env(["manage.py", "check"], DEBUG="1", **{name: "0"})
    assert result.returncode == 2
    assert f"{name} must be at least 1" in result.stderr
