"""The PDF renderer fetches the project's static files and nothing else, whatever the HTML says.

A real HTTP server listens on the loopback interface while documents reference it in every way
WeasyPrint loads a resource; it must never see a connection. Local files, other hosts and path
traversals out of /static/ are refused too, and each refusal is reported by `pdf_rendered`.
"""

import http.server
import io
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from aim_privacy import pdf
from notices.rendering import render_markdown


class CountingServer(http.server.ThreadingHTTPServer):
    """Counts every connection accepted and every request received."""

    daemon_threads = True

    def __init__(self):
        self.connections = 0
        self.requests = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), CountingHandler)

    def process_request(self, request, client_address):
        with self.lock:
            self.connections += 1
        super().process_request(request, client_address)


class CountingHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with self.server.lock:
            self.server.requests.append(self.path)
        if self.path.endswith(".css"):
            body, content_type = b"body { color: red; }", "text/css"
        else:
            body, content_type = b"\x89PNG\r\n\x1a\n", "image/png"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def server():
    server = CountingServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def renders():
    """The keyword arguments of every `pdf_rendered` signal sent during the test."""
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    pdf.pdf_rendered.connect(receiver)
    yield sent
    pdf.pdf_rendered.disconnect(receiver)


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


TRAVERSALS = ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd"]
# A 1x1 transparent GIF: data: URIs are allowed.
DATA_IMAGE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def hostile_document(port):
    loopback = f"http://127.0.0.1:{port}"
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Hostile</title>
<link rel="stylesheet" href="{loopback}/a.css">
<link rel="stylesheet" href="/static/css/print.css">
<link rel="attachment" href="{loopback}/attachment.txt">
<style>
@import url({loopback}/c.css);
@font-face {{ font-family: Remote; src: url({loopback}/e.woff); }}
.remote-background {{ background-image: url(http://localhost:{port}/d.png); }}
.remote-list {{ list-style-image: url({loopback}/f.png); }}
.remote-content::before {{ content: url({loopback}/g.png); }}
p {{ font-family: Remote, sans-serif; }}
</style>
</head>
<body>
<h1>Sécurité du rendu</h1>
<p class="remote-background">Fond distant.</p>
<ul class="remote-list"><li>Puce distante.</li></ul>
<p class="remote-content">Contenu généré.</p>
<p><img src="{loopback}/b.png" alt=""></p>
<p><img src="file:///etc/passwd" alt=""></p>
<p><img src="file:///etc/hostname" alt=""></p>
<p><img src="https://example.org/x.png" alt=""></p>
<p><img src="{TRAVERSALS[0]}" alt=""></p>
<p><img src="{TRAVERSALS[1]}" alt=""></p>
<p><img src="{DATA_IMAGE}" alt=""></p>
<p><object data="{loopback}/h.svg" type="image/svg+xml"></object></p>
<p><embed src="{loopback}/i.svg" type="image/svg+xml"></p>
<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg"><image href="{loopback}/j.png"
  width="10" height="10"/></svg>
<p><a rel="attachment" href="{loopback}/k.txt">Pièce jointe</a></p>
<p>Fin du document.</p>
</body>
</html>"""


def test_the_renderer_never_fetches_outside_static(server, renders, monkeypatch):
    looked_up = []
    find = pdf.finders.find

    def spying_find(path, *args, **kwargs):
        found = find(path, *args, **kwargs)
        looked_up.append((path, found))
        return found

    monkeypatch.setattr(pdf.finders, "find", spying_find)
    port = server.server_address[1]

    content = pdf.render_pdf(hostile_document(port), title="Hostile", language="fr", purpose="test")

    assert content.startswith(b"%PDF")
    assert server.requests == []
    assert server.connections == 0

    (render,) = renders
    refused = render["refused"]
    assert render["purpose"] == "test"
    for url in [
        f"http://127.0.0.1:{port}/a.css",
        f"http://127.0.0.1:{port}/b.png",
        f"http://127.0.0.1:{port}/c.css",
        f"http://localhost:{port}/d.png",
        "file:///etc/passwd",
        "file:///etc/hostname",
        "https://example.org/x.png",
    ]:
        assert url in refused
    # ".." is resolved against the base URL (out of /static/) or kept encoded: refused either way.
    assert f"{pdf.BASE_URL}etc/passwd" in refused
    assert f"{pdf.STATIC_PREFIX}%2e%2e/%2e%2e/etc/passwd" in refused
    assert all(not url.startswith("data:") for url in refused)

    # The project's own stylesheet is served from the static files.
    assert f"{pdf.STATIC_PREFIX}css/print.css" not in refused
    assert ("css/print.css", find("css/print.css")) in looked_up
    assert find("css/print.css")
    assert all("passwd" not in path or found is None for path, found in looked_up)

    text = pdf_text(content)
    assert "Fin du document." in text
    assert "root:" not in text
    assert "/bin/" not in text
    hostname = Path("/etc/hostname")
    if hostname.exists() and len(hostname.read_text().strip()) > 3:
        assert hostname.read_text().strip() not in text


@pytest.mark.parametrize("path", TRAVERSALS)
def test_a_path_traversal_out_of_static_is_refused(renders, path):
    html = (
        '<!DOCTYPE html><html lang="nl"><head><title>T</title>'
        f'<link rel="stylesheet" href="{path}"></head><body><p>Tekst.</p></body></html>'
    )

    content = pdf.render_pdf(html, title="T", language="nl")

    assert content.startswith(b"%PDF")
    (render,) = renders
    assert len(render["refused"]) == 1
    assert "root:" not in pdf_text(content)


def test_a_static_file_is_fetched_and_nothing_refused(renders):
    html = (
        '<!DOCTYPE html><html lang="fr"><head><title>T</title>'
        '<link rel="stylesheet" href="/static/css/print.css"></head>'
        "<body><p>Texte.</p></body></html>"
    )

    assert pdf.render_pdf(html, title="T", language="fr").startswith(b"%PDF")
    assert renders[0]["refused"] == ()


def test_admin_entered_markdown_cannot_smuggle_an_image(server, renders):
    port = server.server_address[1]
    markdown = (
        f"![x](http://127.0.0.1:{port}/x.png) <img src='file:///etc/passwd'>\n\n"
        f'<img src="http://127.0.0.1:{port}/y.png">\n\n'
        "![y](file:///etc/passwd)"
    )

    assert "<img" not in render_markdown(
        "![x](http://127.0.0.1:1/x.png) <img src='file:///etc/passwd'>"
    )
    html = render_markdown(markdown)
    assert "<img" not in html
    # Only escaped text remains of the tags; the image syntax leaves no loopback or file URL.
    assert "&lt;img src=" in html
    assert 'href="http://127.0.0.1' not in html
    assert 'href="file:' not in html

    document = (
        f'<!DOCTYPE html><html lang="fr"><head><title>Avis</title></head><body>{html}</body></html>'
    )
    content = pdf.render_pdf(document, title="Avis", language="fr", purpose="notice")

    assert content.startswith(b"%PDF")
    assert renders[0]["refused"] == ()
    assert server.requests == []
    assert server.connections == 0
    assert "root:" not in pdf_text(content)
