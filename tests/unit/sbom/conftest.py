"""Makes the root filesystem fixture of tests/unit/inventory importable from the SBOM tests."""

import sys
from pathlib import Path

_UNIT = Path(__file__).resolve().parents[1]
for _path in (str(_UNIT / "inventory"), str(_UNIT / "image")):
    if _path not in sys.path:
        sys.path.insert(0, _path)
