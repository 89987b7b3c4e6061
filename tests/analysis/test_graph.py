"""The reference graph over a store built from composed plans of two provinces.

tests/analysis/documents/cascade holds: UBND tỉnh Quảng Bình's plan 120/KH-UBND of 2025
and its plan with the same number of 2024; UBND tỉnh Hà Tĩnh's 120/KH-UBND of 2025; two
Quảng Bình department plans implementing the 2025 plan; and a Công an tỉnh report citing
"Kế hoạch số 120/KH-UBND" without a date, a công văn unknown to the store, and 48-CT/TW.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.analysis import connect
from pipeline.analysis.export import limits
from pipeline.analysis.graph import (
    Cited,
    build_graph,
    node_label,
    resolve,
    resolve_references,
    store_index,
    write_graph,
)
from pipeline.cli import app
from pipeline.emit.store import write_store
from pipeline.process import process_file
from tests.review.huge_store import huge_record_store

CASCADE = Path(__file__).parent / "documents" / "cascade"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """The cascade through the real pipeline, plus a second copy of the Sở Tư pháp plan
    (one more blank line: another file, the same document)."""
    folder = tmp_path_factory.mktemp("cascade")
    copy = folder / "qb_2025_stp_child_copy.txt"
    copy.write_text((CASCADE / "qb_2025_stp_child.txt").read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    records = [process_file(path) for path in [*sorted(CASCADE.glob("*.txt")), copy]]
    assert all(r.status == "ok" for r in records)
    write_store(records, folder / "store")
    return folder / "store"


@pytest.fixture(scope="module")
def refs(con):
    return resolve_references(con)


def _reference(refs, doc_id: str, number: str):
    rows = refs[(refs["doc_id"] == doc_id) & (refs["number"] == number)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_a_plan_resolves_to_the_parent_with_the_same_number_issuer_and_date(refs, doc_ids):
    """Hà Tĩnh's plan and Quảng Bình's plan of 2024 carry the same number; only one fits."""
    for child in ("qb_2025_stp_child", "qb_2025_snv_child"):
        row = _reference(refs, doc_ids[child], "120/KH-UBND")
        assert row["target_kind"] == "store"
        assert row["target"] == doc_ids["qb_2025_ubnd_120"]
        assert row["matched_by"] == "number+issuer+date"
        assert row["relation"] == "basis"


def test_an_undated_reference_that_fits_two_years_is_ambiguous_not_guessed(refs, doc_ids):
    row = _reference(refs, doc_ids["qb_2025_cat_report"], "120/KH-UBND")
    assert row["target_kind"] == "ambiguous"
    assert pd.isna(row["target"])
    assert set(row["candidates"]) == {doc_ids["qb_2025_ubnd_120"], doc_ids["qb_2024_ubnd_120"]}


def test_party_and_government_documents_resolve_to_the_national_gazetteer(refs, doc_ids):
    directive = _reference(refs, doc_ids["qb_2025_ubnd_120"], "48-CT/TW")
    assert (directive["target_kind"], directive["target"]) == ("national", "48-CT/TW")
    assert directive["matched_by"] == "number+date+issuer"
    undated = _reference(refs, doc_ids["qb_2025_cat_report"], "48-CT/TW")
    assert (undated["target_kind"], undated["target"]) == ("national", "48-CT/TW")
    decision = _reference(refs, doc_ids["qb_2024_ubnd_120"], "193/QĐ-TTg")
    assert decision["target"] == "193/QĐ-TTg"


def test_a_law_cited_by_name_and_year_resolves_to_that_law(refs, doc_ids):
    rows = refs[(refs["doc_id"] == doc_ids["qb_2025_ubnd_120"]) & refs["title"].notna()]
    assert list(rows["target"]) == ["53/2024/QH15"]
    assert list(rows["matched_by"]) == ["name+year"]


def test_a_law_cited_by_name_alone_is_ambiguous_between_the_old_and_the_new_law():
    found = resolve(Cited(None, None, None, "Luật phòng, chống mua bán người", "Quảng Bình"), "x", {})
    assert found.kind == "ambiguous"
    assert set(found.candidates) == {"66/2011/QH12", "53/2024/QH15"}


def test_references_unknown_to_store_and_gazetteer_stay_unresolved(refs, doc_ids):
    for doc, number in (("qb_2025_cat_report", "2045/UBND-NC"), ("ht_2025_ubnd_120", "18/KH-BCĐ")):
        row = _reference(refs, doc_ids[doc], number)
        assert row["target_kind"] == "unresolved"
        assert list(row["candidates"]) == []


def test_the_citing_province_decides_which_ubnd_an_unqualified_issuer_means(con, doc_ids, refs):
    """"Kế hoạch số 120/KH-UBND của UBND tỉnh" in a Hà Tĩnh document is Hà Tĩnh's plan."""
    index = store_index(con)
    in_ha_tinh = resolve(Cited("120/KH-UBND", None, "Ủy ban nhân dân tỉnh", None, "Hà Tĩnh"), "x", index)
    assert (in_ha_tinh.kind, in_ha_tinh.target) == ("store", doc_ids["ht_2025_ubnd_120"])
    in_quang_binh = resolve(Cited("120/KH-UBND", None, "Ủy ban nhân dân tỉnh", None, "Quảng Bình"), "x", index)
    assert in_quang_binh.kind == "ambiguous"


