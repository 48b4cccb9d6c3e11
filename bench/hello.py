"""The baseline: a bare Flask app with one page, served the same way as Dialog."""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)

HELLO_HTML = "<!doctype html><html lang=en><title>Hello</title><p>Hello, world!</p></html>"


@app.route("/")
def hello() -> str:
    """Return a short HTML page."""
    return HELLO_HTML
