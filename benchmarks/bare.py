"""The framework's floor: a bare Flask + Jinja page of a given size (`/bare?kb=600`), a table of
rows like the ranking's, served by the same gunicorn as smallgrants. `run.py` divides each
page's time by this page's time at the same size."""

from __future__ import annotations

from flask import Flask, render_template_string, request

app = Flask(__name__)

ROW = (
    "<tr><td>{{ i }}</td><td>SG-0001-{{ '%03d' % i }}</td><td>«Бастама {{ i }}» бастамашыл тобы"
    '</td><td class="text-end">5</td><td class="text-end">{{ \'%.2f\' % (i / 7) }}</td></tr>'
)
PAGE = (
    '<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>Bare</title></head>'
    "<body><table>{% for i in rows %}" + ROW + "{% endfor %}</table></body></html>"
)


@app.get("/bare")
def bare():
    kb = max(int(request.args.get("kb", "1")), 1)
    rows = range(1, max(kb * 1024 // 150, 1) + 1)  # ~150 bytes a row
    return render_template_string(PAGE, rows=rows)
