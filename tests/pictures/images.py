"""Files for the picture tests, made in memory."""

import io
import struct
import zlib

from PIL import ExifTags, Image


def jpeg(size=(64, 32), colour="red", exif=None) -> bytes:
    out = io.BytesIO()
    options = {"exif": exif.tobytes()} if exif is not None else {}
    Image.new("RGB", size, colour).save(out, format="JPEG", **options)
    return out.getvalue()


def png(size=(64, 32), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def truncated_png() -> bytes:
    """A PNG cut short in its pixel data, as a failed transfer leaves it."""
    out = io.BytesIO()
    Image.effect_noise((300, 300), 60).save(out, format="PNG")
    data = out.getvalue()
    return data[: len(data) // 2]


def webp(size=(64, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, format="WEBP")
    return out.getvalue()


def phone_photo() -> bytes:
    """A 40 x 20 photo a phone held upright would save: orientation 6 (turn
    90 degrees clockwise to show), with the GPS position of where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 33.0, 58.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (126.0, 58.0, 40.0)
    return jpeg((40, 20), exif=exif)


def png_bomb(side: int = 30_000) -> bytes:
    """A small PNG that decodes to ``side`` squared pixels (900 megapixels by
    default, some 100 KB on disk): the classic decompression bomb."""
    row = b"\x00" + b"\x00" * (side // 8)  # 1-bit greyscale, filter byte first
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def sixty_megapixels() -> bytes:
    """A real 10000 x 6000 PNG (1-bit, so quick to make and small to send)."""
    return png((10_000, 6_000), mode="1")


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
    b'height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'
)
NOT_AN_IMAGE = b"%PDF-1.4\nThis is a document, not a photograph.\n"
