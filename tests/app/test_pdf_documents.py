"""The PDF renderer every document uses fetches nothing beyond the app's static files."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from schildwacht.app.pdf import STATIC, html_to_pdf


@pytest.fixture
def listener() -> Iterator[list[str]]:
    """A local web server that records every request it gets."""
    seen: list[str] = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = http.server.HTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    seen.append(f"http://127.0.0.1:{server.server_address[1]}")
    yield seen
    server.shutdown()


def test_a_document_never_fetches_a_url_or_a_file_outside_static(
    listener: list[str], tmp_path: Path
) -> None:
    base = listener[0]
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    html = (
        f'<html><body><p>Brief</p><img src="{base}/beacon.png">'
        f'<link rel="stylesheet" href="{base}/x.css"><img src="file://{secret}"></body></html>'
    )
    pdf = html_to_pdf(html, STATIC / "breach-documents.css")
    assert listener[1:] == []  # no request reached the server
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Brief" in text
