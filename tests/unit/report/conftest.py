"""Makes the image builder of tests/unit/image importable from the report tests."""

import sys
from pathlib import Path

_IMAGE_TESTS = str(Path(__file__).resolve().parents[1] / "image")
if _IMAGE_TESTS not in sys.path:
    sys.path.insert(0, _IMAGE_TESTS)
