"""The ``renggang`` command: one sub-command group per module of this package.

Each module listed in ``_GROUPS`` has ``register(subparsers)``, which adds its parsers and sets
``run=`` to a function ``(ctx, args) -> int``. Exit status: 0 done (an import wrote), 1 refused
(the file had errors, or a domain rule said no), 2 usage error (argparse's own).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from service.cli.base import CliError, Context

# Add a module here to add its commands.
_GROUPS: tuple[str, ...] = (
    "service.cli.roster_cmd",
    "service.cli.catalogue_cmd",
    "service.cli.match_cmd",
    "service.cli.batch_cmd",
    "service.cli.serve_cmd",
    "service.cli.demo_cmd",
    "service.cli.keys_cmd",
    "service.cli.eval_cmd",
    "service.cli.evaluate_cmd",
    "service.cli.weights_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every group that is installed."""
    parser = argparse.ArgumentParser(
        prog="renggang", description="人岗：低收入农户劳动者人岗对接与岗位推送"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _GROUPS:
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
    parser = build_parser()
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
