"""``{% picture image "lead" %}``: a responsive ``<picture>`` of a library
picture, its renditions made on first use and kept (``pictures.services``).

Built in Python rather than from a template: lists print one per story, and
a template render each cost more than the rest of the picture.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from pictures.models import Picture
from pictures.services import picture_sources

register = template.Library()

_EAGER = mark_safe(' fetchpriority="high"')
_LAZY = mark_safe(' loading="lazy"')


@register.simple_tag
def picture(
    image: Picture, spec: str, *, sizes: str = "100vw", alt=None, eager=False
) -> SafeString:
    """WebP with a JPEG fallback at the spec's widths, with the width and
    height that keep the page from shifting; ``eager`` for the one picture
    above the fold (no lazy loading, high fetch priority)."""
    sources = picture_sources(image, spec)
    better = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((kind, srcset, sizes) for kind, srcset in sources.srcsets[:-1]),
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" '
        'alt="{}" decoding="async"{}></picture>',
        better,
        sources.src,
        sources.fallback_srcset,
        sizes,
        sources.width,
        sources.height,
        image.alt_text if alt is None else alt,
        _EAGER if eager else _LAZY,
    )
