"""The ``ralliement`` command: one entry point, one sub-command per door."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from .admin.cli import add_admin_parser, run_admin
from .config import Config, ConfigError, load_config
from .logs import setup_logging

DEFAULT_DATA_DIR = Path(".ralliement")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ralliement", description="Campaign action network on Matrix."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    up = commands.add_parser(
        "up", help="run Synapse + appservice + bots locally (SQLite), until Ctrl-C"
    )
    up.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="data folder (default: ./.ralliement); reused when it exists",
    )
    up.add_argument("--port", type=int, help="homeserver port (default 8008, or the last one)")
    up.add_argument(
        "--json",
        action="store_true",
        help="also print one JSON line with the homeserver and bots when ready",
    )

    user = commands.add_parser("user", help="accounts on the dev homeserver")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help="create an account on the dev homeserver")
    add.add_argument("localpart")
    add.add_argument("--password", help="password (default: generated and printed)")
    add.add_argument("--admin", action="store_true", help="make the account a server admin")
    add.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)

    for name, text in (
        ("generate-registration", "write the appservice registration for the homeserver"),
        ("bridge", "run the appservice"),
        ("bots", "run the E2EE bots"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument(
            "-c",
            "--config",
            type=Path,
            default=Path("config.yaml"),
            help="configuration file (default: ./config.yaml)",
        )
        if name == "bridge":
            sub.add_argument(
                "--reconcile",
                action="store_true",
                help="compare every team room with the database, repair drift, report, exit",
            )
        if name == "generate-registration":
            sub.add_argument(
                "-o",
                "--output",
                type=Path,
                help="where to write it (default: appservice.registration)",
            )
            sub.add_argument(
                "--new-tokens",
                action="store_true",
                help="replace the tokens (the homeserver must reload the file)",
            )
    add_admin_parser(commands, "configuration file (default: ./config.yaml)")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        code = _dispatch(args)
    except ConfigError as error:
        print(f"ralliement: {error}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "up":
        from .devstack.cli import run_up

        return asyncio.run(run_up(args.data, args.port, args.json))
    if args.command == "user":
        from .devstack.cli import add_user

        return asyncio.run(add_user(args.data, args.localpart, args.password, args.admin))
    if args.command == "admin":
        return run_admin(args)
    if args.command == "generate-registration":
        from bridge.registration import write_registration

        config = load_config(args.config, require_registration=False)
        output = args.output or config.appservice.registration
        write_registration(config, output, new_tokens=args.new_tokens)
        print(
            f"Wrote {output}. Add it to the homeserver's app_service_config_files and "
            "restart it. It holds secrets: keep it out of version control."
        )
        return 0
    config = load_config(args.config)
    setup_logging(config.logging.level, config.logging.loggers)
    if args.command == "bridge" and args.reconcile:
        from bridge.reconcile import reconcile

        return asyncio.run(reconcile(config))
    if args.command == "bridge":
        from bridge.app import run_bridge

        return _run_until_signal(config, run_bridge)
    from bots.runtime import run_bots

    return _run_until_signal(config, run_bots)


def _run_until_signal(
    config: Config, program: Callable[[Config, asyncio.Event], Awaitable[None]]
) -> int:
    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await program(config, stop)

    asyncio.run(run())
    return 0
