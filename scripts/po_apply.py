"""Set German translations in a .po file from JSON files of {msgid: German text}.

    python scripts/po_apply.py src/lotse/locale/de/LC_MESSAGES/django.po a.json [b.json …]

A plural entry takes a list: {"%(n)s case": ["%(n)s Fall", "%(n)s Fälle"]}.
Used by `make translations`; it clears the fuzzy flag of every entry it sets."""

import json
import re
import sys


def _msgid(block: str) -> str | None:
    match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
    if not match:
        return None
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
    return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def apply(po_path: str, translations: dict[str, str]) -> set[str]:
    blocks = open(po_path, encoding="utf-8").read().split("\n\n")
    done = set()
    out = []
    for block in blocks:
        msgid = _msgid(block)
        if msgid and msgid in translations and (
            isinstance(translations[msgid], list) == bool(re.search(r"^msgid_plural ", block, re.M))
        ):
            lines = [line for line in block.split("\n") if not line.startswith("#|")]
            lines = [line for line in lines if line != "#, fuzzy"]
            lines = [re.sub(r"^#, fuzzy, ", "#, ", line) for line in lines]
            head = []
            for line in lines:
                if line.startswith("msgstr"):
                    break
                head.append(line)
            text = translations[msgid]
            if isinstance(text, list):
                block = "\n".join(head) + "".join(
                    f'\nmsgstr[{i}] "{_escape(form)}"' for i, form in enumerate(text))
            else:
                block = "\n".join(head) + f'\nmsgstr "{_escape(text)}"'
            done.add(msgid)
        out.append(block)
    with open(po_path, "w", encoding="utf-8") as handle:
        handle.write("\n\n".join(out))
    return done


if __name__ == "__main__":
    catalogue, *sources = sys.argv[1:]
    merged: dict[str, str] = {}
    for source in sources:
        with open(source, encoding="utf-8") as handle:
            merged.update(json.load(handle))
    applied = apply(catalogue, merged)
    unused = sorted(set(merged) - applied)
    print(f"set {len(applied)} German texts; not in the catalogue: {len(unused)}")
