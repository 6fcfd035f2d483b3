"""`tie serve`: run the app, serving the built site and the API, on http://127.0.0.1:PORT."""

from __future__ import annotations

import sys


def add_arguments(parser):
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")


def run(args, settings) -> int:
    import uvicorn

    from functions.app import StartupError, create_app
    from functions.store import StoreError

    try:
        app = create_app(settings)
    except (StartupError, StoreError) as err:
        print(f"tie serve: {err}", file=sys.stderr)
        return 1
    if not settings.site_dir.is_dir():
        print("tie serve: the site is not built yet; run `tie build` (or `make run`) to serve it too.", file=sys.stderr)
    mail = f"mail goes to {settings.smtp_url.split('@')[-1]}" if settings.smtp_url else f"mail is written to {settings.outbox_dir}"
    print(f"The Exchange is running on http://{args.host}:{settings.port}/ ({mail}). Press Ctrl+C to stop.", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=settings.port, log_level="warning", proxy_headers=False, server_header=False)
    return 0
