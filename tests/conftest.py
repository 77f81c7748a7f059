"""Settings every test shares: the Hypothesis profiles of the fuzz tests.

``ci`` (the default) keeps each fuzz test to a few dozen inputs so the suite stays quick;
``HYPOTHESIS_PROFILE=long ./dev test -k fuzz --hypothesis-show-statistics`` tries thousands
per test and prints how many.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=_SLOW)
settings.register_profile("long", max_examples=2_000, deadline=None, suppress_health_check=_SLOW)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
