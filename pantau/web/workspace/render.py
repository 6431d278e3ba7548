"""Jinja2 environment and the page renderer (autoescaping on; the user's language per request)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from pantau.web.workspace.i18n import LANGUAGES, translations
from pantau.web.workspace.svgmap import svg_map

TEMPLATES = Path(__file__).parent / "templates"

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                  trim_blocks=True, lstrip_blocks=True)

TLP_CLASS = {"CLEAR": "tlp-clear", "GREEN": "tlp-green", "AMBER": "tlp-amber", "AMBER+STRICT": "tlp-amber",
             "RED": "tlp-red"}
env.globals["tlp_class"] = lambda t: TLP_CLASS.get(str(t), "tlp-clear")
env.globals["LANGUAGES"] = LANGUAGES


def marked_text(segments: list[dict[str, Any]]) -> Markup:
    """A document's segments as HTML, displaCy-style: each mark wraps the text it covers (innermost
    first), a link where the mark has a page, else a span; everything from the document is escaped."""
    out = []
    for seg in segments:
        html = str(escape(seg["text"]))
        for m in reversed(seg["marks"]):
            cls, label = escape(f"m-{m['kind']}"), escape(m["label"])
            if m["href"]:
                html = f'<a class="{cls}" href="{escape(m["href"])}" title="{label}">{html}</a>'
            else:
                html = f'<span class="{cls}" title="{label}">{html}</span>'
        out.append(html)
    return Markup("".join(out))


env.filters["marked_text"] = marked_text


def script_json(value: Any) -> Markup:
    """JSON safe inside a <script type="application/json"> element (no `</script>` breakout)."""
    import json

    text = json.dumps(value, ensure_ascii=False, default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


env.filters["script_json"] = script_json
env.globals["svg_map"] = svg_map


def render(request: Request, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
    sess = getattr(request.state, "session", None)
    lang = sess.language if sess else request.cookies.get("pantau_lang", "en")
    tr = translations(lang if lang in LANGUAGES else "en")
    html = env.get_template(name).render(request=request, session=sess, lang=lang, _=tr.gettext,
                                         ngettext=tr.ngettext, **ctx)
    return HTMLResponse(html, status_code=status_code)
