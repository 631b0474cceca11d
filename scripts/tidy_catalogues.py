"""After `pybabel update`: the English catalogue says what the code says, and both catalogues are written alike.

A new message's English text is its msgid (an English wording edited by hand in the .po file is kept). Both .po
files are rewritten 120 characters wide, without Babel's placeholder header lines, so a diff shows only what
changed. Run by `make extract-messages`.
"""
import re
from pathlib import Path

from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "tracker" / "translations"
PLACEHOLDERS = re.compile(r'^"(Report-Msgid-Bugs-To: EMAIL@ADDRESS|Last-Translator: FULL NAME <EMAIL@ADDRESS>|'
                          r'Language-Team: \w+ <LL@li\.org>)\\n"\n', re.MULTILINE)


def tidy(language: str) -> int:
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as f:
        catalogue = read_po(f, locale=language)
    catalogue.project, catalogue.version = "Samverka", ""
    filled = 0
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if language == "en" and message.id and not all(strings):
            message.string = message.id
            filled += 1
    with open(path, "wb") as f:
        write_po(f, catalogue, width=120, omit_header=False, ignore_obsolete=True)
    text = path.read_text(encoding="utf-8")
    text = PLACEHOLDERS.sub("", text).replace('"Project-Id-Version: Samverka \\n"', '"Project-Id-Version: Samverka\\n"')
    text = re.sub(r"\A(# [^\n]*\n)+#\n", "# Samverka interface texts.\n#\n", text)
    path.write_text(text, encoding="utf-8")
    return filled


if __name__ == "__main__":
    print(f"English catalogue: {tidy('en')} new message(s) filled in from the code.")
    tidy("sv")
