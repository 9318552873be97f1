"""Settings shared by every test module.

Hypothesis's default deadline (200 ms per example) times the machine, not the code: on a busy
two-core machine a correct test failed with it. Property tests therefore run without a deadline
(a test that hangs is still stopped by pytest-timeout where it sets one), and under CI
(``CI=true``) they draw the same examples on every run, so a red CI can be reproduced.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("course", deadline=None, derandomize=os.environ.get("CI") == "true")
settings.load_profile("course")
