"""Serve a built site on 127.0.0.1 (Pagefind's index is fetched over http, so file:// cannot search)."""

from __future__ import annotations

import functools
import gzip
import http.server
import logging
import threading
from pathlib import Path

from kb.errors import UsageError

log = logging.getLogger(__name__)
COMPRESSIBLE = frozenset({".html", ".css", ".js", ".json", ".svg", ".txt"})
HOST = "127.0.0.1"  # never another interface: this is a preview server, not a web host


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript", ".pagefind": "application/octet-stream",
                      ".pf_meta": "application/octet-stream", ".pf_fragment": "application/octet-stream",
                      ".pf_index": "application/octet-stream", ".pf_filter": "application/octet-stream"}

    def do_GET(self) -> None:  # noqa: N802 - name fixed by http.server
        """Like any static host, send text files gzipped when the browser accepts it (Pagefind's files are
        compressed already)."""
        path = Path(self.translate_path(self.path))  # never outside the served folder (http.server drops ..)
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if (path.suffix not in COMPRESSIBLE or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not path.is_file()):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature fixed by http.server
        log.debug("%s - %s", self.address_string(), format % args)


def make_server(site_dir: Path, port: int = 8000, require_site: bool = True) -> http.server.ThreadingHTTPServer:
    """An http server for ``site_dir`` bound to 127.0.0.1; port 0 picks a free port (see ``server.server_port``).

    ``require_site=False`` serves any folder (tests host a site under a sub-path that way).
    """
    site_dir = Path(site_dir)
    if require_site and not (site_dir / "index.html").is_file():
        raise UsageError(f"No built site in {site_dir}. Run `kb site build` first (or pass --out to the folder).")
    handler = functools.partial(_Handler, directory=str(site_dir))
    try:
        return http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise UsageError(f"Cannot listen on {HOST}:{port} ({exc.strerror}); choose another --port.") from None


def serve_in_thread(site_dir: Path, port: int = 0, require_site: bool = True
                    ) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start a server in a daemon thread (for tests and benchmarks); returns it and its base URL."""
    server = make_server(site_dir, port, require_site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{HOST}:{server.server_port}/"
