"""The operative note as a PDF (reportlab), like the discharge instructions. Pure.

Takes a title, header lines, (label, value) rows, warnings and addenda; returns bytes.
"""

from collections.abc import Sequence
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from endospine.operate.pdf import _BODY, _H1, _H2, _SMALL


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(text), style)


def render(
    *,
    title: str,
    header: Sequence[str],
    rows: Sequence[tuple[str, str]],
    warnings: Sequence[str] = (),
    addenda: Sequence[str] = (),
    footer: str = "",
    compress: bool = True,
) -> bytes:
    """The PDF bytes. `compress=False` leaves page text readable, which tests rely on."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="EndoSpine",
        pageCompression=1 if compress else 0,
    )
    story: list[Flowable] = [_p(title, _H1), *[_p(line) for line in header], Spacer(1, 3 * mm)]
    for warning in warnings:
        story.append(_p(warning, _H2))
    table = Table([[_p(label), _p(value)] for label, value in rows], colWidths=[55 * mm, 119 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    story.append(table)
    if addenda:
        story.append(_p("Addenda", _H2))
        story += [_p(text) for text in addenda]
    if footer:
        story += [Spacer(1, 6 * mm), _p(footer, _SMALL)]
    doc.build(story)
    return buffer.getvalue()
