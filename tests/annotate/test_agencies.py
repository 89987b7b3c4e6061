"""The agency layer's look-ups answer what a reading of its mentions in text order does."""

from __future__ import annotations

import bisect
import dataclasses

from pipeline.annotate.agencies import agency_mentions, mention_at


def test_the_mention_at_a_place_is_the_first_that_begins_there(seeds):
    """mention_at looks a start up in a table: at every offset of the samples the mention a
    bisection of the starts finds; and of two mentions that begin at one place, the first."""
    found = 0
    for doc in seeds.values():
        mentions = agency_mentions(doc)
        starts = [mention.span[0] for mention in mentions]
        for offset in range(len(doc.text) + 1):
            index = bisect.bisect_left(starts, offset)
            expected = mentions[index] if index < len(starts) and starts[index] == offset else None
            assert mention_at(doc, offset) is expected
            found += expected is not None
    assert found > 100
    doc = next(iter(seeds.values()))
    doc = dataclasses.replace(doc, layers={})
    first, second = agency_mentions(doc)[:2]
    doc.layers["agencies"] = [first, dataclasses.replace(second, span=(first.span[0], second.span[1]))]
    assert mention_at(doc, first.span[0]) is first
