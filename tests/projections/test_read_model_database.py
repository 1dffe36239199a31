"""The ReadModelDatabase contract, run against every adapter: SQLite file, SQLite memory
and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest

from infrastructure.database_url import DatabaseUrl
from infrastructure.read_model_database import open_read_model_database

TABLE = """CREATE TABLE IF NOT EXISTS t (
    id TEXT PRIMARY KEY, amount DECIMAL_T, at TIMESTAMP_T, n BIGINT)"""
TINY = Decimal("0.000000000000000000123456789")
BIG = Decimal("1000.000000000000000000123456789")  # 31 digits: Python's default context has 28


@pytest.fixture(params=["sqlite", "memory", "postgres"])
def database(request, tmp_path):
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    elif request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/rm.db"
    else:
        url = "memory://"
    opened = open_read_model_database(DatabaseUrl.parse(url))
    opened.ensure_tables([TABLE])
    yield opened
    opened.close()


def insert(database, id_, amount=None, at=None, n=0):
    with database.transaction() as cursor:
        cursor.execute("INSERT INTO t (id, amount, at, n) VALUES (:id, :amount, :at, :n)",
                       {"id": id_, "amount": amount, "at": at, "n": n})


def test_amounts_come_back_exactly(database):
    insert(database, "a", Decimal("1234567890.123456789012345678901234567"))

    [row] = database.fetch_all("SELECT amount FROM t")

    assert Decimal(str(row["amount"])) == Decimal("1234567890.123456789012345678901234567")


def test_exact_sums_keep_every_decimal_place(database):
    for i in range(3):
        insert(database, f"r{i}", BIG)
    with database.transaction() as cursor:
        cursor.execute("UPDATE t SET amount = rm_dec_add(amount, :x)", {"x": TINY})

    [row] = database.fetch_all("SELECT rm_dec_sum(amount) AS total, rm_dec_max(amount) AS top, "
                               "rm_dec_add(NULL, amount) AS same FROM t WHERE id = 'r0' "
                               "GROUP BY amount")
    [total] = database.fetch_all("SELECT rm_dec_sum(amount) AS total FROM t")

    assert Decimal(str(total["total"])) == Decimal("3000.000000000000000000740740734")
    assert Decimal(str(row["top"])) == Decimal("1000.000000000000000000246913578")
    assert Decimal(str(row["same"])) == Decimal("1000.000000000000000000246913578")


def test_the_larger_amount_wins_by_value_not_by_its_text(database):
    insert(database, "a", Decimal("9.5"))

    [row] = database.fetch_all("SELECT rm_dec_greatest(amount, :b) AS big, "
                               "rm_dec_greatest(NULL, amount) AS only FROM t",
                               {"b": Decimal("10.25")})

    assert Decimal(str(row["big"])) == Decimal("10.25")
    assert Decimal(str(row["only"])) == Decimal("9.5")


def test_times_are_stored_in_utc_and_compare_in_time_order(database):
    berlin = timezone(timedelta(hours=2))
    insert(database, "early", at=datetime(2025, 3, 1, 9, 0, tzinfo=berlin))  # 07:00 UTC
    insert(database, "late", at=datetime(2025, 3, 1, 8, 0, tzinfo=UTC))

    rows = database.fetch_all("SELECT id, at FROM t WHERE at >= :since ORDER BY at",
                              {"since": datetime(2025, 3, 1, 6, 59, tzinfo=UTC)})
    [greatest] = database.fetch_all("SELECT MAX(GREATEST(at, :floor)) AS g FROM t",
                                    {"floor": datetime(2000, 1, 1, tzinfo=UTC)})

    assert [r["id"] for r in rows] == ["early", "late"]
    first = rows[0]["at"]
    parsed = first if isinstance(first, datetime) else datetime.fromisoformat(first)
    assert parsed == datetime(2025, 3, 1, 7, 0, tzinfo=UTC)
    assert str(greatest["g"]).startswith("2025-03-01")


def test_a_naive_time_is_refused_on_sqlite(tmp_path):
    # (PostgreSQL reads a naive time in the session's zone, which the adapter sets to UTC.)
    database = open_read_model_database(DatabaseUrl.parse(f"sqlite:///{tmp_path}/n.db"))
    database.ensure_tables([TABLE])
    try:
        with pytest.raises(ValueError, match="naive"):
            insert(database, "x", at=datetime(2025, 1, 1))
    finally:
        database.close()


def test_ids_are_stored_as_text(database):
    insert(database, UUID(int=5))

    rows = database.fetch_all("SELECT id FROM t WHERE id = :id", {"id": UUID(int=5)})

    assert rows == [{"id": "00000000-0000-0000-0000-000000000005"}]


def test_a_transaction_that_raises_leaves_nothing_behind(database):
    with pytest.raises(RuntimeError), database.transaction() as cursor:
        cursor.execute("INSERT INTO t (id, n) VALUES ('gone', 1)")
        raise RuntimeError("boom")

    assert database.fetch_all("SELECT * FROM t") == []


def test_an_upsert_adds_to_the_stored_row(database):
    upsert = ("INSERT INTO t (id, n, amount) VALUES (:id, :n, :amount) ON CONFLICT (id) "
              "DO UPDATE SET n = t.n + excluded.n, amount = rm_dec_add(t.amount, excluded.amount)")
    with database.transaction() as cursor:
        cursor.executemany(upsert, [{"id": "k", "n": 2, "amount": Decimal("0.1")},
                                    {"id": "j", "n": 1, "amount": Decimal("0.2")}])
        cursor.execute(upsert, {"id": "k", "n": 3, "amount": Decimal("0.2")})

    rows = database.fetch_all("SELECT id, n, amount FROM t ORDER BY id")

    assert [(r["id"], r["n"], Decimal(str(r["amount"]))) for r in rows] == [
        ("j", 1, Decimal("0.2")), ("k", 5, Decimal("0.3"))]


def test_a_percent_sign_in_a_parameter_is_only_data(database):
    insert(database, "50%_off")

    rows = database.fetch_all("SELECT id FROM t WHERE id LIKE :p ESCAPE '\\'", {"p": "50\\%%"})

    assert rows == [{"id": "50%_off"}]


def test_creating_the_tables_twice_changes_nothing(database):
    insert(database, "kept")

    database.ensure_tables([TABLE])

    assert len(database.fetch_all("SELECT * FROM t")) == 1
