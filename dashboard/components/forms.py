"""Labelled form fields, and the write controls a role may not see."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from domain.errors import InvalidInput


def field(label: str, control: Any, hint: str | None = None) -> html.Div:
    control_id = getattr(control, "id", None)
    label_el = html.Label(label, htmlFor=control_id) if isinstance(control_id, str) \
        else html.Label(label)
    return html.Div([label_el, control, html.Small(hint) if hint else None], className="field")


def text_input(input_id: str, value: str | None = None, placeholder: str = "",
               disabled: bool = False, kind: str = "text", debounce: bool = True) -> dcc.Input:
    # Dash's Input moves the caret with setSelectionRange, which type=email refuses.
    mode = {"type": "text", "inputMode": "email"} if kind == "email" else {"type": kind}
    return dcc.Input(id=input_id, value=value or "", placeholder=placeholder,
                     disabled=disabled, debounce=debounce, className="input", **mode)


def number_input(input_id: str, value: float | None, disabled: bool = False,
                 minimum: float = 0, step: float = 1) -> dcc.Input:
    return dcc.Input(id=input_id, type="number", value=value, min=minimum, step=step,
                     disabled=disabled, className="input")


def submit(label: str, button_id: str, kind: str = "primary") -> html.Button:
    return html.Button(label, id=button_id, n_clicks=0, className=f"button button-{kind}")


def read_only_note(what: str) -> html.P:
    return html.P(f"Your role can view {what} but not change them.", className="read-only")


def blank_to_none(value: Any) -> Any:
    """Empty inputs mean 'not set'; Dash sends them as '' or None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else value


def whole_number(value: Any, name: str) -> int | None:
    """Number inputs may hand over 100.0; a limit is a count, so only whole values pass."""
    value = blank_to_none(value)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InvalidInput(f"{name.replace('_', ' ')} must be a whole number", field=name)
