"""``python -m topics``: the same as the ``topics`` command."""

import sys

from .app.cli import main

sys.exit(main())
