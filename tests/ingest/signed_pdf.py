"""Composed PDFs as a signing system publishes them: a header with blanks in the text layer
("Số: /KH-UBND", "ngày tháng 9 năm 2024"), then signed with pyHanko by a throw-away
certificate whose visible signature draws the number or the day over its blank."""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
WIDTH, HEIGHT = A4
# Where the blanks are, as signature boxes (left, bottom, right, top in points).
NUMBER_BOX = (92, HEIGHT - 126, 128, HEIGHT - 110)
SCAN_NUMBER_BOX = (95, HEIGHT - 126, 136, HEIGHT - 110)
DAY_BOX = (385, HEIGHT - 126, 418, HEIGHT - 110)
SIGNER = "Nguyễn Văn An"
OFFICE = "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"


def blank_form(blot: bool = False) -> bytes:
    """A one-page plan whose number and day are blank; ``blot``: a smudge over the number's
    blank (two round marks, shorter than a rule), ink that reads as no number."""
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(DEJAVU)))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("DejaVuSerif", 12)
    lines = [
        (70, 80, "ỦY BAN NHÂN DÂN"), (300, 80, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (70, 96, "TỈNH LÂM ĐỒNG"), (320, 96, "Độc lập - Tự do - Hạnh phúc"),
        (70, 120, "Số:"), (130, 120, "/KH-UBND"),
        (300, 120, "Lâm Đồng, ngày"), (420, 120, "tháng 9 năm 2024"),
        (250, 160, "KẾ HOẠCH"),
        (150, 178, "Tuyên truyền cải cách hành chính năm 2024"),
        (70, 210, "Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2024 của Ủy ban nhân dân tỉnh,"),
        (70, 226, "Ủy ban nhân dân tỉnh ban hành Kế hoạch tuyên truyền như sau:"),
        (70, 242, "1. Sở Nội vụ chủ trì, tổ chức tuyên truyền cải cách hành chính."),
    ]
    for x, y, text in lines:
        page.drawString(x, HEIGHT - y, text)
    if blot:
        page.ellipse(97, HEIGHT - 124, 109, HEIGHT - 112, stroke=0, fill=1)
        page.ellipse(110, HEIGHT - 122, 121, HEIGHT - 113, stroke=0, fill=1)
    page.showPage()
    page.save()
    return out.getvalue()


def _signer():
    """pyHanko's signer with a self-signed certificate for SIGNER of OFFICE."""
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, SIGNER),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, OFFICE),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
    ])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    cert = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    private = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return signers.SimpleSigner(signing_cert=cert, signing_key=private, cert_registry=SimpleCertificateStore.from_certs([cert]))


