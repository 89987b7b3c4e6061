"""Annotation layers: what several finders need, found once per document and kept on it.

Each module here computes one layer of typed spans over a ``Document``'s text through
``Document.layer``, the first time a finder asks for it: agency mentions, province names,
time expressions, citations; and ``scan``, the text case-folded once for the rules tried
only where their word stands (pipeline.rules.Scan). Finders read these layers and the
zones segment labelled; none scans the text again for what a layer holds.
"""
