"""`python -m hcpcs_desktop` runs the `hcpcs-desktop` command."""

import sys

from .cli import main

sys.exit(main())
