"""Text helpers for printed documents (WeasyPrint): bidirectional isolation of names and
placeholders, Latin runs inside right-to-left text, CSS string literals for margin boxes.
Shared by the consent form, the integration plan and later letters."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Unicode directional isolates: FSI ... PDI lets a name find its own direction; LRI ... PDI forces
# left-to-right for Latin legal references inside Arabic/Persian sentences.
_FSI, _LRI, _PDI = "\u2068", "\u2066", "\u2069"
_PLACEHOLDER = re.compile(r"(\{\w+\})")
_LATIN_RUN = re.compile(r"[§A-Za-z0-9](?:[§A-Za-z0-9 ./'-]*[A-Za-z0-9])?")


_NBSP = "\u00a0"
# Keep legal references together ("Art. 9 Abs. 2", "§ 67b", "SGB II", "z. B.").
_LEGAL_SPACE = re.compile(r"(§|\bArt\.|\bAbs\.|\bBuchst\.|\bSGB|\bz\.|\bNr\.|№) (?=\S)")
# Names up to this length do not wrap inside right-to-left lines (a wrapped isolate loses its
# direction on the next line).
_NOWRAP_MAX = 60


def isolate(value: str, nowrap: bool = False) -> str:
    if nowrap and len(value) <= _NOWRAP_MAX:
        value = value.replace(" ", _NBSP)
    return f"{_FSI}{value}{_PDI}"


def _rtl_latin(match: re.Match) -> str:
    return f"{_LRI}{match.group(0).replace(' ', _NBSP)}{_PDI}"


def css_string(value: str) -> SafeString:
    """A CSS string literal (for margin-box content); safe inside <style>."""
    out = ['"']
    for ch in value:
        if ch in '"\\<>&' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    out.append('"')
    return mark_safe("".join(out))  # noqa: S308 - every special character is escaped above  # nosec B308, B703


def markup(text: str, rtl: bool, values: dict[str, str] | None = None) -> SafeString:
    """Escape a fixed text and fill its placeholders (isolated); in RTL text isolate Latin runs."""
    values = values or {}
    parts = []
    for piece in _PLACEHOLDER.split(text):
        match = _PLACEHOLDER.fullmatch(piece)
        if match and piece[1:-1] in values:
            parts.append(escape(isolate(values[piece[1:-1]], nowrap=rtl)))
        elif rtl:
            parts.append(escape(_LATIN_RUN.sub(_rtl_latin, piece)))
        else:
            parts.append(escape(_LEGAL_SPACE.sub(rf"\1{_NBSP}", piece)))
    return mark_safe("".join(parts))  # noqa: S308 - all pieces escaped  # nosec B308, B703


# Latin words with letters beyond ASCII (umlauts: "Bürgerbüro") would be split by the Latin-run
# rule in right-to-left text; they are kept whole.
_WIDE_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]*[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f][A-Za-z\u00c0-\u024f]*")


def ltr(value: str) -> str:
    """Force left to right (phone numbers: digits, spaces and dashes have no direction of their
    own and would be reordered inside right-to-left text)."""
    return f"{_LRI}{value}{_PDI}"


def markup_whole_words(text: str, rtl: bool, values: dict[str, str] | None = None) -> SafeString:
    """`markup`, with non-ASCII Latin words kept whole in right-to-left text (letters, sheets)."""
    if rtl:
        text = _WIDE_LATIN_WORD.sub(lambda m: ltr(m.group(0)), text)
    return markup(text, rtl, values)


PDF_VARIANT = "pdf/ua-1"


def write_tagged_pdf(document, *, what: str) -> bytes:
    """A WeasyPrint document (HTML or rendered) as PDF bytes: tagged PDF/UA-1 where WeasyPrint
    manages it, else a plain PDF (logged), so a printout never fails on the variant."""
    import logging

    try:
        return document.write_pdf(pdf_variant=PDF_VARIANT)
    except Exception:  # noqa: BLE001 - any variant failure: fall back to a plain PDF
        logging.getLogger(__name__).warning("%s: %s output failed, writing plain PDF", what, PDF_VARIANT,
                                            exc_info=True)
        return document.write_pdf()


def warm_up() -> None:
    """Load WeasyPrint and the fonts once (about 1.8 s on the reference machine), so that the
    first document a web worker prints (welcome sheet, consent form, letter) takes as long as
    every later one. Called in the background when a web worker starts (`config.wsgi`)."""
    import logging

    try:
        from weasyprint import HTML

        HTML(string='<p lang="de">Willkommen</p><p lang="ar" dir="rtl">مرحباً</p>').write_pdf()
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first request the time
        logging.getLogger(__name__).warning("printing warm-up failed", exc_info=True)
