"""``python -m topics.app.cli``: the same as the ``topics`` command."""

import sys

from . import main

sys.exit(main())
