"""``{% fragment "name" vary… %}…{% endfragment %}``: a piece of a page rendered once and kept
for everybody who sees it, until the next write (``psm.page_cache.fragment_key``: the content
and page versions, the language, the name and the ``vary`` values).

Only for what is the same for every person who may see the page (the navigation, the footer, a
page's body), or for everybody who shares the ``vary`` values. Nothing inside may show the
person; a form's CSRF token is kept as a marker and each request puts in its own. A Wagtail
preview (``request.is_preview``) renders the unsaved page without the cache: it was never
written, so the versions are those of the live page."""

from django import template
from django.utils.safestring import mark_safe

from psm import page_cache

register = template.Library()

#: What a ``{% csrf_token %}`` inside a fragment writes in the kept copy.
CSRF_MARK = "psmfragmentcsrf"


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            # A Wagtail preview shows an unsaved page under the live page's versions.
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        key = page_cache.fragment_key(request, name, *(v.resolve(context) for v in self.vary))
        html = page_cache.fragment_get(key)
        if html is None:
            with context.push(csrf_token=CSRF_MARK):
                html = str(self.nodelist.render(context))
            page_cache.fragment_set(key, html)
        if CSRF_MARK in html:
            html = html.replace(CSRF_MARK, str(context.get("csrf_token", "")))
        return mark_safe(html)  # noqa: S308 - our own rendered template output


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:]],
    )
