"""``ralliement up`` and ``ralliement user add``: the local stack for a newcomer."""

from __future__ import annotations

import asyncio
import json
import secrets
import signal
import sys
from pathlib import Path

from ralliement.logs import setup_logging

from .accounts import AccountError, register_user
from .processes import ComponentError
from .stack import DevStack
from .synapse import SynapseError, SynapseSecrets


async def run_up(data_dir: Path, port: int | None, as_json: bool) -> int:
    setup_logging("WARNING")
    stack = DevStack(data_dir, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    print(f"Starting Synapse, the appservice and the bots in {data_dir} ...", flush=True)
    try:
        info = await stack.start()
    except (SynapseError, ComponentError) as error:
        print(f"ralliement up: {error}", file=sys.stderr)
        return 1
    bots = "\n".join(f"  {name}: {user_id}" for name, user_id in info.bots.items())
    print(
        f"Ready.\n"
        f"Homeserver: {info.homeserver} (server name: {info.server_name})\n"
        f"Bots:\n{bots}\n"
        f"Log in with Element: create an account with\n"
        f"  ralliement user add alice --password 'choose-one' --data {data_dir}\n"
        f"then in Element choose 'Sign in', edit the homeserver to {info.homeserver}, sign in as "
        f"alice and start a chat with {info.bots.get('welcome', '')}: "
        f"`!creer-equipe Mon équipe 69003` creates a team and its room.\n"
        f"Admin: `ralliement admin team list -c {data_dir / 'config.yaml'}` (see --help); the "
        f"provisioning API is /_ralliement/provision/v1 on the appservice (address and secret "
        f"in that config.yaml).\n"
        f"Logs: {data_dir / 'logs'} and {data_dir / 'synapse' / 'homeserver.log'}. "
        f"Ctrl-C stops everything.",
        flush=True,
    )
    if as_json:
        print(info.as_json(), flush=True)
    stop_wait = asyncio.create_task(stop.wait())
    exit_wait = asyncio.create_task(stack.wait_for_exit())
    done, _ = await asyncio.wait({stop_wait, exit_wait}, return_when=asyncio.FIRST_COMPLETED)
    code = 0
    if exit_wait in done:
        print(
            f"ralliement up: {exit_wait.result()} stopped unexpectedly; stopping everything. "
            f"See {data_dir / 'logs'}.",
            file=sys.stderr,
        )
        code = 1
    stop_wait.cancel()
    exit_wait.cancel()
    print("Stopping ...", flush=True)
    await stack.stop()
    print("Stopped.", flush=True)
    return code


async def add_user(data_dir: Path, localpart: str, password: str | None, admin: bool) -> int:
    secrets_file = data_dir / "synapse" / "secrets.json"
    state_file = data_dir / "stack.json"
    if not secrets_file.exists() or not state_file.exists():
        print(
            f"ralliement user add: no dev stack in {data_dir}; run `ralliement up` first.",
            file=sys.stderr,
        )
        return 2
    shared = SynapseSecrets.load_or_create(secrets_file).registration_shared_secret
    port = json.loads(state_file.read_text())["synapse_port"]
    chosen = password or secrets.token_urlsafe(12)
    try:
        account = await register_user(
            f"http://127.0.0.1:{port}", shared, localpart, chosen, admin=admin
        )
    except AccountError as error:
        print(f"ralliement user add: the homeserver refused: {error}", file=sys.stderr)
        return 1
    except OSError:
        print(
            f"ralliement user add: the homeserver on port {port} is not running; "
            "start it with `ralliement up`.",
            file=sys.stderr,
        )
        return 1
    print(f"Created {account.user_id}" + ("" if password else f" with password {chosen}"))
    return 0
