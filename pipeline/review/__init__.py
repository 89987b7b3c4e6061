"""The review site: a static HTML view of a store that a researcher opens from disk.

``site.write_site(store, out)`` reads the store's tables through a read-only connection and
writes an index of documents, one page per record with its text and every extraction
highlighted and linked to its row, and the comparison pages. Nothing needs a server or the
network: links are relative, CSS and JS are written into the pages, charts are inline SVG.

``pages`` builds what each page shows from the store, ``highlights`` cuts a record's text
into highlights linked to its rows, ``cells`` keeps every value shown within the site's
limits, ``charts`` draws the SVGs.
"""
