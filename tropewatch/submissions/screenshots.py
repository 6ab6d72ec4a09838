"""Screenshots a supporter attaches: checked, decoded and written again by Pillow, so that
what is stored is only pixels (no EXIF, GPS, comments or trailing bytes of a crafted file)."""

from __future__ import annotations

import binascii
import hashlib
import io
import warnings
from base64 import b64decode
from dataclasses import dataclass

MAX_BYTES = 5 * 1024 * 1024  # decoded, as the API contract says
# A 4K screen at 3x is about 100 million pixels; more is a decompression bomb, not a screen.
MAX_PIXELS = 100_000_000
_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class ScreenshotTooLarge(ValueError):
    pass


class NotAScreenshot(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Screenshot:
    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def decode_base64(text: str) -> bytes:
    # Checked before decoding: base64 is 4 characters for 3 bytes.
    if len(text) > (MAX_BYTES // 3 + 1) * 4 + 4:
        raise ScreenshotTooLarge(f"screenshot is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if text.startswith("data:"):  # a data: URL, as browsers' captureVisibleTab gives
        text = text.partition(",")[2]
    try:
        data = b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise NotAScreenshot("screenshot is not valid base64") from exc
    if len(data) > MAX_BYTES:
        raise ScreenshotTooLarge(f"screenshot is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return data


def reencode(data: bytes) -> Screenshot:
    """The image in ``data`` (PNG or JPEG only) written again without its metadata."""
    from PIL import Image

    if len(data) > MAX_BYTES:
        raise ScreenshotTooLarge(f"screenshot is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(_FORMATS)) as image:
                kind = image.format
                if image.width * image.height > MAX_PIXELS:
                    raise NotAScreenshot("screenshot has too many pixels")
                image.load()
                pixels = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
    except NotAScreenshot:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise NotAScreenshot("screenshot is not a PNG or JPEG image") from exc
    out = io.BytesIO()
    if kind == "JPEG":
        pixels.convert("RGB").save(out, format="JPEG", quality=90)
    else:
        pixels.save(out, format="PNG", optimize=False)
    return Screenshot(out.getvalue(), _FORMATS[kind], pixels.width, pixels.height)
