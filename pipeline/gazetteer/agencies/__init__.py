"""The agency gazetteer: recognising the bodies a text names and writing their names one way.

``compiled`` turns the gazetteer's data into patterns once per process, ``mentions`` finds
the bodies a text names, ``names`` writes one printed name the gazetteer's way and gives
its 2025 successor. This module is what the rest of the pipeline imports.
"""

from __future__ import annotations

from pipeline.gazetteer.agencies.mentions import (
    AgencyMention,
    AgencyName,
    find_agency_mentions,
)
from pipeline.gazetteer.agencies.names import canonical_name, successor_2025

__all__ = ["AgencyMention", "AgencyName", "canonical_name", "find_agency_mentions", "successor_2025"]
