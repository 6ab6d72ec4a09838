"""A region code phone numbers do not use stops the process: read as another country's, every
local number on the list would be stored wrong."""

from __future__ import annotations

import os
import subprocess
import sys

from service.processes import REPO


def _setup_with(region: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TROPEWATCH_MEMBERS_REGION": region,
           "DJANGO_SETTINGS_MODULE": "tropewatch.web.settings"}
    return subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=60)


def test_a_region_phone_numbers_do_not_use_stops_the_process_naming_the_variable():
    result = _setup_with("UK")  # the usual mistake: GB is the code

    assert result.returncode != 0
    assert "TROPEWATCH_MEMBERS_REGION='UK': expected a two-letter region code" in result.stderr


def test_a_region_in_lower_case_is_read():
    assert _setup_with("ie").returncode == 0
