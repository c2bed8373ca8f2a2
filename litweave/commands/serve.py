"""`litweave serve`: build, serve site/ on 127.0.0.1 and rebuild on every change, with the
browser reloading itself (livereload).

Served at "/" whatever the configured base URL, since a local server has no sub-path. Only the
loopback interface by default: a reading list with private notes is not for the whole network.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from livereload import Server

from litweave.build.pipeline import build_site
from litweave.config import Config


def serve(config: Config, host: str = "127.0.0.1", port: int = 8000) -> int:
    config = replace(config, base_url="/")

    def rebuild() -> None:
        report = build_site(config)
        for d in report.diagnostics:
            if d.level != "info":
                print(str(d), file=sys.stderr)
        if report.write is not None:
            print(f"rebuilt: {len(report.write.written)} file(s) changed in {report.seconds:.2f} s")
        else:
            print("build failed; serving the previous site")

    rebuild()
    server = Server()
    for pattern in ("content/**/*.md", "content/*/*.md", "templates/**/*", "templates/*", "pyproject.toml"):
        server.watch(str(config.root / pattern), rebuild, delay=0.05)
    print(f"serving {config.output} at http://{host}:{port}/ (Ctrl-C to stop)")
    server.serve(root=str(config.output), host=host, port=port, open_url=False, restart_delay=0)
    return 0
