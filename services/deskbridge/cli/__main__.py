"""`python -m deskbridge.cli`: the `deskbridge` command."""

import sys

from deskbridge.cli import main

sys.exit(main())
