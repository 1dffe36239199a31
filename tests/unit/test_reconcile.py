from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from uuid import uuid4

from application.audit.provider_export import provider_costs
from application.audit.reconcile import ClosedAccount, reconcile
from application.audit.statement import Statement

T0, T1 = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)


def a_statement() -> Statement:
    statement = Statement(None, uuid4(), T0, T1)
    for request_id, cost in (("req_a", Decimal("0.001")), ("req_b", Decimal("0.002"))):
        statement.total.add(10, 5, cost, cost * 2)
        statement.lines[request_id] = (10, 5, cost, cost * 2)
        statement.admitted += 1
    return statement


def test_sources_that_agree_report_nothing():
    statement = a_statement()
    totals = {"requests": 2, "prompt_tokens": 20, "completion_tokens": 10,
              "provider_cost": Decimal("0.003"), "billed_cost": Decimal("0.006")}

    result = reconcile(statement, totals, dict(statement.lines), None, None, None)

    assert result.agrees


def test_a_difference_names_the_requests_behind_it():
    statement = a_statement()
    lines = dict(statement.lines)
    lines["req_b"] = (10, 5, Decimal("0.0021"), Decimal("0.0042"))
    totals = {"provider_cost": Decimal("0.0031")}

    result = reconcile(statement, totals, lines, None, None, None)

    [difference] = result.differences
    assert (difference.what, difference.request_ids) == ("provider_cost", ("req_b",))


def test_a_closed_statement_with_other_totals_differs():
    statement = a_statement()
    closed = SimpleNamespace(prompt_tokens=20, completion_tokens=10,
                             provider_cost=Decimal("0.003"), billed_cost=Decimal("0.0061"),
                             events=0, digest=statement.chain.head)

    result = reconcile(statement, {}, dict(statement.lines),
                       ClosedAccount(closed, statement), None, None)

    assert [d.what for d in result.differences] == ["billed_cost"]


def test_a_late_event_differs_until_an_adjustment_settles_it():
    statement, as_closed = a_statement(), a_statement()
    late_id = next(iter(statement.lines))
    del as_closed.lines[late_id]
    closed = SimpleNamespace(**{name: getattr(as_closed.total, name) for name in (
        "prompt_tokens", "completion_tokens", "provider_cost", "billed_cost")},
        events=as_closed.chain.count, digest=as_closed.chain.head)
    line = statement.lines[late_id]
    note = SimpleNamespace(late_request_ids=[late_id], late_provider_cost=line[2],
                           late_billed_cost=line[3])

    unsettled = reconcile(statement, {}, {}, ClosedAccount(closed, as_closed), None, None)
    settled = reconcile(statement, {}, {}, ClosedAccount(closed, as_closed, [note]), None,
                        None)
    twice = reconcile(statement, {}, {}, ClosedAccount(closed, as_closed, [note, note]),
                      None, None)

    assert [(d.what, d.request_ids) for d in unsettled.differences] == [
        ("late events in no adjustment yet", (late_id,))]
    assert settled.agrees, settled.differences
    assert [d.what for d in twice.differences] == ["adjusted twice, or not late"]


def test_provider_exports_are_read_from_csv_json_and_openai_cost_pages():
    csv_text = "date,model,cost\n2026-11-02,gpt-4o,1.25\n2026-11-02,gpt-4o,0.75\n"
    rows = '[{"day": "2026-11-03", "model": "gpt-4o-mini", "amount": "0.10"}]'
    pages = ('{"data": [{"start_time": 1793577600, "results": [{"amount": {"value": 0.5}, '
             '"line_item": "gpt-4o, input"}]}]}')

    assert provider_costs(csv_text) == {("2026-11-02", "gpt-4o"): Decimal("2.00")}
    assert provider_costs(rows) == {("2026-11-03", "gpt-4o-mini"): Decimal("0.10")}
    assert provider_costs(pages) == {("2026-11-02", "gpt-4o"): Decimal("0.5")}
