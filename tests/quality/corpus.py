"""A corpus of resource files as Thai agencies publish them, built in the test run.

Each entry is (file name, bytes, declared format). The contents are tourism statistics of
กรมการท่องเที่ยว; each file carries the one defect its name says.
"""
from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

HEADER = ["จังหวัด", "ปี", "จำนวนนักท่องเที่ยว", "รายได้ (ล้านบาท)"]
ROWS = [
    ["เชียงใหม่", "2566", "10250", "95000.5"],
    ["ภูเก็ต", "2566", "12800", "410000"],
    ["กระบี่", "2566", "6100", "78000"],
    ["น่าน", "2566", "1200", "5200.25"],
    ["ขอนแก่น", "2566", "3400", "12000"],
]


def csv_text(rows: list[list[str]], sep: str = ",") -> str:
    return "".join(sep.join(r) + "\r\n" for r in rows)


def clean_csv() -> bytes:
    return csv_text([HEADER, *ROWS]).encode("utf-8")


def tis620_csv() -> bytes:
    return csv_text([HEADER, *ROWS]).encode("cp874")


def bom_csv() -> bytes:
    return b"\xef\xbb\xbf" + csv_text([HEADER, *ROWS]).encode("utf-8")


def utf16_csv() -> bytes:
    return csv_text([HEADER, *ROWS], "\t").encode("utf-16")  # Excel's "Unicode text": BOM + tabs


def title_dups_mixed_csv() -> bytes:
    """Title and a blank row above the header; row 7 repeats row 5; C8 is text in a number column;
    a placeholder in D6; a blank and a duplicate header; a footnote under the table."""
    rows = [["สถิตินักท่องเที่ยวรายจังหวัด ปี 2566"], [],
            ["จังหวัด", "ปี", "จำนวนนักท่องเที่ยว", "รายได้ (ล้านบาท)", "", "ปี"],
            ["เชียงใหม่", "2566", "10250", "95000.5", "", "2566"],
            ["ภูเก็ต", "2566", "12800", "410000", "", "2566"],
            ["กระบี่", "2566", "6100", "-", "", "2566"],
            ["ภูเก็ต", "2566", "12800", "410000", "", "2566"],
            ["น่าน", "2566", "ไม่ทราบ", "5200.25", "", "2566"],
            [],
            ["ที่มา: กรมการท่องเที่ยว"]]
    return csv_text(rows).encode("utf-8")


def multi_sheet_xlsx() -> bytes:
    """Data on the first sheet (with a title row), notes on the last: dquality reads only the last."""
    wb = Workbook()
    ws = wb.active
    ws.title = "ข้อมูล"
    ws.append(["จำนวนนักท่องเที่ยวรายจังหวัด ปี 2566"])
    ws.append(HEADER)
    for r in ROWS:
        ws.append([r[0], int(r[1]), int(r[2]), float(r[3])])
    ws.append(["ภูเก็ต", 2566, "ไม่มีข้อมูล", 410000.0])
    ws2 = wb.create_sheet("รายเดือน")
    ws2.append(["เดือน", "จำนวน"])
    ws2.append(["มกราคม", 1200])
    ws2.append(["กุมภาพันธ์", "สิบ"])
    notes = wb.create_sheet("หมายเหตุ")
    notes.append(["ข้อมูลรวบรวมจากสำนักงานท่องเที่ยวและกีฬาจังหวัด"])
    notes.append(["ปรับปรุงข้อมูลทุกเดือน"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pdf_named_csv() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def kml() -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            "<Placemark><name>วัดพระธาตุดอยสุเทพ</name><Point><coordinates>98.9216,18.8048,0</coordinates></Point>"
            "</Placemark></Document></kml>\n").encode("utf-8")


def tsv() -> bytes:
    return csv_text([HEADER, *ROWS], "\t").encode("utf-8")


def ods() -> bytes:
    """A minimal OpenDocument spreadsheet (content.xml with one table)."""
    cells = "".join(
        "<table:table-row>" + "".join(f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
                                      for c in row) + "</table:table-row>" for row in [HEADER, *ROWS])
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="นักท่องเที่ยว">{cells}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def json_records() -> bytes:
    import json

    recs = [dict(zip(HEADER, r)) for r in ROWS] + [dict(zip(HEADER, ROWS[0]))]
    return json.dumps(recs, ensure_ascii=False).encode("utf-8")


def zip_bomb_xlsx(unpacked: int = 300 * 2**20) -> bytes:
    """An .xlsx-looking zip whose one member unpacks to ``unpacked`` bytes of zeros (about 1.4 MB packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * 2**22
            for _ in range(unpacked // 2**22):
                fh.write(chunk)
    return buf.getvalue()


#: name → (bytes factory, declared format)
CORPUS = {
    "visitors-2566.csv": (clean_csv, "CSV"),
    "visitors-tis620.csv": (tis620_csv, "CSV"),
    "visitors-bom.csv": (bom_csv, "CSV"),
    "visitors-utf16.csv": (utf16_csv, "CSV"),
    "visitors-messy.csv": (title_dups_mixed_csv, "CSV"),
    "visitors-2566.xlsx": (multi_sheet_xlsx, "XLSX"),
    "report-2566.csv": (pdf_named_csv, "CSV"),
    "attractions.kml": (kml, "KML"),
    "visitors-2566.tsv": (tsv, "TSV"),
    "visitors-2566.ods": (ods, "ODS"),
    "visitors-2566.json": (json_records, "JSON"),
}
