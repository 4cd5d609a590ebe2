#!/usr/bin/env python
"""`make audit`: the production configuration, checked the way production runs it.

1. `manage.py check --deploy --fail-level WARNING` with example production variables.
2. The portal under gunicorn with `aim_privacy.settings` and the same variables, on a free
   loopback port (SQLite in a temporary directory: migrated, demo declaration published, static
   files collected), asked for its public pages as a TLS proxy forwards them
   (`X-Forwarded-Proto: https`). Every response must carry the security headers; reading pages
   set no cookie; a cookie is Secure, HttpOnly and SameSite, and a cookie whose setting name
   (SESSION_COOKIE_NAME, CSRF_COOKIE_NAME) starts with `__Host-` keeps the prefix's rules
   (Path=/, no Domain). A body in UTF-16 is a 400 page, and the server logs no ERROR.

The example variables are examples (example.org), not AIM's: production sets its own.
Uses http.client only (the project never depends on the PyPI package `requests`).
"""

import datetime
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FOREIGN_HOST = "evil.example"

REQUIRED_HEADERS = {
    # header: a piece of text its value must hold
    "Content-Security-Policy": "default-src 'none'",
    "Strict-Transport-Security": "includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=()",
    "X-Frame-Options": "DENY",
}
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]

# (method, path, expected status, may set a cookie)
PAGES = [
    ("GET", "/", 302, False),
    ("GET", "/fr/", 200, False),
    ("GET", "/nl/", 200, False),
    ("GET", "/fr/declaration/", 200, False),
    ("GET", "/nl/verklaring/", 200, False),
    ("GET", "/fr/declaration/versions/", 200, False),
    ("GET", "/nl/verklaring/versies/1/", 200, False),
    ("GET", "/fr/declaration/versions/1.json", 200, False),
    ("GET", "/nl/verklaring/feed.atom", 200, False),
    ("GET", "/fr/vos-droits/", 200, False),
    ("GET", "/nl/uw-rechten/", 200, False),
    ("GET", "/fr/a-propos-de-ce-site/", 200, False),
    ("GET", "/fr/no-such-page/", 404, False),
    ("GET", f"//{FOREIGN_HOST}/fr/declaration/", 404, False),
    ("GET", f"/fr//{FOREIGN_HOST}/", 404, False),
    ("GET", "/.well-known/security.txt", 200, False),
    # Forms: the CSRF cookie is expected here.
    ("GET", "/fr/vos-droits/demande/", 200, True),
    ("GET", "/fr/admin/login/", 200, True),
]
UTF16_POSTS = ["/fr/vos-droits/demande/", "/nl/admin/login/"]


def production_environment(workdir):
    """Example production variables: DEBUG off, everything a production run must set."""
    expires = datetime.date.today() + datetime.timedelta(days=180)
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(workdir),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "aim_privacy.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://privacy.example.org",
        "TRUSTED_PROXIES": "1",
        "SECURITY_CONTACT": "mailto:security@example.org",
        "SECURITY_TXT_EXPIRES": expires.isoformat(),
        "DATABASE_URL": f"sqlite:///{workdir}/audit.sqlite3",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
    }


def manage(environment, *args, quiet=False):
    result = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=quiet,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        if quiet:
            sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"audit: `manage.py {' '.join(args)}` failed ({result.returncode})")
    return result


def cookie_settings(environment):
    script = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.SESSION_COOKIE_NAME); print(settings.CSRF_COOKIE_NAME)"
    )
    result = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        raise SystemExit(f"audit: cannot read the cookie settings:\n{result.stderr}")
    session, csrf = result.stdout.split()
    return {"SESSION_COOKIE_NAME": session, "CSRF_COOKIE_NAME": csrf}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port, method, path, *, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


class Gunicorn:
    def __init__(self, environment, log_path):
        self.port = free_port()
        self.environment = environment
        self.log_path = log_path
        self.process = None

    def __enter__(self):
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (the virtualenv's gunicorn)
                [
                    str(BIN / "gunicorn"),
                    "aim_privacy.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "2",
                    "--timeout",
                    "60",
                    "--error-logfile",
                    "-",
                ],
                cwd=ROOT,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"audit: gunicorn exited:\n{self.log()}")
            try:
                # /healthz is exempt from the HTTPS redirect: plain HTTP answers it.
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"audit: gunicorn not ready after 60 s:\n{self.log()}")
            time.sleep(0.2)

    def __exit__(self, *exc_info):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self):
        return self.log_path.read_text(errors="replace")


