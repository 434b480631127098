"""``python -m fmtcodec``: the same program as the ``fmtcodec`` command."""

import sys

from .cli import main

sys.exit(main())
