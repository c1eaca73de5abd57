"""`python -m tests.consistency`: see tests/consistency/run.py."""

import sys

from tests.consistency.run import main

sys.exit(main())