class Audit:
    def __init__(self, port, cookie_names):
        self.port = port
        self.cookie_names = cookie_names
        self.failures = []
        self.cookies = {}

    def fail(self, what, problem):
        self.failures.append(f"{what}: {problem}")

    def get(self, method, path, *, headers=None, body=None):
        sent = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10", **(headers or {})}
        return request(self.port, method, path, headers=sent, body=body)

    def check_headers(self, what, headers):
        for name, expected in REQUIRED_HEADERS.items():
            value = headers.get(name)
            if value is None:
                self.fail(what, f"no {name}")
            elif expected not in value:
                self.fail(what, f"{name} is {value!r}, expected it to hold {expected!r}")
        policy = headers.get("Content-Security-Policy", "")
        if "unsafe-inline" in policy or "unsafe-eval" in policy:
            self.fail(what, f"Content-Security-Policy allows unsafe code: {policy!r}")
        max_age = headers.get("Strict-Transport-Security", "").partition("max-age=")[2]
        if int((max_age.split(";")[0] or "0").strip()) < 31536000:
            self.fail(what, "Strict-Transport-Security max-age is under a year")
        permissions = headers.get("Permissions-Policy", "")
        for feature in DENIED_FEATURES:
            if f"{feature}=()" not in permissions:
                self.fail(what, f"Permissions-Policy does not deny {feature}")

    def check_cookies(self, what, headers, *, allowed):
        set_cookies = headers.get_all("Set-Cookie") or []
        if set_cookies and not allowed:
            self.fail(what, f"a reading page sets a cookie: {set_cookies}")
        host_prefixed = {
            name: value for name, value in self.cookie_names.items() if value.startswith("__Host-")
        }
        for line in set_cookies:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = line
                if not morsel["secure"]:
                    self.fail(what, f"cookie {name} is not Secure")
                if not morsel["httponly"]:
                    self.fail(what, f"cookie {name} is not HttpOnly")
                if morsel["samesite"].lower() not in ("lax", "strict"):
                    self.fail(what, f"cookie {name} has no SameSite=Lax or Strict")
                if name.startswith("__Host-") and (morsel["domain"] or morsel["path"] != "/"):
                    self.fail(what, f"cookie {name} breaks the __Host- rules (Path=/, no Domain)")
                for setting, expected in self.cookie_names.items():
                    if name == expected.removeprefix("__Host-") and setting in host_prefixed:
                        self.fail(what, f"cookie {name} lost its __Host- prefix ({setting})")

    def page(self, method, path, status, cookie_allowed):
        what = f"{method} {path}"
        got, headers, body = self.get(method, path)
        if got != status:
            self.fail(what, f"status {got}, expected {status}")
        self.check_headers(what, headers)
        self.check_cookies(what, headers, allowed=cookie_allowed)
        if FOREIGN_HOST in body.decode(errors="replace"):
            self.fail(what, f"the page links to {FOREIGN_HOST}")
        if path == "/.well-known/security.txt":
            self.check_security_txt(what, headers, body.decode())
        print(f"  {got} {what}")
        return body.decode(errors="replace"), headers

    def check_security_txt(self, what, headers, text):
        if headers.get("Content-Type") != "text/plain; charset=utf-8":
            self.fail(what, f"Content-Type {headers.get('Content-Type')!r}")
        for field in ("Contact: ", "Expires: ", "Preferred-Languages: fr, nl, en", "Canonical: "):
            if field not in text:
                self.fail(what, f"no {field.strip()} line")

    def utf16_post(self, path):
        """The form's page first (cookie and token), then the same form in UTF-16."""
        html, headers = self.page("GET", path, 200, True)
        marker = 'name="csrfmiddlewaretoken" value="'
        token = html.partition(marker)[2].partition('"')[0]
        cookies = "; ".join(
            f"{name}={morsel.value}"
            for line in headers.get_all("Set-Cookie") or []
            for name, morsel in SimpleCookie(line).items()
        )
        body = f"csrfmiddlewaretoken={token}&username=audit&password=audit".encode("utf-16")
        what = f"POST {path} (UTF-16 body)"
        got, headers, _content = self.get(
            "POST",
            path,
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-16",
                "Cookie": cookies,
                "Referer": f"https://127.0.0.1:{self.port}{path}",
            },
            body=body,
        )
        if got != 400:
            self.fail(what, f"status {got}, expected 400")
        self.check_headers(what, headers)
        print(f"  {got} {what}")

    def plain_http(self):
        got, headers, _body = request(self.port, "GET", "/fr/")
        location = headers.get("Location", "")
        if got != 301 or not location.startswith("https://"):
            self.fail("GET /fr/ over plain HTTP", f"{got} {location!r}, expected a 301 to https")
        got, _headers, _body = request(self.port, "GET", "/.well-known/security.txt")
        if got != 301:
            self.fail("GET /.well-known/security.txt over plain HTTP", f"{got}, expected 301")
        print("  301 plain HTTP is redirected to HTTPS (/healthz excepted)")


def main():
    with tempfile.TemporaryDirectory(prefix="aim-audit-") as tmp:
        workdir = Path(tmp)
        environment = production_environment(workdir)
        print("audit 1/2: manage.py check --deploy --fail-level WARNING (production variables)")
        manage(environment, "check", "--deploy", "--fail-level", "WARNING")

        print("audit 2/2: headers and cookies of a production gunicorn on loopback")
        manage(environment, "migrate", "--noinput", quiet=True)
        manage(environment, "collectstatic", "--noinput", quiet=True)
        manage(environment, "load_demo_content", quiet=True)
        cookie_names = cookie_settings(environment)
        with Gunicorn(environment, workdir / "gunicorn.log") as server:
            audit = Audit(server.port, cookie_names)
            for method, path, status, cookie_allowed in PAGES:
                audit.page(method, path, status, cookie_allowed)
            for path in UTF16_POSTS:
                audit.utf16_post(path)
            audit.plain_http()
        log = server.log()
        for line in log.splitlines():
            if " ERROR " in line or "[ERROR]" in line or line.startswith("Traceback"):
                audit.fail("server log", line)
        for setting, name in cookie_names.items():
            if not name.startswith("__Host-"):
                print(f"  note: {setting} is {name!r}, without the __Host- prefix (tolerated)")
        print(f"  cookies seen: {', '.join(sorted(audit.cookies)) or 'none'}")

    if audit.failures:
        print(f"\naudit FAILED ({len(audit.failures)}):")
        for failure in audit.failures:
            print(f"  - {failure}")
        return 1
    print("audit passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
