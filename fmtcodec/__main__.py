"""``python -m fmtcodec``: the same program as the ``fmtcodec`` command."""

import sys

from ._cli import main

# The guard keeps a worker process started by "spawn" (the default off Linux), which
# imports this module as __mp_main__, from running the command again.
if __name__ == "__main__":
    sys.exit(main())
