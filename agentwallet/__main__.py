import sys

from agentwallet.cli import main

sys.exit(main())
