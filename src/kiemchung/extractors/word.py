"""Word .docx: body paragraphs and tables in document order, text boxes, headers and footers.

Decree-30 headers and signature blocks are usually two-column borderless tables; cells are read
left to right so the issuer and number (left) come before the motto and date (right).
A .docx has no fixed pages: everything is page 1 of 1.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import docx
from docx.oxml.ns import qn

from kiemchung.core.errors import ExtractionError
from kiemchung.core.text import clean
from kiemchung.extractors.base import ExtractContext, Line, Page, RawDocument

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_T, _TAB, _BR = qn("w:t"), qn("w:tab"), qn("w:br")
_TXBX = qn("w:txbxContent")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _paragraph_text(p) -> str:
    parts: list[str] = []
    for el in p.iter(_T, _TAB, _BR):
        if _nearest_p(el) is not p:
            continue  # inside a text box's own paragraph: read on its own by _walk
        if el.tag == _T:
            parts.append(el.text or "")
        else:
            parts.append(" ")
    return "".join(parts)


def _nearest_p(el):
    return next((a for a in el.iterancestors(_P)), None)


def _walk(element) -> Iterator[str]:
    for child in element.iterchildren():
        if child.tag == _P:
            yield _paragraph_text(child)
            for box in child.iter(_TXBX):
                if not any(a.tag == _FALLBACK for a in box.iterancestors()):
                    yield from _walk(box)
        elif child.tag == _TBL:
            for row in child.iter(_TR):
                if _nearest_tbl(row) is not child:
                    continue
                for cell in row.iterchildren(_TC):
                    yield from _walk(cell)
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _walk(child)


def _nearest_tbl(el):
    return next((a for a in el.iterancestors(_TBL)), None)


class DocxExtractor:
    name = "docx"
    kinds = ("docx",)
    version = "docx-7"  # a place-date line wrapped before its year; union and party headings are not the issuer

    def is_available(self) -> bool:
        return True

    @contextmanager
    def open(self, path: Path, kind: str, ctx: ExtractContext) -> Iterator[RawDocument]:
        try:
            document = docx.Document(str(path))
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ExtractionError(f"Tệp Word bị hỏng, không mở được ({exc}).") from exc
        except Exception as exc:  # lxml and python-docx raise many types on malformed parts
            raise ExtractionError(f"Tệp Word không đọc được ({type(exc).__name__}).") from exc
        texts: list[str] = []
        for section in document.sections:
            for part in (section.header, section.first_page_header):
                if part is not None and not part.is_linked_to_previous:
                    texts.extend(_walk(part._element))
        texts.extend(_walk(document.element.body))
        lines = [Line(clean(t).strip(), 1, "docx") for t in texts if t and t.strip()]
        if not lines:
            raise ExtractionError("Tệp Word không có nội dung chữ.")
        page = Page(1, "docx", lines)
        yield RawDocument(kind, 1, lambda _n: page)
