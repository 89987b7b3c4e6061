"""docs/tables.md against the real schema, so the table documentation cannot fall behind it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.analysis import connect
from pipeline.emit.store import STORE_VIEWS, tables
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
SECTION = re.compile(r"^### `(\w+)`\n(.*?)(?=^##)", re.M | re.S)
ROW = re.compile(r"^\| `(\w+)` \| ([A-Z\[\]]+) \|", re.M)
INHERITS = re.compile(r"Every column of `(\w+)`(?: except ((?:`\w+`(?:, )?)+))?")
SQL = re.compile(r"```sql\n(.*?)```", re.S)


def sections() -> dict[str, str]:
    return dict(SECTION.findall(DOC + "\n## end"))


def documented(name: str) -> dict[str, str]:
    """Column → type as the page gives them, following "Every column of `x` except `y`"."""
    body = sections()[name]
    columns: dict[str, str] = {}
    for base, excepted in INHERITS.findall(body):
        dropped = set(re.findall(r"`(\w+)`", excepted))
        columns.update({c: t for c, t in documented(base).items() if c not in dropped})
    columns.update(ROW.findall(body))
    return columns


def actual(store: Path, name: str) -> dict[str, str]:
    with connect(store) as con:
        relation = con.table(f'"{name}"')
        return {c: str(t) for c, t in zip(relation.columns, relation.types)}


def test_every_table_and_view_has_a_section_and_every_section_names_one():
    assert set(sections()) == {*tables(), *STORE_VIEWS}


@pytest.mark.parametrize("output", ["store", "extract_out"])
@pytest.mark.parametrize("name", [*tables(), *STORE_VIEWS])
def test_every_column_of_a_run_store_and_an_extract_output_is_documented_with_its_duckdb_type(request, output, name):
    assert documented(name) == actual(request.getfixturevalue(output), name)


@pytest.mark.parametrize("sql", SQL.findall(DOC), ids=lambda sql: sql.split("\n")[0][:40])
def test_every_sql_example_runs_on_a_run_store(store, sql):
    with connect(store) as con:
        con.sql(sql).fetchall()


def test_the_examples_cover_the_joined_views():
    examples = "\n".join(SQL.findall(DOC))
    for view in ("distinct_documents", "duty_details", "citations", "deadline_calendar", "reporting_schedule"):
        assert f"FROM {view}" in examples
