"""The sign-in form: plain HTML, so that it works before any script is loaded."""

from __future__ import annotations

import flask

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · LLM Gateway</title>
<link rel="icon" href="{{ root }}/_favicon.ico">
<style>
 body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6fa;
  margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center;color:#1f2937}
 form{background:#fff;padding:2rem;border-radius:12px;box-shadow:0 2px 12px #0001;
  width:min(360px,90vw);box-sizing:border-box}
 h1{font-size:1.3rem;margin:0 0 .25rem} p.sub{margin:0 0 1.5rem;color:#6b7280}
 label{display:block;font-weight:600;margin:.9rem 0 .3rem}
 input{width:100%;padding:.6rem;border:1px solid #cbd5e1;border-radius:8px;font-size:1rem;
  box-sizing:border-box}
 button{margin-top:1.4rem;width:100%;padding:.7rem;border:0;border-radius:8px;
  background:#2563eb;color:#fff;font-size:1rem;font-weight:600;cursor:pointer}
 .error{background:#fef2f2;color:#991b1b;padding:.6rem .8rem;border-radius:8px}
 .note{background:#eff6ff;color:#1e3a8a;padding:.6rem .8rem;border-radius:8px}
</style></head>
<body><form method="post" action="{{ action }}" id="login-form">
<h1>LLM Gateway</h1><p class="sub">Staff sign-in</p>
{% if error %}<p class="error" role="alert" id="login-error">{{ error }}</p>{% endif %}
{% if note %}<p class="note" id="login-note">{{ note }}</p>{% endif %}
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="hidden" name="next" value="{{ next }}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="{{ email }}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" id="login-submit">Sign in</button>
</form></body></html>"""


def login_page(csrf: str, next_path: str, email: str = "", error: str | None = None,
               note: str | None = None, status: int = 200) -> flask.Response:
    html = flask.render_template_string(
        TEMPLATE, root=flask.request.script_root, action=f"{flask.request.script_root}/login",
        csrf=csrf, next=next_path,
        email=email, error=error, note=note)
    return flask.Response(html, status=status, mimetype="text/html")