def signed(data: bytes, stamps: list[tuple[str, tuple[float, float, float, float], str]]) -> bytes:
    """``data`` signed once per (field name, box, text drawn in the box), each an
    incremental revision, as signing systems add them."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    signer = _signer()
    for field, box, text in stamps:
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        fields.append_signature_field(writer, sig_field_spec=fields.SigFieldSpec(field, box=box, on_page=0))
        style = TextStampStyle(stamp_text=text, border_width=0, background=None, text_box_style=TextBoxStyle(font_size=12))
        out = io.BytesIO()
        signers.PdfSigner(signers.PdfSignatureMetadata(field_name=field), signer=signer, stamp_style=style).sign_pdf(writer, output=out)
        data = out.getvalue()
    return data


def stamped_plan() -> bytes:
    """The plan signed twice: number 3070 over the number's blank, day 09 over the day's."""
    return signed(blank_form(), [("SoVanBan", NUMBER_BOX, "3070"), ("NgayBanHanh", DAY_BOX, "09")])


def scan_with_layer(number: str | None, layer: bool = True) -> bytes:
    """A scanned letter (one image over the page) under an invisible text layer, as a
    scanner's software makes it: the layer has "Số: /SVHTTDL-VP" blank, the scan has the
    number stamped after typing (``number``), or nothing there. Without ``layer``: the
    scan alone."""
    from PIL import Image, ImageDraw, ImageFont

    dpi = 200
    px = dpi / 72
    lines = [
        (70, 80, "UBND TỈNH LÂM ĐỒNG"), (70, 96, "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"),
        (70, 120, "Số:"), (140, 120, "/SVHTTDL-VP"),
        (300, 120, "Lâm Đồng, ngày 03 tháng 9 năm 2025"),
        (70, 160, "Kính gửi: Sở Nội vụ tỉnh Lâm Đồng"),
        (70, 190, "Sở Văn hóa, Thể thao và Du lịch cử đại diện lãnh đạo tham gia Ban."),
        (70, 206, "Đề nghị Sở Nội vụ tổng hợp, báo cáo Ủy ban nhân dân tỉnh./."),
    ]
    scan = Image.new("L", (round(WIDTH * px), round(HEIGHT * px)), 255)
    draw = ImageDraw.Draw(scan)
    font = ImageFont.truetype(str(DEJAVU), round(12 * px))
    for x, y, text in [*lines, *([(100, 120, number)] if number else [])]:
        draw.text((x * px, y * px), text, font=font, fill=0, anchor="ls")
    picture = io.BytesIO()
    scan.save(picture, format="PNG")
    picture.seek(0)
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(DEJAVU)))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    from reportlab.lib.utils import ImageReader

    page.drawImage(ImageReader(picture), 0, 0, WIDTH, HEIGHT)
    if layer:
        invisible = page.beginText()
        invisible.setTextRenderMode(3)  # invisible, as OCR layers are
        invisible.setFont("DejaVuSerif", 12)
        for x, y, text in lines:
            invisible.setTextOrigin(x, HEIGHT - y)
            invisible.textOut(text)
        page.drawText(invisible)
    page.showPage()
    page.save()
    return out.getvalue()


# Digits drawn by hand: each a stroke through points of a unit box (x right, y down), slanted
# and joined to the next as a pen runs on.
PEN_DIGITS = {
    "1": [(0.2, 0.2), (0.6, 0.0), (0.5, 1.0)],
    "3": [(0.1, 0.1), (0.8, 0.05), (0.4, 0.45), (0.9, 0.7), (0.5, 1.0), (0.0, 0.9)],
    "4": [(0.7, 1.0), (0.6, 0.0), (0.0, 0.65), (1.0, 0.62)],
    "7": [(0.0, 0.1), (0.9, 0.0), (0.5, 1.0)],
}


def header_scan(number: str, day: str, pen: tuple[int, int, int] | None = None, dpi: int = 300):
    """A page image of a plan's header as scanned: "Số: <number>/KH-UBND" and "Lâm Đồng, ngày
    <day> tháng 9 năm 2024", the number and day printed or written by hand in ``pen``'s colour."""
    import random

    from PIL import Image, ImageDraw, ImageFont

    px = dpi / 72
    page = Image.new("RGB", (round(WIDTH * px), round(HEIGHT * px)), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(DEJAVU), round(12 * px))
    lines = [
        (70, 80, "ỦY BAN NHÂN DÂN"), (300, 80, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (70, 96, "TỈNH LÂM ĐỒNG"), (320, 96, "Độc lập - Tự do - Hạnh phúc"),
        (70, 124, "Số:"), (135, 124, "/KH-UBND"), (285, 124, "Lâm Đồng, ngày"), (420, 124, "tháng 9 năm 2024"),
        (250, 170, "KẾ HOẠCH"), (150, 188, "Tuyên truyền cải cách hành chính năm 2024"),
        (70, 220, "Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2024 của Ủy ban nhân dân tỉnh,"),
        (70, 236, "Ủy ban nhân dân tỉnh ban hành Kế hoạch tuyên truyền như sau:"),
    ]
    for x, y, text in lines:
        draw.text((x * px, y * px), text, font=font, fill="black", anchor="ls")
    if pen is None:
        draw.text((100 * px, 124 * px), number, font=font, fill="black", anchor="ls")
        draw.text((396 * px, 124 * px), day, font=font, fill="black", anchor="ls")
        return page
    jitter = random.Random(4)
    for left, value in ((100, number), (394, day)):
        for i, digit in enumerate(value):
            stroke = [(x + 0.35 * (1 - y), y) for x, y in PEN_DIGITS[digit]]
            stroke += [(1.2, 0.1)] if i + 1 < len(value) else []
            points = [
                ((left + 9 * i + 7 * x + jitter.uniform(-1, 1)) * px, (111 + 14 * y + jitter.uniform(-1, 1)) * px)
                for x, y in stroke
            ]
            draw.line(points, fill=pen, width=round(1.2 * px), joint="curve")
    return page


def sealed_closing(seal: bool = True, dpi: int = 300):
    """A page image of a plan's last lines and closing as scanned in grey: the recipients on the
    left, "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" and "Nguyễn Văn An" on the right, and (``seal``) a
    round seal stamped over the name's left part with a signature across it, both mid-grey."""
    from PIL import Image, ImageDraw, ImageFont

    px = dpi / 72
    page = Image.new("L", (round(WIDTH * px), round(HEIGHT * px)), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(DEJAVU), round(12 * px))
    bold = ImageFont.truetype(str(DEJAVU.with_name("DejaVuSerif-Bold.ttf")), round(12 * px))
    lines = [
        (70, 100, "Ủy ban nhân dân tỉnh giao Sở Nội vụ theo dõi, đôn đốc thực hiện Kế hoạch này./.", font),
        (70, 140, "Nơi nhận:", bold), (360, 140, "KT. CHỦ TỊCH", bold),
        (70, 155, "- Như trên;", font), (355, 155, "PHÓ CHỦ TỊCH", bold),
        (70, 170, "- Lưu: VT.", font), (345, 240, "Nguyễn Văn An", bold),
    ]
    for x, y, text, face in lines:
        draw.text((x * px, y * px), text, font=face, fill=0, anchor="ls")
    if seal:
        for radius, width in ((62, 4), (48, 2)):
            draw.ellipse([(350 - radius) * px, (200 - radius) * px, (350 + radius) * px, (200 + radius) * px], outline=140, width=round(width * px / 2))
        small = ImageFont.truetype(str(DEJAVU), round(9 * px))
        for i, letter in enumerate("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"):
            angle = math.radians(200 + i * 5.2)
            draw.text(((350 + 55 * math.cos(angle)) * px, (200 + 55 * math.sin(angle)) * px), letter, font=small, fill=140, anchor="mm")
        draw.line([(c * px, (225 - 30 * math.sin(c / 9)) * px) for c in range(330, 470, 2)], fill=120, width=round(2 * px))
    return page
