"""Entry point of the frozen executable: the `hcpcs-desktop` command (window or subcommands)."""

import sys

from hcpcs_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
