"""fmtcodec's pytest plugin: the fake_senders fixtures, found through the pytest11 entry point."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib.metadata import entry_points
from pathlib import Path

import httpx
import pytest

from fmtcodec import ErrorCode
from fmtcodec.testing import FakeSenders

pytest_plugins = ["pytester"]

REPOSITORY = Path(__file__).resolve().parent.parent


def test_this_suite_gets_the_fixtures_too(fake_senders: FakeSenders, fake_senders_url: str) -> None:
    assert isinstance(fake_senders, FakeSenders) and fake_senders.state().senders == ()
    fake_senders.fail_next(ErrorCode.IP_BLOCKED)
    answer = httpx.get(f"{fake_senders_url}/sys/senders.php", params={"get": 1, "fmt": 1})
    assert answer.content == b"0,-4"
    assert len(fake_senders.requests) == 1  # the served fake is the fixture's


def test_the_entry_point_names_the_plugin() -> None:
    (found,) = [ep for ep in entry_points(group="pytest11") if ep.name == "fmtcodec"]
    assert found.value == "_fmtcodec_pytestplugin"


def test_loading_the_plugin_does_not_import_fmtcodec() -> None:
    # pytest loads entry-point plugins before a coverage tool starts: fmtcodec must wait.
    code = (
        "import sys, _fmtcodec_pytestplugin\n"
        "print(sorted(name for name in sys.modules if name.startswith('fmtcodec')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == "[]\n"


def test_a_conftest_fixture_replaces_the_fake_and_the_url_serves_it(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(
        "import pytest\n"
        "from fmtcodec import Sender\n"
        "from fmtcodec.testing import FakeSenders\n"
        "\n"
        "@pytest.fixture\n"
        "def fake_senders():\n"
        "    return FakeSenders([Sender(name='ALPHA', id=7)], login='me', psw='pw')\n"
    )
    pytester.makepyfile(
        "import httpx\n"
        "\n"
        "def test_served(fake_senders_url):\n"
        "    params = {'get': 1, 'login': 'me', 'psw': 'pw'}\n"
        "    answer = httpx.get(fake_senders_url + '/sys/senders.php', params=params)\n"
        "    assert answer.content == b'name = ALPHA, id = 7'\n"
        "\n"
        "def test_fresh(fake_senders):\n"
        "    fake_senders.add_sender('BETA')\n"
        "    assert len(fake_senders.state().senders) == 2\n"
        "\n"
        "def test_fresh_again(fake_senders):\n"
        "    assert len(fake_senders.state().senders) == 1\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(passed=3)


def test_the_wheel_ships_the_plugin_and_its_entry_point(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    built = list(
        WheelBuilder(str(REPOSITORY)).build(directory=str(tmp_path), versions=["standard"])
    )
    with zipfile.ZipFile(built[0]) as wheel:
        names = wheel.namelist()
        assert "_fmtcodec_pytestplugin.py" in names
        (metadata,) = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
        entry_text = wheel.read(metadata).decode("utf-8")
        (metadata,) = [name for name in names if name.endswith(".dist-info/METADATA")]
        requirements = wheel.read(metadata).decode("utf-8")
    assert "[pytest11]\nfmtcodec = _fmtcodec_pytestplugin\n" in entry_text
    assert "Requires-Dist: pytest>=8.0; extra == 'pytest'" in requirements
