"""The file formats `vnplan query` and `vnplan export` write, apart from the writers: the
command line names them when it starts, and should not load pandas and openpyxl to do so."""

from __future__ import annotations

from enum import Enum


class OutputFormat(str, Enum):
    csv = "csv"
    tsv = "tsv"
    json = "json"
    parquet = "parquet"


class ExportFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"
