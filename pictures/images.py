"""Reading uploads and making renditions with Pillow.

An upload is judged by its content, never its name: Pillow must recognise it
as JPEG, PNG, WebP or AVIF and verify it, within the size and pixel limits
(``PICTURE_MAX_BYTES``, ``PICTURE_MAX_PIXELS``), before anything is decoded or
stored. What is stored is re-encoded from the pixels: the EXIF orientation is
applied, and EXIF (GPS position, camera, time), XMP and text chunks are not
carried over. Only the colour profile is kept, so colours stay right.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

from pictures.exceptions import PictureRefused

ACCEPTED = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
_ACCEPTED_NAMES = "JPEG, PNG, WebP or AVIF"
_SAVE_OPTIONS = {
    "jpeg": {"quality": 90, "optimize": True},
    "png": {"optimize": True},
    "webp": {"quality": 90},
    "avif": {"quality": 80},
}
_RENDITION_OPTIONS = {
    "webp": {"quality": 80, "method": 4},
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
}


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    format: str  # a key of Picture.Format
    width: int
    height: int


def _refuse(message: str):
    raise PictureRefused(message, code="picture_refused")


def _open(data: bytes) -> Image.Image:
    """Open ``data`` reading its header only; refuse what is not an accepted
    picture or is too large in pixels, before a pixel is decoded."""
    if data.lstrip()[:1] == b"<":
        _refuse(
            "SVG and other drawings made of code are not accepted: upload a "
            f"{_ACCEPTED_NAMES} picture."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED))
    except (UnidentifiedImageError, Image.DecompressionBombWarning, OSError):
        _refuse(f"This file is not a {_ACCEPTED_NAMES} picture, whatever its name.")
    except Image.DecompressionBombError:
        _refuse(_too_many_pixels())
    if image.width * image.height > settings.PICTURE_MAX_PIXELS:
        _refuse(_too_many_pixels(image.width, image.height))
    return image


def _too_many_pixels(width: int = 0, height: int = 0) -> str:
    limit = settings.PICTURE_MAX_PIXELS / 1_000_000
    size = f" ({width} × {height}, {width * height / 1_000_000:.0f} megapixels)"
    return (
        f"This picture is too large{size if width else ''}: the most we accept is "
        f"{limit:g} megapixels. Resize it and upload it again."
    )


def clean_upload(data: bytes) -> CleanImage:
    """The picture in ``data``, oriented and stripped of metadata; raises
    ``PictureRefused`` with a message for people."""
    if len(data) > settings.PICTURE_MAX_BYTES:
        _refuse(
            f"This file is {filesizeformat(len(data))}: the most we accept is "
            f"{filesizeformat(settings.PICTURE_MAX_BYTES)}."
        )
    if not data:
        _refuse("The file is empty.")
    try:
        _open(data).verify()
        image = _open(data)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
        fmt = ACCEPTED[image.format]
        icc_profile = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
        if fmt == "jpeg" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        out = io.BytesIO()
        options = dict(_SAVE_OPTIONS[fmt])
        if icc_profile:
            options["icc_profile"] = icc_profile
        upright.save(out, format=image.format, **options)
    except PictureRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(_too_many_pixels())
    except (OSError, SyntaxError, ValueError, EOFError):
        # Truncated or corrupt data, or a chunk that decompresses too far.
        _refuse(
            "This picture is damaged or not what it claims to be: it cannot be read."
        )
    return CleanImage(out.getvalue(), fmt, upright.width, upright.height)


def crop_box(
    width: int, height: int, ratio: tuple[int, int], focal: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of shape ``ratio`` in a ``width`` by ``height`` picture,
    centred on the focal point as far as the edges allow."""
    rw, rh = ratio
    box_w, box_h = width, round(width * rh / rw)
    if box_h > height:
        box_w, box_h = round(height * rw / rh), height
    left = min(max(round(focal[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal[1] * height - box_h / 2), 0), height - box_h)
    return left, top, left + box_w, top + box_h


def make_rendition(
    original: bytes,
    *,
    width: int,
    fmt: str,
    ratio: tuple[int, int] | None,
    focal: tuple[float, float],
) -> tuple[bytes, int, int]:
    """Encode ``original`` at ``width`` (cropped to ``ratio`` around ``focal``
    first, if given) as ``fmt``; return the bytes and the size made."""
    with Image.open(io.BytesIO(original)) as image:
        image.load()
        if ratio:
            image = image.crop(crop_box(image.width, image.height, ratio, focal))
        width = min(width, image.width)
        height = max(round(image.height * width / image.width), 1)
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        if fmt == "jpeg" and resized.mode != "RGB":
            resized = _flatten(resized)
        out = io.BytesIO()
        resized.save(out, format=fmt.upper(), **_RENDITION_OPTIONS[fmt])
    return out.getvalue(), width, height


def _flatten(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: lay the picture on white."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
