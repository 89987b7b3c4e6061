"""The static review site: store -> page models (``pages``) -> HTML files under one folder.

Every page is written by a Jinja2 template from a small page model; document pages are
written one at a time, as they are built, so that the site stays bounded whatever the
store holds.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from pipeline.analysis import connect
from pipeline.analysis.export import cut_sources
from pipeline.records import KINDS
from pipeline.review.cells import cell
from pipeline.review.pages import (
    DOCUMENTS_DIR,
    DocumentPage,
    Site,
    document_pages,
    document_path,
    read_site,
)
from pipeline.rules import load_model


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.review"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["basename"] = lambda path: PurePath(path or "").name
    env.filters["cell"] = cell
    env.globals["group_captions"] = group_captions()
    env.globals["group_colours"] = {kind.name: kind.highlight.colour for kind in KINDS.values() if kind.highlight}
    return env


def group_captions() -> dict[str, str]:
    """The title of each table of a document page, in Vietnamese and English: the header's
    fields, every kind of the registry (its workbook sheet's name) and the warnings."""
    sheets = load_model("captions")["sheets"]
    titles = {"document": "Trường đầu văn bản · Header fields"}
    for name in [*(kind.name for kind in KINDS.values()), "warnings"]:
        english = name.replace("_", " ").capitalize()
        vietnamese = (sheets.get(name) or {}).get("name")
        titles[name] = f"{vietnamese} · {english}" if vietnamese else english
    return titles


def render_site(site: Site, env: Environment) -> dict[str, str]:
    """Relative path -> HTML of the index and analysis pages."""
    return {
        "index.html": env.get_template("index.html").render(documents=site.documents, root=""),
        "compare.html": env.get_template("compare.html").render(page=site.compare, root=""),
        "graph.html": env.get_template("graph.html").render(page=site.graph, root=""),
        "echoes.html": env.get_template("echoes.html").render(page=site.echoes, root=""),
    }


def render_documents(pages: Iterable[DocumentPage], env: Environment) -> Iterator[tuple[str, str]]:
    """Relative path and HTML of each document page, as the pages come."""
    template = env.get_template("document.html")
    for page in pages:
        yield document_path(page.doc["doc_id"]), template.render(page=page, root="../")


def write_pages(pages: Iterable[tuple[str, str]], out: Path) -> int:
    """Writes each page as it comes; returns how many."""
    count = 0
    for relative, html in pages:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        count += 1
    return count


def write_site(store: str | os.PathLike[str], out: str | os.PathLike[str]) -> dict[str, int]:
    """Writes the site for STORE into OUT; returns the number of pages of each kind.
    The documents folder is written anew, so a record gone from the store loses its page."""
    target, env = Path(out), environment()
    with connect(store) as con:
        cut_sources(con, "csv")
        site = read_site(con)
        shutil.rmtree(target / DOCUMENTS_DIR, ignore_errors=True)
        documents = write_pages(render_documents(document_pages(con, site.documents), env), target)
    analysis = write_pages(render_site(site, env).items(), target)
    return {"documents": documents, "pages": documents + analysis}
