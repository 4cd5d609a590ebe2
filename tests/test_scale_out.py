"""Scale-out, proven: two web instances (real gunicorn processes on their own ports, behind one
nginx when it is installed) sharing one PostgreSQL, one Redis and one media directory.

- a stored PDF asked of both at once is rendered once (the version's row is locked while one
  instance renders; the other finds the file);
- the rate limit of the request form is one, whichever instance counts (keys in Redis);
- a request submitted and confirmed on one instance is in the DPO's queue on the other.

What the instances share is what docker-compose.yml and README ("Scale-out") give every web
process: DATABASE_URL, REDIS_URL and MEDIA_ROOT (a shared directory; PRIVATE_MEDIA_ROOT too).
"""

import os
import re
import shutil
import subprocess
import threading
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from notices.demo import demo_content_load
from requests.models import DataSubjectRequest, Notification
from tests.conftest import verify_second_factor
from tests.processes import Gunicorn, free_port, http_request
from tests.test_dead_services import TYPED, submit_the_form
from tests.workers import stop_process

pytestmark = pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")),
    reason="needs PostgreSQL and Redis, shared by the two instances",
)

ABOUT_FR = "/fr/a-propos-de-ce-site/"


def database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def two_instances(django_db_serialized_rollback, transactional_db, tmp_path):
    """Instances A and B over the test database (transactional: what the test writes is
    committed, so the processes see it; the migrations' data, the groups, is put back after),
    the test's Redis and one media directory."""
    demo_content_load()
    shared = {
        "DATABASE_URL": database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "MEDIA_ROOT": str(tmp_path / "media"),
        "RIGHTS_REQUESTS_RATE_LIMIT": "1/h",
        "LOG_LEVEL": "INFO",
    }
    instances = [Gunicorn(tmp_path / f"{name}.log", **shared) for name in "ab"]
    try:
        for instance in instances:
            instance.start(ready_path=ABOUT_FR)
        yield instances
    finally:
        for instance in instances:
            instance.stop()


def test_a_pdf_asked_of_both_instances_at_once_is_rendered_once(two_instances):
    with translation.override("fr"):
        path = reverse("notices:version-pdf", kwargs={"number": 1})
    answers = []

    def ask(instance):
        answers.append(http_request(instance.port, "GET", path, timeout=60))

    threads = [threading.Thread(target=ask, args=(instance,)) for instance in two_instances * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert [answer.status for answer in answers] == [200] * 6
    assert len({answer.body for answer in answers}) == 1
    assert answers[0].body.startswith(b"%PDF")
    logs = "".join(instance.log() for instance in two_instances)
    assert logs.count("Stored the PDF of version 1 (fr)") == 1, logs[-3000:]


def test_the_rate_limit_is_shared_and_a_request_made_on_one_is_seen_on_the_other(
    two_instances, admin_user
):
    a, b = two_instances
    first = submit_the_form(a.port)
    assert first.status in (200, 302, 303), a.log()[-3000:]
    # The limit is one submission an hour per address: B knows A counted it.
    second = submit_the_form(b.port)
    assert second.status == 429, b.log()[-3000:]
    assert DataSubjectRequest.objects.count() == 1

    # The requester confirms through the link of their e-mail, on B.
    body = Notification.objects.get(kind=Notification.Kind.CONFIRM).body
    link = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", body).group(1)
    page = http_request(b.port, "GET", link)
    assert page.status == 200
    cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    confirmed = http_request(
        b.port,
        "POST",
        link,
        body=urlencode({"csrfmiddlewaretoken": token}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    assert confirmed.status in (200, 302, 303)
    reference = DataSubjectRequest.objects.get().reference
    assert reference

    # Staff signed in (password and second factor) in a session both instances read. (A
    # superuser: a transactional test elsewhere may have emptied the groups the migrations
    # made; this test puts them back after itself, not before.)
    browser = Client()
    browser.force_login(admin_user)
    verify_second_factor(browser, admin_user)
    session = (
        f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    )
    with translation.override("fr"):
        queue = reverse("admin:rights_requests_datasubjectrequest_changelist")
    for instance in two_instances:
        listed = http_request(instance.port, "GET", queue, headers={"Cookie": session})
        assert listed.status == 200, instance.log()[-3000:]
        assert reference in listed.text
        assert TYPED["email"] in listed.text


def test_behind_one_nginx_both_instances_serve(two_instances, tmp_path):
    """The shape of a scale-out deployment: nginx sends requests to both, round-robin."""
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    port = free_port()
    upstream = "".join(f"server 127.0.0.1:{instance.port};" for instance in two_instances)
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"daemon off; worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/e.log;"
        "events { worker_connections 64; }"
        f"http {{ access_log off; upstream web {{ {upstream} }}"
        f"server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://web;"
        " proxy_set_header Host $host; } } }"
    )
    nginx = subprocess.Popen(
        ["nginx", "-c", str(config), "-p", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_nginx(port)
        through = [
            http_request(port, "GET", ABOUT_FR, headers={"Host": "testserver"}) for _ in range(20)
        ]
        assert {answer.status for answer in through} == {200}
        # One instance goes down (an upgrade, a crash): nginx sends everything to the other.
        two_instances[0].stop()
        after = [
            http_request(port, "GET", ABOUT_FR, headers={"Host": "testserver"}) for _ in range(10)
        ]
        assert {answer.status for answer in after} == {200}
    finally:
        stop_process(nginx, timeout=10)


def wait_for_nginx(port):
    """Returns once nginx answers (None)."""
    for _ in range(100):
        try:
            http_request(port, "GET", ABOUT_FR, headers={"Host": "testserver"}, timeout=2)
            return None
        except OSError:
            threading.Event().wait(0.1)
    raise AssertionError("nginx did not start")
