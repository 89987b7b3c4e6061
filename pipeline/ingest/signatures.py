"""The digital signatures of a PDF: who signed, for which office, when, over how much of the file.

An office's signing system signs a plan or letter several times: the drafters and the
leader with personal certificates, the office with its seal's certificate when the clerk
numbers and dates it. pyHanko parses the signature dictionaries and their CMS data; the
certificate chain is not validated (there is no trust store offline), so what is kept is
what the certificates and signed attributes state, and how much of the file each covers.
"""

from __future__ import annotations

import io
import logging
import warnings

from pipeline.records import RecordWarning, Signature

_COVERAGE = {
    "ENTIRE_FILE": "entire file",
    "ENTIRE_REVISION": "entire revision",
    "CONTIGUOUS_BLOCK_FROM_START": "partial",
    "UNCLEAR": "unclear",
}


def read_signatures(data: bytes) -> tuple[list[Signature], list[RecordWarning]]:
    """Every signature of the file in the order of its fields, and a warning for a signature
    dictionary that cannot be parsed. A file that pyHanko cannot open as a whole has none
    read (pdfium may still read its pages). A file without a signature's byte range has no
    signature to read, and is not parsed again."""
    from pipeline.ingest import PDF_MARKER_WINDOW

    if b"/ByteRange" not in data:
        return [], []

    with warnings.catch_warnings():  # pyHanko's imports warn of algorithms deprecated for signing, not reading
        warnings.simplefilter("ignore")
        # imported here: pyHanko and its crypto stack load in ~0.5 s
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign import validation  # noqa: F401  (what reading the signatures loads)

    start = data.find(b"%PDF-", 0, PDF_MARKER_WINDOW)  # offsets count from the marker
    try:
        with _quiet():
            embedded = PdfFileReader(io.BytesIO(data[max(start, 0) :]), strict=False).embedded_signatures
    except Exception as error:  # noqa: BLE001  a sloppy file pyHanko gives up on keeps its pages (pdfium read them)
        return [], [RecordWarning("signatures-unread", f"the PDF's signatures could not be read: {type(error).__name__}: {error}")]
    found, problems = [], []
    for signature in embedded:
        try:
            found.append(_signature(signature))
        except Exception as error:  # noqa: BLE001  one unreadable signature does not hide the others
            problems.append(RecordWarning("signatures-unread", f"signature {signature.field_name!r} could not be read: {error}"))
    return found, problems


class _quiet:
    """pyHanko logs every duplicate key of a sloppy file's dictionaries; they are not the user's concern."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("pyhanko")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *_exc: object) -> None:
        self.logger.setLevel(self.level)


def _signature(embedded) -> Signature:
    subject = embedded.signer_cert.subject.native
    signed_at = embedded.self_reported_timestamp
    coverage = _COVERAGE.get(embedded.evaluate_signature_coverage().name, "unclear")
    return Signature(
        field=embedded.field_name,
        name=_one(subject.get("common_name")),
        organisation=_one(subject.get("organization_name")),
        unit=_one(subject.get("organizational_unit_name")),
        time=signed_at.isoformat() if signed_at else None,
        coverage=coverage,
        whole_file=coverage == "entire file",
    )


def _one(value: str | list[str] | None) -> str | None:
    """A name attribute given once or several times, as one text."""
    if isinstance(value, list):
        value = ", ".join(value)
    return " ".join(value.split()) if value else None
