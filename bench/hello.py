"""A minimal Flask app, served by bench/web_bench.py behind the same gunicorn settings as Samverka: the ceiling a
page's throughput is measured against."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