def test_a_number_without_issuer_or_date_is_never_enough(con, doc_ids):
    index = store_index(con)
    found = resolve(Cited("45/KH-SNV", None, None, None, "Quảng Bình"), "x", index)
    assert found.kind == "unresolved"
    assert found.candidates == (doc_ids["qb_2025_snv_child"],)
    assert found.matched_by == "number only, unconfirmed"


def test_copies_of_one_plan_are_one_node_and_cite_from_it(con, refs, doc_ids):
    original, copy = doc_ids["qb_2025_stp_child"], doc_ids["qb_2025_stp_child_copy"]
    assert original != copy
    documents = set(refs[refs["doc_id"].isin([original, copy])]["document"])
    assert len(documents) == 1
    graph = build_graph(con)
    assert len({original, copy} & set(graph.nodes)) == 1


def test_graph_edges_run_from_citing_to_cited_with_their_relation(con, doc_ids):
    graph = build_graph(con)
    parent = doc_ids["qb_2025_ubnd_120"]
    children = [n for n in graph.predecessors(parent) if graph.nodes[n]["kind"] == "store"]
    assert len(children) == 2  # the two department plans; the copy is the same node
    assert all(graph.edges[child, parent]["relation"] == "basis" for child in children)
    assert graph.edges[parent, "national:48-CT/TW"]["relation"] == "basis"
    report = doc_ids["qb_2025_cat_report"]
    ambiguous = [n for n in graph.successors(report) if graph.nodes[n]["kind"] == "ambiguous"]
    assert len(ambiguous) == 1 and parent in graph.nodes[ambiguous[0]]["candidates"]
    assert graph.nodes[parent]["level"] == "province"
    assert all(graph.nodes[child]["level"] == "department" for child in children)
    assert graph.nodes["national:48-CT/TW"]["level"] == "central"
    assert graph.nodes[parent]["number"] == "120/KH-UBND" and graph.nodes[parent]["province"] == "Quảng Bình"


def test_graphml_and_json_round_trip(con, tmp_path):
    graph = build_graph(con)
    back = nx.read_graphml(write_graph(graph, tmp_path / "g.graphml", "graphml"))
    assert set(back.nodes) == set(graph.nodes)
    assert set(back.edges) == set(graph.edges)
    for node, data in graph.nodes(data=True):
        assert back.nodes[node] == data
    data = json.loads(write_graph(graph, tmp_path / "g.json", "json").read_text(encoding="utf-8"))
    again = nx.node_link_graph(data, edges="edges")
    assert set(again.edges) == set(graph.edges)


def test_unknown_format_is_refused(con, tmp_path):
    with pytest.raises(ValueError, match="graphml"):
        write_graph(build_graph(con), tmp_path / "g.gexf", "gexf")


def test_graph_command_writes_the_file_and_counts_the_nodes(store, tmp_path):
    out = tmp_path / "graph.graphml"
    result = CliRunner().invoke(app, ["graph", "--store", str(store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "6 documents" in result.output and "1 ambiguous" in result.output
    assert nx.read_graphml(out).number_of_nodes() > 6


def test_graph_command_on_a_missing_store_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["graph", "--store", str(tmp_path / "none"), "--out", str(tmp_path / "g.graphml")])
    assert result.exit_code == 2


def test_nodes_are_labelled_by_type_number_and_the_start_of_their_title(con, doc_ids):
    """Three plans numbered 120/KH-UBND (two provinces, two years) read apart by their titles."""
    graph = build_graph(con)
    plans = [doc_ids[name] for name in ("qb_2025_ubnd_120", "qb_2024_ubnd_120", "ht_2025_ubnd_120")]
    labels = [graph.nodes[plan]["label"] for plan in plans]
    assert all(label.startswith("Kế hoạch 120/KH-UBND · ") for label in labels)
    assert len(set(labels)) == 3
    assert all(len(data["label"]) <= limits()["graph"]["label_chars"] for _, data in graph.nodes(data=True))
    assert graph.nodes["national:48-CT/TW"]["label"].startswith("Chỉ thị 48-CT/TW · Tăng cường")
    assert graph.nodes[doc_ids["qb_2025_stp_child"]]["label"].startswith("Kế hoạch /KH-STP · Thực hiện công tác")


def test_a_document_printed_without_a_number_is_named_by_province_and_year():
    node = {"kind": "store", "doc_id": "x", "type": "Kế hoạch", "number": "", "province": "Cao Bằng",
            "date": "2025-03-14", "title": "Tổ chức tháng hành động phòng, chống mua bán người"}
    assert node_label(node) == "Kế hoạch Cao Bằng 2025 · Tổ chức tháng hành động phòng, chống mua bán người"


def test_a_title_that_begins_with_its_type_is_not_repeated_in_the_label():
    node = {"kind": "unresolved", "doc_id": "", "type": "Luật", "number": "", "province": "", "date": "",
            "title": "Luật Trợ giúp pháp lý"}
    assert node_label(node) == "Luật Trợ giúp pháp lý"


def test_a_multi_megabyte_title_is_cut_in_the_graph_file(tmp_path):
    store = huge_record_store(tmp_path / "huge")
    with connect(store) as connection:
        graph = build_graph(connection)
    out = write_graph(graph, tmp_path / "huge.graphml")
    assert out.stat().st_size < 200_000
    titles = [data["title"] for _, data in nx.read_graphml(out).nodes(data=True)]
    assert max(map(len, titles)) <= limits()["short_columns"]["chars"]
    assert sum("đã cắt bớt" in title for title in titles) == 1
