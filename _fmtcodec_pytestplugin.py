"""fmtcodec's pytest plugin (the ``pytest`` extra): the ``fake_senders`` fixtures.

Registered through the ``pytest11`` entry point, so pytest loads it in every run where
fmtcodec is installed. It lives outside the ``fmtcodec`` package and imports fmtcodec only
when a test asks for a fixture: loading it must not import the package before a coverage
tool starts measuring it. See docs/testing.md, "A fake senders.php".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from fmtcodec.testing import FakeSenders


@pytest.fixture
def fake_senders() -> FakeSenders:
    """A fresh fake senders.php for each test: no names, the default credentials
    (``fmtcodec.testing.FakeSenders``). Override this fixture to start from other state."""
    from fmtcodec.testing import FakeSenders

    return FakeSenders()


@pytest.fixture
def fake_senders_url(fake_senders: FakeSenders) -> Iterator[str]:
    """The base URL of ``fake_senders`` served over HTTP on a free loopback port for the
    test (``http://127.0.0.1:PORT``; the endpoint is ``/sys/senders.php`` under it)."""
    with fake_senders.serve() as url:
        yield url
