"""Imported by the fork server unless the run's inputs are all images (server.start_fork_server):
the libraries that the readers of DOCX, PDF tables, web pages and Markdown import the first
time a file needs them (0.13-0.16 s together), imported here once for every worker instead."""

import importlib

READER_LIBRARIES = ["pipeline.ingest.docx", "pdfplumber", "lxml.html", "markdown_it"]

for name in READER_LIBRARIES:
    importlib.import_module(name)
