"""Attempts to run script from contributed content, one per resource page: in the Markdown body, and in
front-matter fields that the generator writes into pages (titles, summaries, contact names...).

Each payload calls `__xss(N)` (or shows a dialog) if it ever runs; N is its place in PAYLOADS. `refused`
says whether `tie check` refuses it; built with the check bypassed, every one must be harmless.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Payload:
    name: str
    text: str  # "__xss(N)" in it becomes __xss(<its number>)
    field: str = "body"  # or a front-matter field: title, summary, contact.name, contact.email, provider, duration, link
    refused: bool = True  # by `tie check`


PAYLOADS: tuple[Payload, ...] = (
    # Raw HTML in the body
    Payload("script tag", "Text.\n\n<script>__xss(N)</script>\n"),
    Payload("img onerror", "<img src=x onerror=__xss(N)>\n"),
    Payload("img onerror, mixed case", "Inline <IMG SRC=x OnErRoR=__xss(N)> image.\n"),
    Payload("img with slashes for spaces", "<img/src=x/onerror=__xss(N)>\n"),
    Payload("img onerror with entity-encoded handler", '<img src="x" onerror="&#95;&#95;xss(N)">\n'),
    Payload("svg onload", "<svg onload=__xss(N)>\n"),
    Payload("svg script", "<svg><script>__xss(N)</script></svg>\n"),
    Payload("svg link", '<svg><a xlink:href="javascript:__xss(N)"><text y="20">Click</text></a></svg>\n'),
    Payload("math link", '<math href="javascript:__xss(N)">Click</math>\n'),
    Payload("iframe javascript", '<iframe src="javascript:parent.__xss(N)"></iframe>\n'),
    Payload("iframe srcdoc", '<iframe srcdoc="<script>parent.__xss(N)</script>"></iframe>\n'),
    Payload("object", '<object data="javascript:__xss(N)"></object>\n'),
    Payload("embed", '<embed src="javascript:__xss(N)">\n'),
    Payload("style onload", "<style onload=__xss(N)>p{}</style>\n"),
    Payload("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:__xss(N)">\n'),
    Payload("base href", '<base href="javascript:__xss(N)//">\n\n[A relative link](../../library/)\n'),
    Payload("form action", '<form action="javascript:__xss(N)"><input type="submit" value="Go"></form>\n'),
    Payload("button formaction", '<form><button formaction="javascript:__xss(N)">Send</button></form>\n'),
    Payload("input autofocus onfocus", "<input autofocus onfocus=__xss(N)>\n"),
    Payload("select autofocus onfocus", "<select autofocus onfocus=__xss(N)><option>x</option></select>\n"),
    Payload(
        "details ontoggle (an allowed tag)", "<details open ontoggle=__xss(N)>\n<summary>More</summary>\nText.\n</details>\n"
    ),
    Payload("abbr onmouseover (an allowed tag)", '<abbr title="x" onmouseover="__xss(N)">MTFP</abbr> is a plan.\n'),
    Payload("kbd onclick (an allowed tag)", "Press <kbd onclick=__xss(N)>Enter</kbd>.\n"),
    Payload("tag name with a colon", "<kbd:x onclick=__xss(N)>Click</kbd:x>\n"),
    Payload("email-like tag", "<a\tonclick=__xss(N)@x>Click</a>\n"),
    Payload("raw javascript link", '<a href="&#106;avascript:__xss(N)">Click</a>\n'),
    Payload("video source onerror", "<video><source onerror=__xss(N)></video>\n"),
    Payload("marquee onstart", "<marquee onstart=__xss(N)>x</marquee>\n"),
    Payload("mutation through math and style", "<math><mtext><table><mglyph><style><img src=x onerror=__xss(N)>\n"),
    Payload("mutation through noscript", '<noscript><p title="</noscript><img src=x onerror=__xss(N)>">\n'),
    Payload("abbr title broken by a code span", '<abbr title="`"onmouseover=__xss(N) x="`">MTFP</abbr>\n'),
    Payload("code span that Markdown does not close", "`<img src=x onerror=__xss(N)>``\n"),
    Payload("html inside a fence that is never closed", "```\n<img src=x onerror=__xss(N)>\n````\n"),
    Payload("code span inside an HTML block", "<details>\n`<img src=x onerror=__xss(N)>`\n</details>\n"),
    Payload("table cell", "| a |\n|---|\n| <img src=x onerror=__xss(N)> |\n"),
    # Breaking out of the contributed part
    Payload("unclosed comment", "Text.\n\n<!-- <img src=x onerror=__xss(N)>\n"),
    Payload("closing tags of the page", "</div></div></article><img src=x onerror=__xss(N)>\n"),
    Payload("unclosed textarea", "</textarea><script>__xss(N)</script><textarea>\n"),
    Payload("unclosed attribute", '<abbr title="\n\nText " onmouseover="__xss(N)">x</abbr>\n'),
    Payload("unclosed xmp", "<xmp><img src=x onerror=__xss(N)>\n"),
    Payload("plaintext", "<plaintext><img src=x onerror=__xss(N)>\n"),
    # Attribute lists (attr_list) and Markdown inside HTML (md_in_html)
    Payload("attr_list on a heading", '## Heading { onclick="__xss(N)" }\n'),
    Payload("attr_list on a paragraph", 'Para.\n{: onmouseover="__xss(N)" }\n'),
    Payload("attr_list on a link", '[link](https://example.org){: onclick="__xss(N)" }\n'),
    Payload("attr_list bare words", "Para.\n{ onmouseover autofocus }\n"),
    Payload("attr_list id breaking out in the table of contents", "## Heading {: id='a\" onmouseover=\"__xss(N)' }\n"),
    Payload("attr_list toc label", '## Heading { data-toc-label="<img src=x onerror=__xss(N)>" }\n'),
    Payload("md_in_html onclick", '<div markdown="1" onclick="__xss(N)">\n**Bold**\n</div>\n'),
    Payload("md_in_html onmouseover", '<p markdown onmouseover="__xss(N)">*hover*</p>\n'),
    # Links, however disguised
    Payload("javascript link", "[Click](javascript:__xss(N))\n"),
    Payload("javascript link, mixed case", "[Click](JaVaScRiPt:__xss(N))\n"),
    Payload("javascript link, entity", "[Click](jav&#x61;script:__xss(N))\n"),
    Payload("javascript link, entity tab", "[Click](jav&#x09;ascript:__xss(N))\n"),
    Payload("javascript link, entity newline", "[Click](<java&#10;script:__xss(N)>)\n"),
    Payload("javascript link, named entity colon", "[Click](javascript&colon;__xss(N))\n"),
    Payload("javascript link, percent-encoded", "[Click](%6Aavascript:__xss(N))\n"),
    Payload("javascript link, percent-encoded code", "[Click](javascript:%5F%5Fxss(N))\n"),
    Payload("javascript link in angle brackets", "[Click](<javascript:__xss(N)>)\n"),
    Payload("javascript link on the next line", "[Click](\njavascript:__xss(N))\n"),
    Payload("javascript link in a code span", "[Click](`javascript:__xss(N)`)\n"),
    Payload("javascript link with a title", '[Click](javascript:__xss(N) "A title")\n'),
    Payload("reference-style javascript link", "[Click][r]\n\n[r]: javascript:__xss(N)\n"),
    Payload("reference on the next line", "[Click][r]\n\n[r]:\n    javascript:__xss(N)\n"),
    Payload("autolink", "<javascript:__xss(N)>\n"),
    Payload("image javascript", "![Chart](javascript:__xss(N))\n"),
    Payload("image title breakout", '![Chart](/assets/chart.png "\\" onerror=\\"__xss(N)")\n'),
    Payload("image from another host", "![Chart](https://evil.example/__xss(N).png)\n"),
    Payload("image from another host, backslashes", "![Chart](/\\evil.example/__xss(N).png)\n"),
    Payload("vbscript link", "[Click](vbscript:__xss(N))\n"),
    Payload("data link", "[Click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)\n"),
    # Footnotes, abbreviations, admonitions and headings that reach the table of contents
    Payload("footnote with html", "A claim[^1].\n\n[^1]: <img src=x onerror=__xss(N)>\n"),
    Payload("footnote with javascript link", "A claim[^n].\n\n[^n]: See [this](javascript:__xss(N)).\n"),
    Payload("abbreviation definition", '*[MTFP]: "><img src=x onerror=__xss(N)>\n\nThe MTFP.\n'),
    Payload("admonition title", '!!! note "<img src=x onerror=__xss(N)>"\n    Body.\n'),
    Payload("details title", '??? note "<img src=x onerror=__xss(N)>"\n    Body.\n'),
    Payload("code fence title", '```python title="<img src=x onerror=__xss(N)>"\nx = 1\n```\n'),
    Payload("heading with html", "## <img src=x onerror=__xss(N)> Heading\n"),
    Payload("heading with escaped html (text, allowed)", "## &lt;img src=x onerror=__xss(N)&gt;\n", refused=False),
    Payload("heading with script", "## <script>__xss(N)</script>\n"),
    # Front-matter values the generator writes into pages
    Payload("title with html", "<img src=x onerror=__xss(N)>", field="title"),
    Payload("title closing the title element", "</title><script>__xss(N)</script>", field="title"),
    Payload("title breaking an attribute", '"><svg onload=__xss(N)>', field="title"),
    Payload("summary breaking the meta description", '"><img src=x onerror=__xss(N)>', field="summary"),
    Payload("summary with script", "<script>__xss(N)</script>", field="summary"),
    Payload("contact name", "<img src=x onerror=__xss(N)>", field="contact.name"),
    Payload("contact email", 'x@example.org"><img src=x onerror=__xss(N)>', field="contact.email"),
    Payload("provider", "<svg onload=__xss(N)>", field="provider"),
    Payload("duration", "<img src=x onerror=__xss(N)>", field="duration"),
    Payload("link with javascript", "javascript:__xss(N)", field="link"),
    Payload(
        "link breaking its attribute (passes the check)",
        'https://example.org/"onmouseover="__xss(N)',
        field="link",
        refused=False,
    ),
)
