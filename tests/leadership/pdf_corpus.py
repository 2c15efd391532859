"""Hostile PDFs, generated in code: each is a file that parses (so the check is tested on its
content, not on a broken cross-reference table) and carries one thing the PDF check refuses.

``HOSTILE`` maps a name to ``(bytes, reason)``; ``reason`` is a word found in the refusal
("codice", "dati", "allegati", "interattivi", "protetto"). Hand-written files (``raw_pdf``)
cover what a writer library would normalise away: NUL between tokens, ``#xx`` escapes in names.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
from pikepdf import Array, Dictionary, Name, String

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 240


def raw_pdf(catalog_extra: bytes = b"", *objects: bytes) -> bytes:
    """A classic PDF with a correct cross-reference table: object 1 is the catalog (with
    ``catalog_extra``), 2 the page tree, 3 a page, then ``objects`` numbered from 4."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def built_pdf(change: Callable[[pikepdf.Pdf], None], *, object_streams=False, **save) -> bytes:
    """A one-page PDF written by qpdf after ``change``; object streams on request."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    change(pdf)
    out = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.disable
    pdf.save(out, object_stream_mode=mode, **save)
    return out.getvalue()


def _js(code: str = "app.alert(1)") -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code))


def _open_action(action: Dictionary) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf):
        pdf.Root.OpenAction = pdf.make_indirect(action)

    return change


def _annotation(annotation: Dictionary) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf):
        annotation.Rect = Array([0, 0, 100, 100])
        pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(annotation)]))

    return change


def _page_aa(pdf):
    pdf.pages[0].AA = Dictionary(O=_js())


def _name_tree(pdf):
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("init"), pdf.make_indirect(_js())]))
    )


def _form_field(pdf):
    field = pdf.make_indirect(
        Dictionary(
            FT=Name.Tx,
            T=String("nome"),
            Type=Name.Annot,
            Subtype=Name.Widget,
            Rect=Array([0, 0, 100, 20]),
            AA=Dictionary(K=_js("event.value")),
        )
    )
    pdf.pages[0].Annots = Array([field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


def _outline(pdf):
    item = pdf.make_indirect(
        Dictionary(Title=String("Apri"), A=Dictionary(S=Name.Launch, F=String("calc.exe")))
    )
    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=item, Last=item, Count=1))
    item.Parent = outlines
    pdf.Root.Outlines = outlines


def _embedded_exe(pdf):
    pdf.attachments["setup.exe"] = pikepdf.AttachedFileSpec(pdf, EXE, mime_type="application/x")


def _file_attachment_annotation(pdf):
    spec = pikepdf.AttachedFileSpec(pdf, EXE).obj
    _annotation(Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, FS=spec))(pdf)


def _xfa(pdf):
    xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script/></xdp:xdp>")
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=xfa)


def _rich_media(pdf):
    _annotation(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.RichMedia,
            RichMediaContent=Dictionary(Assets=Dictionary(Names=Array([]))),
        )
    )(pdf)


def _nothing(pdf):
    pass


HOSTILE: dict[str, tuple[bytes, str]] = {
    # JavaScript and program launch, wherever they sit
    "openaction javascript": (built_pdf(_open_action(_js())), "codice"),
    "page /AA javascript": (built_pdf(_page_aa), "codice"),
    "javascript name tree": (built_pdf(_name_tree), "codice"),
    "link annotation javascript": (
        built_pdf(_annotation(Dictionary(Type=Name.Annot, Subtype=Name.Link, A=_js()))),
        "codice",
    ),
    "form field /AA javascript": (built_pdf(_form_field), "codice"),
    "outline launch": (built_pdf(_outline), "codice"),
    "openaction launch": (
        built_pdf(_open_action(Dictionary(S=Name.Launch, F=String("cmd.exe")))),
        "codice",
    ),
    "javascript in object stream": (
        built_pdf(_open_action(_js()), object_streams=True),
        "codice",
    ),
    "NUL-separated javascript": (
        raw_pdf(b"/OpenAction 4 0 R", b"<<\x00/S\x00/JavaScript\x00/JS\x00(app.alert(1))\x00>>"),
        "codice",
    ),
    "NUL-separated launch": (
        raw_pdf(b"/OpenAction 4 0 R", b"<<\x00/S\x00/Launch\x00/F\x00(calc.exe)\x00>>"),
        "codice",
    ),
    "hex-escaped /J#61vaScript": (
        raw_pdf(b"/OpenAction 4 0 R", b"<< /S /J#61vaScript /JS (app.alert(1)) >>"),
        "codice",
    ),
    "hex-escaped /J#53 key": (
        raw_pdf(b"/OpenAction 4 0 R", b"<< /S /#4a#61#76#61Script /J#53 (app.alert(1)) >>"),
        "codice",
    ),
    "hex-escaped /L#61unch": (
        raw_pdf(b"/OpenAction << /S /L#61unch /F (calc.exe) >>"),
        "codice",
    ),
    # sending data, importing data, opening other documents
    "submitform": (
        built_pdf(
            _annotation(
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.Link,
                    A=Dictionary(S=Name.SubmitForm, F=String("https://example.invalid/")),
                )
            )
        ),
        "dati",
    ),
    "importdata": (
        built_pdf(_open_action(Dictionary(S=Name.ImportData, F=String("dati.fdf")))),
        "dati",
    ),
    "gotor": (
        built_pdf(_open_action(Dictionary(S=Name.GoToR, F=String("altro.pdf"), D=Array([0])))),
        "dati",
    ),
    # files carried inside the PDF
    "embedded executable": (built_pdf(_embedded_exe), "allegati"),
    "embedded executable in object stream": (
        built_pdf(_embedded_exe, object_streams=True),
        "allegati",
    ),
    "file attachment annotation": (built_pdf(_file_attachment_annotation), "allegati"),
    # XFA forms and rich media
    "xfa form": (built_pdf(_xfa), "interattivi"),
    "richmedia annotation": (built_pdf(_rich_media), "interattivi"),
    # encrypted
    "encrypted, no user password": (
        built_pdf(_nothing, encryption=pikepdf.Encryption(owner="o", user="")),
        "protetto",
    ),
    "encrypted with a password": (
        built_pdf(_nothing, encryption=pikepdf.Encryption(owner="o", user="segreta")),
        "protetto",
    ),
}

#: Files that parse and carry nothing refused: they must pass.
HARMLESS: dict[str, bytes] = {
    "blank page": built_pdf(_nothing),
    "blank page in object streams": built_pdf(_nothing, object_streams=True),
    "web link": built_pdf(
        _annotation(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                A=Dictionary(S=Name.URI, URI=String("https://www.cittametropolitana.torino.it/")),
            )
        )
    ),
    "destination openaction": raw_pdf(b"/OpenAction [3 0 R /Fit]"),
}
