"""`python -m ohm` is the same as the `ohm` command."""

import sys

from ohm.cli import main

sys.exit(main())
