import base64
import io

import pytest
from PIL import Image

from service.submissions.flags import image_bytes
from tropewatch.submissions.screenshots import (
    MAX_BYTES,
    NotAScreenshot,
    ScreenshotTooLarge,
    decode_base64,
    reencode,
)


def test_a_jpeg_comes_back_without_its_exif():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker that knows where you live"
    original = image_bytes(kind="JPEG", exif=exif.tobytes())
    assert b"Camera maker" in original

    shot = reencode(original)

    assert shot.content_type == "image/jpeg" and (shot.width, shot.height) == (40, 30)
    assert b"Camera maker" not in shot.data
    assert not Image.open(io.BytesIO(shot.data)).getexif()


def test_bytes_after_the_image_are_not_kept():
    shot = reencode(image_bytes() + b"<script>alert(1)</script>")

    assert b"<script>" not in shot.data
    assert shot.content_type == "image/png"


@pytest.mark.parametrize("data", [
    b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", b"GIF89a....", b"", b"\x89PNG\r\n\x1a\n",
])
def test_what_is_not_a_png_or_jpeg_is_refused(data):
    with pytest.raises(NotAScreenshot):
        reencode(data)


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # 20,000 x 20,000 pixels of one colour: a few hundred kilobytes that would take 1.2 GB.
    bomb = image_bytes(20_000, 20_000, optimize=True)
    assert len(bomb) < MAX_BYTES

    with pytest.raises(NotAScreenshot):
        reencode(bomb)


def test_base64_is_size_checked_before_decoding():
    with pytest.raises(ScreenshotTooLarge):
        decode_base64("A" * (MAX_BYTES * 4 // 3 + 100))
    with pytest.raises(NotAScreenshot):
        decode_base64("not base64!")
    png = image_bytes()
    encoded = base64.b64encode(png).decode()
    assert decode_base64(encoded) == png
    assert decode_base64("data:image/png;base64," + encoded) == png
