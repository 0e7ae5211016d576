"""``{% picture image "lead" %}``: a responsive ``<picture>`` of a library
picture, its renditions made on first use and kept (``pictures.services``)."""

from django import template

from pictures.models import Picture
from pictures.services import picture_sources

register = template.Library()


@register.inclusion_tag("pictures/picture.html")
def picture(
    image: Picture, spec: str, *, sizes: str = "100vw", alt=None, eager=False
) -> dict:
    """WebP with a JPEG fallback at the spec's widths; ``eager`` for the one
    picture above the fold (no lazy loading, high fetch priority)."""
    return {
        "sources": picture_sources(image, spec),
        "alt": image.alt_text if alt is None else alt,
        "sizes": sizes,
        "eager": eager,
    }
