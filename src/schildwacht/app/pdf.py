"""Documents for people outside the app, as PDF: one renderer for every report and letter.

The Art. 15 report, the management report, the AP draft, the letters and the breach register
are Jinja templates of the web app rendered with a PDF layout, then printed by WeasyPrint.
Styles come from CSS files in the web app's static folder (the app's CSP forbids inline
styles, and one file serves screen and paper).

WeasyPrint is given a URL fetcher that opens only files in that static folder: documents hold
text from the event store and the dossiers, and nothing in a document about a citizen should
make the server fetch a URL. WeasyPrint (and Pango) load on first use, so the web app's
screens never load them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"
LANG = "nl"  # documents for citizens, the AP and management are Dutch


def render_document(template: str, layout: str, **values: Any) -> str:
    """``template`` (a web template) inside ``layout``, in Dutch, as an HTML string."""
    from schildwacht.web.rendering import environment

    page = environment(LANG).get_template(template)
    return page.render(layout=layout, lang=LANG, **values)


def html_to_pdf(html: str, stylesheet: Path) -> bytes:
    """PDF bytes of ``html`` styled by ``stylesheet`` (a file in the static folder)."""
    from weasyprint import CSS, HTML

    fetcher = static_fetcher()
    document = HTML(string=html, base_url=str(STATIC), url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[CSS(filename=str(stylesheet), url_fetcher=fetcher)])
    assert pdf is not None  # write_pdf returns bytes when given no target
    return bytes(pdf)


def static_fetcher() -> Any:
    """WeasyPrint's URL fetcher, limited to files in the static folder."""
    from weasyprint.urls import URLFetcher

    class StaticOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = Path(unquote(url.removeprefix("file://"))).resolve()
            if not url.startswith("file://") or not path.is_relative_to(STATIC):
                raise ValueError("documents read only the app's static files")
            return super().fetch(url, headers)

    return StaticOnly(allowed_protocols=("file",))
