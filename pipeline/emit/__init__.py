"""Emit: records into a store (records.jsonl, a DuckDB database and its Parquet export).

``store.Store`` is the only writer: ``vnplan run`` and ``vnplan extract`` commit through it
as files are processed, ``store.write_store`` for records made some other way.

Import from the modules themselves: this file imports nothing, so that a worker writing a
searchable PDF (``searchable``) does not load the store's DuckDB and Arrow.
"""
