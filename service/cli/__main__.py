"""``python -m service.cli …`` runs the ``renggang`` command."""

from __future__ import annotations

import sys

from service.cli import main

sys.exit(main())
