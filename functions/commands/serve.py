"""`tie serve`: run the app, serving the built site and the API, on http://127.0.0.1:PORT."""

from __future__ import annotations

import errno
import socket
import sys

CANNOT_START = 2  # exit status when the settings or the machine stop the Exchange starting: one line says why


def add_arguments(parser):
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")


def uvicorn_options(settings, host: str) -> dict:
    """How uvicorn runs the app. X-Forwarded-For is believed only from the proxies the operator names
    (TIE_TRUSTED_PROXIES): from anyone else it would let a client choose its own address, and with
    it its rate limits. Without a proxy named, the connecting address is the client's."""
    trusted = ",".join(settings.trusted_proxies)
    return {
        "host": host,
        "port": settings.port,
        "log_level": "warning",
        "server_header": False,
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or "",
    }


def run(args, settings) -> int:
    import uvicorn

    from functions.app import StartupError, create_app
    from functions.mail import MailError
    from functions.settings import mail_problem
    from functions.store import StoreError

    problem = mail_problem(settings)
    if problem:  # a setting is wrong: exit 2, as for any other
        print(f"tie serve: {problem}", file=sys.stderr)
        return 2
    try:
        app = create_app(settings)
    except (StartupError, StoreError, MailError) as err:
        print(f"tie serve: {err}", file=sys.stderr)
        return CANNOT_START
    in_use = _port_in_use(args.host, settings.port)
    if in_use:
        print(f"tie serve: {in_use}", file=sys.stderr)
        return CANNOT_START
    if not settings.site_dir.is_dir():
        print("tie serve: the site is not built yet; run `tie build` (or `make run`) to serve it too.", file=sys.stderr)
    mail = f"mail goes to {settings.smtp_url.split('@')[-1]}" if settings.smtp_url else f"mail is written to {settings.outbox_dir}"
    print(f"The Exchange is running on http://{args.host}:{settings.port}/ ({mail}). Press Ctrl+C to stop.", file=sys.stderr)
    uvicorn.run(app, **uvicorn_options(settings, args.host))
    return 0


def _port_in_use(host: str, port: int) -> str | None:
    """Why the Exchange cannot listen on host:port, in one line, or None when it can (checked before saying it runs)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a closing connection is no obstacle
        try:
            probe.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is in use (another program, or the Exchange already running); stop it, or choose another port with PORT="
            return f"cannot listen on {host}:{port}: {err.strerror}"
    return None
