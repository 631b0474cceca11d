"""Static files under fingerprinted names, so browsers and proxies keep them for a year and a new version is a new URL.

At start-up each file in the static folder gets a name with a hash of its content (css/samverka.css →
css/samverka.1f2e3d4c5b6a.css). `url_for("static", filename="css/samverka.css")` gives the fingerprinted address
everywhere (pages, and any e-mail or PDF that would link a static file); that address is served with
`Cache-Control: public, max-age=31536000, immutable`. The plain name still answers, cached for a few minutes. A
fingerprint this process does not know (a page from an instance running another version, during a rolling deploy) is
served with the file it has, cached briefly: a year of the wrong file is worse than one more request.
"""
import hashlib
import re
from pathlib import Path

from flask import Flask, Response, send_from_directory

HASH_LENGTH = 12
YEAR = 365 * 24 * 60 * 60
FOREVER = f"public, max-age={YEAR}, immutable"
PLAIN_MAX_AGE = 300  # seconds
FINGERPRINTED = re.compile(rf"^(?P<stem>.+)\.[0-9a-f]{{{HASH_LENGTH}}}(?P<suffix>\.[^./]+)$")


def fingerprinted_name(name: str, content: bytes) -> str:
    """name with the start of its content's SHA-256 before the extension: css/a.css → css/a.0123456789ab.css."""
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    folder, _slash, file = name.rpartition("/")
    stem, dot, suffix = file.rpartition(".")
    fingerprinted = f"{stem}.{digest}.{suffix}" if dot and stem else f"{file}.{digest}"
    return f"{folder}/{fingerprinted}" if folder else fingerprinted


def fingerprints(folder: Path) -> dict[str, str]:
    """Every file under folder (its path with '/') → its fingerprinted name."""
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return {p.relative_to(folder).as_posix(): fingerprinted_name(p.relative_to(folder).as_posix(), p.read_bytes())
            for p in files}


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder or "")
    names = fingerprints(folder)
    originals = {fingerprinted: name for name, fingerprinted in names.items()}

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]

    def static(filename: str) -> Response:
        original = originals.get(filename)
        if original is not None:
            response = send_from_directory(folder, original, max_age=YEAR)
            response.headers["Cache-Control"] = FOREVER
            return response
        match = FINGERPRINTED.match(filename)
        plain = match["stem"] + match["suffix"] if match and match["stem"] + match["suffix"] in names else filename
        return send_from_directory(folder, plain, max_age=PLAIN_MAX_AGE)

    app.view_functions["static"] = static
