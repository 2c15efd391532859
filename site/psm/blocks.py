from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Titolo"), max_length=120)

    class Meta:
        icon = "title"
        label = _("Titolo di sezione")
        template = "psm/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Immagine"))
    alt = blocks.CharBlock(
        label=_("Testo alternativo"),
        max_length=250,
        help_text=_("Descrivi l'immagine per chi non la vede."),
    )
    caption = blocks.CharBlock(label=_("Didascalia"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Immagine")
        template = "psm/blocks/image.html"


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Testo del pulsante"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Pagina"), required=False)
    url = blocks.URLBlock(label=_("Oppure un indirizzo"), required=False)

    class Meta:
        icon = "link"
        label = _("Invito all'azione")
        template = "psm/blocks/call_to_action.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragrafo"),
        features=["bold", "italic", "link", "ol", "ul"],
        template="psm/blocks/paragraph.html",
    )
    image = ImageBlock()
    call_to_action = CallToActionBlock()
