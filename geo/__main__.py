"""`python -m geo ...`: see `geo.cli`."""

import os
import sys

from geo.cli import main

try:
    sys.exit(main())
except BrokenPipeError:
    # The reader went away (`python -m geo claims | head`): stop quietly, as Unix tools do.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(0)
