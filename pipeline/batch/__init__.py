"""Batch runs over archives: incremental, parallel, crash-safe, on this machine or on Dask.

A run (``vnplan run SOURCE... --store DIR``, and ``vnplan extract`` into a fresh store):

1. ``scan``: finds the files under the sources, and every entry passed over with its reason;
2. ``plan``: compares the hashes with the store's ``files`` table (pure): new, changed,
   outdated (processed by an older pipeline version), unchanged, moved, deleted;
3. ``workers``: processes each content that has no current result in worker processes
   (a pebble pool here, or a Dask cluster), each file under a timeout and a memory limit;
4. ``run``: commits the results in this process only, as they stream back, a small batch
   per DuckDB transaction, then exports the Parquet tables; ``progress`` tells the user
   and writes the run log.

Work is keyed by content (sha256), so a renamed file or a second copy is never processed
again, and a rerun after a crash redoes only what was not committed.

Import from the modules themselves: this file imports nothing, so that the workers' fork
server, which needs ``workers`` and ``scan``, does not load the store's DuckDB and Arrow.
"""
