"""A corpus of cross-site scripting payloads of our own, and checks of what the app made of
them: stored rich text holds only allowed markup, and no page has markup that can run.

Every payload that could run calls ``xss(N)`` (or ``alert(N)``): the browser test defines
``xss`` to record the call and fails on any dialog, so a payload that ran is seen even where
the Content-Security-Policy is bypassed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from dialog.core.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS

NOFOLLOW = "nofollow ugc noopener noreferrer"

CORPUS: tuple[str, ...] = (
    # Script tags, plain, in mixed case, nested and split.
    "<script>xss(1)</script>",
    "<ScRiPt>xss(2)</sCrIpT>",
    "<script src=data:text/javascript,xss(3)></script>",
    "<<script>script>xss(4)<</script>/script>",
    "<scr<script>ipt>xss(5)</scr</script>ipt>",
    "\x00<script>xss(6)</script>",
    # Event handlers.
    "<img src=x onerror=xss(7)>",
    '<img src="x" onerror="xss(8)"',  # unclosed
    "<svg onload=xss(9)>",
    "<body onload=xss(10)>",
    "<details open ontoggle=xss(11)>",
    "<input autofocus onfocus=xss(12)>",
    '<a href="https://example.se" onclick="xss(13)" onmouseover=xss(13)>länk</a>',
    "<img src=x\nonerror=xss(14)>",
    "<img/src=x/onerror=xss(15)>",
    '<p onclick\x00="xss(16)">klick</p>',
    # javascript: and data: URLs, obfuscated with entities, whitespace, case and NUL bytes.
    '<a href="javascript:xss(17)">a</a>',
    '<a href="JaVaScRiPt:xss(18)">a</a>',
    '<a href=" \tjavascript:xss(19)">a</a>',
    '<a href="jav&#x09;ascript:xss(20)">a</a>',
    '<a href="java&#10;script:xss(21)">a</a>',
    '<a href="javas&Tab;cript:xss(22)">a</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;xss(23)">a</a>',
    '<a href="&#x6A;avascript&#x3A;xss(24)">a</a>',
    '<a href="&#0000106avascript:xss(25)">a</a>',
    '<a href="java\x00script:xss(26)">a</a>',
    '<a href="vbscript:xss(27)">a</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgyOCk8L3NjcmlwdD4=">a</a>',
    '<a href="data:text/html,<script>xss(29)</script>">a</a>',
    '<a href="javascript&colon;xss(30)">a</a>',
    # svg, math, noscript and template mutation tricks.
    "<svg><script>xss(31)</script></svg>",
    '<svg><a xlink:href="javascript:xss(32)"><text x="20" y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=xss(33)>",
    '<math><mi xlink:href="javascript:xss(34)">x</mi></math>',
    '<noscript><p title="</noscript><img src=x onerror=xss(35)>"></noscript>',
    "<template><img src=x onerror=xss(36)></template>",
    '<svg></p><style><a id="</style><img src=x onerror=xss(37)>">',
    '<!--<img src="--><img src=x onerror=xss(38)//">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=xss(39)>",
    # Attribute breakouts (where text is put into an attribute, or a title, or a text area).
    '"><script>xss(40)</script>',
    "' onmouseover='xss(41)' x='",
    '" autofocus onfocus="xss(42)" x="',
    "</textarea><script>xss(43)</script>",
    "</title><script>xss(44)</script>",
    '<a href="https://example.se/" title=\'" onmouseover=xss(45) x="\'>t</a>',
    "</script><script>xss(46)</script>",
    # Style and expression().
    '<p style="background:url(javascript:xss(47))">x</p>',
    '<div style="width: expression(xss(48))">x</div>',
    "<style>@import 'javascript:xss(49)';</style>",
    '<style>*{background:url("javascript:xss(50)")}</style>',
    # Frames, objects, embeds.
    '<iframe src="javascript:xss(51)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;parent.xss(52)&lt;/script&gt;"></iframe>',
    '<object data="javascript:xss(53)"></object>',
    '<embed src="javascript:xss(54)">',
    '<form><button formaction="javascript:xss(55)">x</button></form>',
    # base and meta refresh.
    '<base href="javascript:xss(56)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:xss(57)">',
    # Unclosed and broken tags.
    "<img src=x onerror=xss(58) ",
    "<a href='javascript:xss(59)'",
    "<svg/onload=xss(60) <p>",
    # Not markup at all: must come back exactly as typed.
    "a < b && c > d, 3 <3 \"citat\" 'apostrof' {{ config }} {% raw %}",
    "<script>alert(61)</script>",
)


def single_line(payloads: tuple[str, ...] = CORPUS, limit: int = 100) -> list[str]:
    """The payloads a one-line field takes: no control characters or line breaks, short."""
    return [p for p in payloads if len(p) <= limit and not re.search(r"[\x00-\x1f\x7f]", p)]


class _Elements(HTMLParser):
    """Every start tag with its attributes, in order, as Python's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


def elements(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.elements


def _scheme(url: str) -> str | None:
    # Browsers drop ASCII whitespace and controls anywhere in a URL's scheme.
    squeezed = re.sub(r"[\x00-\x20\x7f]", "", url)
    return urlsplit(squeezed).scheme.lower() or None


def disallowed_markup(clean: str) -> list[str]:
    """What in stored rich text is not allowed: a tag, an attribute, a link's scheme or rel."""
    problems = []
    for tag, attrs in elements(clean):
        if tag not in ALLOWED_TAGS:
            problems.append(f"tag <{tag}>")
            continue
        allowed = ALLOWED_ATTRIBUTES.get(tag, [])
        for name, value in attrs:
            if name not in allowed:
                problems.append(f"attribute {name} on <{tag}>")
            elif name == "href":
                scheme = _scheme(value or "")
                if scheme is not None and scheme not in ALLOWED_PROTOCOLS:
                    problems.append(f"href {value!r}")
        if tag == "a" and "href" in dict(attrs) and dict(attrs).get("rel") != NOFOLLOW:
            problems.append(f"<a> without rel={NOFOLLOW!r}: {attrs}")
    return problems


_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}
_SCRIPT_SCHEMES = {"javascript", "vbscript", "data"}
_NEVER = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


def runnable_markup(page: str) -> list[str]:
    """What on a whole page could run script: a script that is not our own static file, an
    event handler, a script URL, a frame or object, a base tag or a meta refresh."""
    problems = []
    for tag, attrs in elements(page):
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            problems.append(f"<script {attrs}>")
        if tag in _NEVER:
            problems.append(f"<{tag}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"{name} on <{tag}>")
            scheme = _scheme(value or "") if name in _URL_ATTRIBUTES else None
            # The CSP allows data: images; no other element or scheme may run anything.
            if scheme in _SCRIPT_SCHEMES and not (tag == "img" and name == "src"):
                problems.append(f"{name}={value!r} on <{tag}>")
    return problems
