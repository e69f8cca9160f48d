"""Hypothesis profiles of the hostile-input properties (test_hostile_properties.py).

``hostile-ci`` (the default): a few hundred examples per property, derandomized and
without a database so that every run tries the same inputs, and without shrinking
(a hang found is reported as it is: shrinking one would take a time bound per step).

``hostile-long`` (``SLIMLINE_HYPOTHESIS_LONG=1``): ``SLIMLINE_HYPOTHESIS_EXAMPLES``
examples per property (20,000 unless set), random, with shrinking, for a long run::

    SLIMLINE_HYPOTHESIS_LONG=1 pytest tests/hostile/test_hostile_properties.py

Only these properties use the profiles (through ``hostile``); other tests keep theirs.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

LONG = os.environ.get("SLIMLINE_HYPOTHESIS_LONG", "") == "1"
_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                              HealthCheck.filter_too_much],
}
settings.register_profile(
    "hostile-ci", max_examples=200, derandomize=True, database=None,
    phases=[Phase.explicit, Phase.generate], **_COMMON,
)
settings.register_profile(
    "hostile-long", max_examples=int(os.environ.get("SLIMLINE_HYPOTHESIS_EXAMPLES", "20000")),
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink], **_COMMON,
)
#: what the properties use: ``settings(settings.get_profile("hostile"))``
settings.register_profile(
    "hostile", settings.get_profile("hostile-long" if LONG else "hostile-ci"))
