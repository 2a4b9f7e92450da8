"""The ``renggang`` command: one sub-command group per module of this package.

Each module listed in ``_GROUPS`` has ``register(subparsers)``, which adds its parsers and sets
``run=`` to a function ``(ctx, args) -> int``. Exit status: 0 done (an import wrote), 1 refused
(the file had errors, or a domain rule said no), 2 usage error (argparse's own).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from service.cli.base import CliError, Context

# Add a module here, with the commands it registers, to add its commands.
_GROUPS: dict[str, tuple[str, ...]] = {
    "service.cli.roster_cmd": ("roster", "stats"),
    "service.cli.catalogue_cmd": ("agreements", "posts", "employers"),
    "service.cli.match_cmd": ("refer",),
    "service.cli.batch_cmd": ("batch",),
    "service.cli.serve_cmd": ("serve",),
    "service.cli.demo_cmd": ("demo",),
    "service.cli.keys_cmd": ("keys",),
    "service.cli.eval_cmd": ("eval",),
    "service.cli.evaluate_cmd": ("evaluate",),
    "service.cli.weights_cmd": ("weights",),
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser, with every group that is installed; given the arguments of a
    command, with that command's group only (every group's dependencies, the matcher's word
    lists and the HTTP framework among them, took about 2.5 s to import for any command)."""
    parser = argparse.ArgumentParser(
        prog="renggang", description="人岗：低收入农户劳动者人岗对接与岗位推送"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    command = next((a for a in argv or () if not a.startswith("-")), None)
    named = [name for name, commands in _GROUPS.items() if command in commands]
    for name in named or _GROUPS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # a group not written yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``renggang`` console script."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    run = getattr(args, "run", None)
    if run is None:
        parser.print_help(sys.stderr)
        return 2
    ctx = Context.from_environment()
    try:
        return int(run(ctx, args) or 0)
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
