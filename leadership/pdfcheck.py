"""A strict check that an upload is a plain PDF (by content, not by its name).

The file is parsed by qpdf (through pikepdf) without repair: what does not parse, or is
encrypted, is refused. Then every object of the file is walked (indirect objects, those kept
in object streams, and the dictionaries and arrays nested inside them) and anything that can
run code, open or send other files, or carry files or interactive content is refused, wherever
it sits: document /OpenAction, /AA on pages, annotations, form fields and outlines, the
/Names trees. qpdf decodes names, so ``/J#61vaScript`` arrives as ``/JavaScript`` and a NUL
between tokens is the whitespace it is in PDF syntax.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    import pikepdf

# pikepdf (qpdf) is imported by the functions that read a PDF, not here: a web worker that
# never checks an upload stays lighter (docs/performance.md, "Worker memory").

#: Dictionary keys whose mere presence is refused, by the reason given below.
_CODE_KEYS = {"/JS", "/JavaScript"}
_FILE_KEYS = {"/EmbeddedFiles", "/EF", "/EmbeddedFile"}
_INTERACTIVE_KEYS = {"/XFA", "/RichMediaContent", "/RichMediaSettings"}

#: Action types (the value of /S) refused: code, other programs, other documents, sending or
#: importing data, media that can carry scripts.
_CODE_ACTIONS = {"/JavaScript", "/Launch", "/RichMediaExecute", "/Rendition"}
_DATA_ACTIONS = {"/SubmitForm", "/ImportData", "/GoToR", "/GoToE"}

#: Annotation subtypes and object types refused.
_FILE_TYPES = {"/FileAttachment", "/EmbeddedFile"}
_INTERACTIVE_TYPES = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}

#: A bound on the work spent on one file (objects plus nested values visited).
MAX_VISITS = 500_000


class PdfRejected(ValueError):
    pass


def _code() -> PdfRejected:
    return PdfRejected(
        _(
            "Il PDF contiene codice eseguibile (JavaScript o azioni di avvio) e non "
            "può essere accettato: salvalo di nuovo come PDF semplice."
        )
    )


def _data_action() -> PdfRejected:
    return PdfRejected(
        _(
            "Il PDF contiene azioni che inviano dati o aprono altri documenti e non può essere "
            "accettato: salvalo di nuovo come PDF semplice."
        )
    )


def _attachment() -> PdfRejected:
    return PdfRejected(
        _(
            "Il PDF contiene file allegati al suo interno e non può essere accettato: "
            "carica ogni documento come PDF separato, senza allegati."
        )
    )


def _interactive() -> PdfRejected:
    return PdfRejected(
        _(
            "Il PDF contiene moduli XFA o contenuti multimediali interattivi e non può essere "
            "accettato: salvalo di nuovo come PDF semplice (per esempio con «Stampa in PDF»)."
        )
    )


def check_pdf(data: bytes, *, max_bytes: int) -> None:
    """Raise ``PdfRejected`` with a plain Italian message if ``data`` is not an acceptable PDF."""
    if len(data) == 0:
        raise PdfRejected(_("Il file è vuoto."))
    if len(data) > max_bytes:
        raise PdfRejected(
            _("Il file supera la dimensione massima di %(mb)d MB.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    if not data.startswith(b"%PDF-"):
        raise PdfRejected(_("Il file non è un PDF: carica il documento in formato PDF."))
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=False)
    except pikepdf.PasswordError:
        raise _encrypted() from None
    except (pikepdf.PdfError, ValueError, RuntimeError, OverflowError):
        raise _damaged() from None
    with pdf:
        if pdf.is_encrypted:
            raise _encrypted()
        try:
            _walk(pdf)
        except PdfRejected:
            raise
        except (pikepdf.PdfError, ValueError, RuntimeError, OverflowError, RecursionError):
            raise _damaged() from None
        if pdf.get_warnings():
            # qpdf read past a damaged spot: a file other readers may see differently.
            raise _damaged()


def _encrypted() -> PdfRejected:
    return PdfRejected(
        _(
            "Il PDF è protetto da password o cifrato: carica una copia senza protezione "
            "(per esempio con «Stampa in PDF»)."
        )
    )


def _damaged() -> PdfRejected:
    return PdfRejected(_("Il PDF è incompleto o danneggiato: prova a esportarlo di nuovo."))


def _walk(pdf: pikepdf.Pdf) -> None:
    """Visit every object once; nested indirect objects are visited from ``pdf.objects``."""
    import pikepdf

    stack: list = [pdf.trailer]
    stack.extend(pdf.objects)
    visits = 0
    while stack:
        visits += 1
        if visits > MAX_VISITS:
            raise PdfRejected(_("Il PDF è troppo complesso per essere verificato."))
        obj = stack.pop()
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            _check_dictionary(obj)
            values = obj.values()
        elif isinstance(obj, pikepdf.Array):
            values = list(obj)
        else:
            continue
        stack.extend(
            value
            for value in values
            if isinstance(value, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream)
            and not value.is_indirect
        )


def _check_dictionary(obj: pikepdf.Dictionary) -> None:
    keys = set(obj.keys())
    if keys & _CODE_KEYS:
        raise _code()
    if keys & _FILE_KEYS:
        raise _attachment()
    if keys & _INTERACTIVE_KEYS:
        raise _interactive()
    action = _name(obj.get("/S"))
    if action in _CODE_ACTIONS:
        raise _code()
    if action in _DATA_ACTIONS:
        raise _data_action()
    for key in ("/Subtype", "/Type"):
        kind = _name(obj.get(key))
        if kind in _FILE_TYPES:
            raise _attachment()
        if kind in _INTERACTIVE_TYPES:
            raise _interactive()


def _name(value) -> str | None:
    import pikepdf

    return str(value) if isinstance(value, pikepdf.Name) else None
