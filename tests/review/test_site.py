"""The review site: a real store from the sample corpus, the real site, opened in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from typer.testing import CliRunner

from pipeline.analysis.export import limits
from pipeline.batch.run import RunOptions, run
from pipeline.cli import app
from pipeline.review.site import write_site
from tests.conftest import CORPUS
from tests.review.huge_store import TITLE_CHARS, huge_record_store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CASCADE = CORPUS.parent / "tests" / "analysis" / "documents" / "cascade"
SITE_PAGES = ("index.html", "compare.html", "graph.html", "echoes.html")


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> Path:
    """The five sample plans as text and as DOCX: ten records, five documents."""
    root = tmp_path_factory.mktemp("review-store")
    summary = run(RunOptions(sources=(str(CORPUS / "txt"), str(CORPUS / "docx")), store=root, workers=1))
    assert summary.failed == 0
    return root


@pytest.fixture(scope="session")
def site(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("review-site")
    write_site(store, out)
    return out


@pytest.fixture(scope="session")
def cascade_site(tmp_path_factory) -> Path:
    """The composed cascade of tests/analysis: a province plan, the plans of two Sở implementing
    it, plans of the same number from another year and province, and a police report."""
    root = tmp_path_factory.mktemp("cascade")
    assert run(RunOptions(sources=(str(CASCADE),), store=root / "store", workers=1)).failed == 0
    write_site(root / "store", root / "site")
    return root / "site"


@pytest.fixture(scope="session")
def huge_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("huge")
    write_site(huge_record_store(root), root / "site")
    return root / "site"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: install it with `apt-get install -y chromium` "
            "(`make test` does, from SYSTEM_PACKAGES in the Makefile)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Opened:
    """A page of the site in the browser, with every console error, page error and request it made."""

    def __init__(self, browser: Browser, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page: Page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(path.as_uri())


@pytest.fixture
def opened(browser):
    pages: list[Opened] = []

    def open_(path: Path) -> Opened:
        pages.append(Opened(browser, path))
        return pages[-1]

    yield open_
    for each in pages:
        each.page.close()


def _doc_page(site: Path, store: Path, source_part: str) -> Path:
    """The page of the record read from the file whose path contains ``source_part``."""
    with duckdb.connect(str(store / "vnplan.duckdb"), read_only=True) as con:
        (doc_id,) = con.execute("SELECT doc_id FROM documents WHERE source LIKE ?", [f"%{source_part}%"]).fetchone()
    return site / "documents" / f"{doc_id}.html"


def _visible_rows(page: Page) -> int:
    return page.locator("#documents tbody tr:visible").count()


def _visible_ids(page: Page) -> set[str]:
    return set(page.locator("#documents tbody tr:visible").evaluate_all("rows => rows.map(r => r.id.slice(4))"))


def _doc_ids(store: Path, where: str, params: list | None = None) -> set[str]:
    with duckdb.connect(str(store / "vnplan.duckdb"), read_only=True) as con:
        return {doc_id for (doc_id,) in con.execute(f"SELECT doc_id FROM documents WHERE {where}", params or []).fetchall()}


# --------------------------------------------------------------------------- the site in Chromium


@pytest.mark.parametrize("name", SITE_PAGES)
def test_site_pages_open_from_disk_with_no_errors_and_no_request_off_the_disk(site, opened, name):
    page = opened(site / name)
    assert page.errors == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in page.requests), page.requests
    assert page.page.title().endswith("vnplan")


def test_every_record_has_a_page_that_opens_without_errors(site, store, opened):
    pages = sorted((site / "documents").glob("*.html"))
    assert len(pages) == 10
    page = opened(_doc_page(site, store, "txt/003_"))
    assert page.errors == []
    assert page.page.locator("#text a.hl").count() > 20


def test_typing_a_province_keeps_only_its_documents(site, opened):
    page = opened(site / "index.html").page
    everything = _visible_rows(page)
    page.fill("#f-province", "Cao Bằng")
    kept = _visible_rows(page)
    assert 0 < kept < everything
    assert set(page.locator("#documents tbody tr:visible").evaluate_all("rows => rows.map(r => r.dataset.province)")) == {"Cao Bằng"}
    assert page.inner_text("#shown") == str(kept)
    page.fill("#f-province", "")
    assert _visible_rows(page) == everything


def test_the_text_filter_and_type_select_combine_and_match_without_regard_to_case(site, opened):
    page = opened(site / "index.html").page
    page.select_option("#f-type", "Báo cáo")
    reports = _visible_rows(page)
    assert reports == 2  # report 003 as text and as DOCX
    page.fill("#f-text", "LẠNG SƠN")
    assert _visible_rows(page) == reports
    page.fill("#f-text", "Cao Bằng")
    assert _visible_rows(page) == 0


def test_one_copy_per_document_hides_the_copies_that_distinct_documents_folds(site, opened):
    page = opened(site / "index.html").page
    assert _visible_rows(page) == 10
    page.check("#f-distinct")
    assert _visible_rows(page) == 5
    copies = page.locator("#documents tbody tr", has_text="copy of")
    assert copies.count() == 5


def test_a_document_page_lists_its_copies_with_links(site, store, opened):
    page = opened(_doc_page(site, store, "docx/000_")).page
    copies = page.locator("ul.copies li")
    assert copies.count() == 2
    link = copies.locator("a").first
    assert (site / "documents" / link.get_attribute("href")).is_file()


def test_the_highlighted_reference_links_to_its_record_row_and_the_row_links_back(site, store, opened):
    page = opened(_doc_page(site, store, "txt/000_")).page
    highlight = page.locator("#text a.g-references", has_text="675/KH-BCĐ").first
    target = highlight.get_attribute("href")
    assert target.startswith("#reference-")
    highlight.click()
    assert page.evaluate("location.hash") == target
    row = page.locator(f"tr{target}")
    assert row.locator("td[data-column=number]").inner_text() == "675/KH-BCĐ"
    assert page.evaluate("document.querySelector(':target').id") == target[1:]
    back = row.locator("a.back").first.get_attribute("href")
    assert page.locator(f"#text {back}").count() == 1


def test_every_highlight_and_chip_opens_an_existing_row_and_every_row_links_back(site, store, opened):
    page = opened(_doc_page(site, store, "txt/004_")).page
    broken = page.evaluate(
        """() => {
            const missing = [];
            for (const a of document.querySelectorAll('#text a')) {
                if (!document.querySelector('#records tr' + a.getAttribute('href'))) missing.push(a.getAttribute('href'));
            }
            for (const a of document.querySelectorAll('#records a.back')) {
                if (!document.querySelector('#text ' + a.getAttribute('href'))) missing.push(a.getAttribute('href'));
            }
            return missing;
        }"""
    )
    assert broken == []
    dates = page.locator("#records table[data-group=dates] tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    assert dates == [f"date-{n}" for n in range(len(dates))]
    groups = set(page.locator("#text a.hl").evaluate_all("links => links.map(a => a.classList[1])"))
    assert {"g-document", "g-references", "g-agencies", "g-dates", "g-duties"} <= groups


def test_the_comparison_page_draws_its_charts_as_inline_svg(site, opened):
    page = opened(site / "compare.html").page
    assert page.locator("#chart-duties + figure svg").count() == 1
    assert page.locator("#chart-calendar + figure svg").count() == 1
    assert page.locator("#frame-duties_by_agency tbody tr").count() > 5


def test_graph_nodes_of_store_documents_open_their_pages(site, opened):
    page = opened(site / "graph.html").page
    hrefs = page.locator("#graph svg a").evaluate_all("links => links.map(a => a.getAttribute('xlink:href') || a.getAttribute('href'))")
    documents = {h for h in hrefs if h and "#" not in h}
    assert len(documents) == 5  # one node per distinct document
    assert all((site / h).is_file() for h in documents)
    assert any("#reference-" in h for h in hrefs if h)


def test_the_echo_page_shows_parent_and_child_duties_side_by_side_with_links(cascade_site, opened):
    out = cascade_site
    page = opened(out / "echoes.html")
    assert page.errors == []
    echoes = page.page.locator("section.echo")
    assert echoes.count() >= 1
    passed = echoes.first.locator("tr.passed").first
    parent, child = passed.locator("td").nth(1).locator("a"), passed.locator("td").nth(2).locator("a")
    for link in (parent, child):
        href = link.get_attribute("href")
        document, row = href.split("#")
        assert row.startswith("duty-") and (out / document).is_file()
    assert parent.get_attribute("href").split("#")[0] != child.get_attribute("href").split("#")[0]


def test_screenshot_of_a_document_page(site, store, opened, tmp_path):
    page = opened(_doc_page(site, store, "txt/000_")).page
    shot = tmp_path / "document.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_vnplan_report_writes_the_site(store, tmp_path):
    result = CliRunner().invoke(app, ["report", "--store", str(store), "--html", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "site").glob("*.html")} == set(SITE_PAGES)
    assert len(list((tmp_path / "site" / "documents").glob("*.html"))) == 10


def test_vnplan_report_without_a_store_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["report", "--store", str(tmp_path / "none"), "--html", str(tmp_path / "site")])
    assert result.exit_code == 2
    assert not (tmp_path / "site").exists()


def test_a_scans_page_table_shows_each_page_read_by_ocr_with_its_confidence(tmp_path):
    from pipeline.emit.store import write_store
    from pipeline.process import process_file

    record = process_file(CORPUS / "scans" / "004_78fe855a69093798-p1.png")
    write_store([record], tmp_path / "store")
    write_site(tmp_path / "store", tmp_path / "site")
    page = (tmp_path / "site" / "documents" / f"{record.doc_id}.html").read_text(encoding="utf-8")
    table = page[page.index('<table class="pages">') : page.index("</table>", page.index('<table class="pages">'))]
    assert "<td>ocr</td>" in table
    assert f"<td>{record.ingest['ocr_confidence']:.1f}</td>" in table


# --------------------------------------------------------------------------- finding documents


def test_the_search_ignores_accents_and_case(site, store, opened):
    page = opened(site / "index.html").page
    page.fill("#f-text", "Kết quả tuyên truyền")
    accented = _visible_ids(page)
    assert accented == _doc_ids(store, "title LIKE 'Kết quả tuyên truyền%'") and len(accented) == 2
    for typed in ("ket qua tuyen truyen", "KET QUA TUYEN TRUYEN", "kết qua tuyen TRUYỀN"):
        page.fill("#f-text", typed)
        assert _visible_ids(page) == accented, typed
    page.fill("#f-text", "ket qua tuyen truyen nam 2099")
    assert _visible_rows(page) == 0


def test_a_province_chosen_by_its_2025_successor_also_shows_the_documents_of_the_merged_province(site, store, opened):
    """Hải Dương was merged into Hải Phòng in 2025 (models/mergers_2025.yaml)."""
    page = opened(site / "index.html").page
    hai_duong = _doc_ids(store, "province = 'Hải Dương'")
    assert hai_duong and page.locator("#provinces option[value='Hải Phòng']").count() == 1
    page.fill("#f-province", "Hải Phòng")
    assert _visible_ids(page) == hai_duong
    page.fill("#f-province", "hai phong")
    assert _visible_ids(page) == hai_duong
    page.fill("#f-province", "Cao Bằng")
    assert _visible_ids(page) == _doc_ids(store, "province = 'Cao Bằng'")


def test_a_reference_number_finds_the_documents_citing_it(site, store, opened):
    page = opened(site / "index.html").page
    citing = _doc_ids(store, "doc_id IN (SELECT doc_id FROM \"references\" WHERE number = '675/KH-BCĐ')")
    assert len(citing) == 2  # plan 000 as text and as DOCX
    for typed in ("675/KH-BCĐ", "675/kh-bcd", "675 / KH-BCĐ"):
        page.fill("#f-text", typed)
        assert _visible_ids(page) == citing, typed


def test_a_reference_number_finds_the_document_with_that_number_and_those_citing_it(cascade_site, opened):
    page = opened(cascade_site / "index.html").page
    store = cascade_site.parent / "store"
    page.fill("#f-text", "45/KH-SNV")
    assert _visible_ids(page) == _doc_ids(store, "concat_ws('/', number, symbol) = '45/KH-SNV'")
    page.fill("#f-text", "120/KH-UBND")
    numbered = _doc_ids(store, "concat_ws('/', number, symbol) = '120/KH-UBND'")
    citing = _doc_ids(store, "doc_id IN (SELECT doc_id FROM \"references\" WHERE number = '120/KH-UBND')")
    assert len(numbered) == 3 and citing - numbered
    assert _visible_ids(page) == numbered | citing


def test_copies_are_named_by_their_file_not_their_doc_id(site, store, opened):
    page = opened(site / "index.html").page
    names = page.locator("#documents tbody tr", has_text="copy of").locator("a[title]").evaluate_all("links => links.map(a => a.textContent)")
    assert len(names) == 5 and all(name.endswith((".txt", ".docx")) for name in names)
    copy_page = opened(_doc_page(site, store, "docx/000_")).page
    listed = copy_page.locator("ul.copies li").all_inner_texts()
    assert any(text.startswith("000_afbfebe6c017741a.txt") for text in listed)
    assert any(text.startswith("000_afbfebe6c017741a.docx") and "this record" in text for text in listed)


def test_graph_nodes_and_edges_name_documents_by_number_and_title(cascade_site, opened):
    page = opened(cascade_site / "graph.html").page
    labels = page.locator("#graph svg text").evaluate_all("texts => texts.map(t => t.textContent.trim())")
    assert "Kế hoạch 120/KH-UBND" in labels and "Kế hoạch" not in labels
    columns = page.locator("#frame-edges thead th").all_inner_texts()
    assert columns[:2] == ["citing", "citing_title"] and "cited_title" in columns
    rows = page.locator("#frame-edges tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent.trim()))"
    )
    to_parent = [r for r in rows if r[4].startswith("Kế hoạch 120/KH-UBND · Triển khai")]
    assert len(to_parent) == 2  # the two Sở plans implementing the 2025 province plan
    assert all(r[1] and r[5].startswith("Triển khai công tác phòng, chống mua bán người năm 2025") for r in to_parent)


def test_wide_tables_scroll_inside_their_box_and_the_page_does_not_widen(site, store, browser):
    for path in (site / "compare.html", site / "index.html", _doc_page(site, store, "txt/000_")):
        page = browser.new_page(viewport={"width": 700, "height": 900})
        page.goto(path.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 700, path.name
        widths = page.locator(".scroll").evaluate_all("boxes => boxes.map(b => [b.scrollWidth, b.clientWidth])")
        if path.name == "compare.html":
            assert any(scroll > client for scroll, client in widths)
        page.close()


# --------------------------------------------------------------------------- a record as an attack left it


def test_a_multi_megabyte_title_gives_a_small_site(huge_site):
    size = sum(p.stat().st_size for p in huge_site.rglob("*") if p.is_file())
    assert size < 3_000_000
    index = (huge_site / "index.html").read_text(encoding="utf-8")
    assert TITLE_CHARS > 1_000_000 and "Thực hiện công tác phòng, chống mua bán người năm 2023" in index


def test_the_index_holds_only_cut_strings_and_still_links_the_huge_record(huge_site, opened):
    page = opened(huge_site / "index.html")
    assert page.errors == []
    longest = page.page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll('#documents tbody tr'), r => Math.max(...Object.values(r.dataset).map(v => v.length))))"
    )
    assert longest <= limits()["site"]["search_chars"]
    link = page.page.locator("#documents tbody tr a", has_text="Thực hiện công tác phòng, chống mua bán người năm 2023").first
    assert len(link.inner_text()) <= limits()["site"]["title_chars"]
    assert (huge_site / link.get_attribute("href")).is_file()


def test_a_long_texts_page_shows_its_start_says_so_and_links_only_what_it_shows(huge_site, opened):
    page_path = max((huge_site / "documents").glob("*.html"), key=lambda p: p.stat().st_size)
    opened_page = opened(page_path)
    page = opened_page.page
    assert opened_page.errors == []
    shown = page.evaluate("document.getElementById('text').textContent.length")
    chars = limits()["site"]["text_chars"]
    assert chars <= shown < chars + 200
    assert "200,000" in page.inner_text("#text-cut")
    assert page.locator("#text a.hl").count() > 10
    broken = page.evaluate(
        """() => Array.from(document.querySelectorAll('#text a'))
                 .filter(a => !document.querySelector('#records tr' + a.getAttribute('href')))
                 .map(a => a.getAttribute('href'))"""
    )
    assert broken == []
    duties = page.locator("#records table[data-group=duties] tbody tr").count()
    assert page.locator("#table-duties + p.cut-note").count() == 1 and duties < 40
    title = page.inner_text("h1")
    assert len(title) < limits()["site"]["title_chars"] + 100
