"""The offline app's build plugin: npm packages of the sync core, and the service worker's
precache list written after each production build.

Registered in rxconfig.py. Three jobs:

- `get_frontend_dependencies`: the sync core (assets/sync/) imports `dexie` and
  `dexie-react-hooks`; pinned here so `reflex.lock/` records them.
- `pre_compile`: Vite must resolve React and Dexie to ONE copy. Reflex copies `assets/`
  into the build's `public/` wholesale, including `assets/sync/node_modules` (the sync core's
  own test install), and Vite resolves a bare import from the nearest `node_modules`: a
  second React breaks every hook, a second Dexie splits liveQuery. `resolve.dedupe` fixes it.
- `post_build`: drop those test-only folders from the output, then write into `sw.js` the
  list of every file of the built shell and a BUILD id (a hash of their bytes), so a new
  build is a new worker that waits (see assets/sw.js and assets/ui/pwa.js).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from reflex.plugins import Plugin

FRONTEND_PACKAGES = ["dexie@4.4.7", "dexie-react-hooks@4.4.0"]
DEDUPE = ["react", "react-dom", "react-router", "dexie", "dexie-react-hooks"]
# output folders that exist only for the sync core's own tests
TEST_ONLY = [Path("sync/node_modules"), Path("sync/test")]
SKIP_SUFFIXES = {".gz", ".br", ".zst", ".map"}
SKIP_NAMES = {"sw.js", "404.html", "package.json", "bun.lock", "bunfig.toml", "README.md",
              ".gitignore"}


def _dedupe(vite_config: str) -> str:
    anchor = "resolve: {"
    if anchor not in vite_config or "dedupe:" in vite_config:
        return vite_config
    return vite_config.replace(anchor, f"{anchor}\n    dedupe: {json.dumps(DEDUPE)},", 1)


def _url_of(relative: Path) -> str:
    """The URL a file is fetched by. A prerendered page is cached under its folder URL
    ("/learner/goals/"): the server redirects "/learner/goals" there, and a service worker
    must not answer a navigation with a redirected response."""
    posix = relative.as_posix()
    if posix == "index.html":
        return "/"
    if posix.endswith("/index.html"):
        return "/" + posix[: -len("index.html")]
    return "/" + posix


def _referenced_assets(static_dir: Path) -> set[str]:
    """The hashed files the pages load: every /assets/… named by React Router's manifest
    (entry, route modules, their imports and CSS) or by a page. Chunks only reached by a
    dynamic import (e.g. one per icon of lucide's DynamicIcon, ~1,800 files) are left to
    the worker's runtime cache instead of making every install download them."""
    named: set[str] = set()
    sources = list((static_dir / "assets").glob("manifest-*.js")) + list(
        static_dir.rglob("*.html"))
    for source in sources:
        named.update(re.findall(r"/assets/[A-Za-z0-9._@+-]+", source.read_text(errors="replace")))
    return named


def precache_entries(static_dir: Path) -> tuple[list[str], str]:
    """(URLs to precache, BUILD id) for one build output folder."""
    urls: dict[str, Path] = {}
    referenced = _referenced_assets(static_dir)
    digest = hashlib.sha256()
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(static_dir)
        if path.suffix in SKIP_SUFFIXES or path.name in SKIP_NAMES:
            continue
        if any(relative.is_relative_to(folder) for folder in TEST_ONLY):
            continue
        if path.suffix == ".html" and path.name not in ("index.html", "__spa-fallback.html"):
            continue  # "learner.html" is the same page as "learner/index.html"
        url = _url_of(relative)
        if relative.parts[0] == "assets" and url not in referenced:
            continue
        urls[url] = path
        digest.update(url.encode() + b"\0" + path.read_bytes())
    return sorted(urls), digest.hexdigest()[:16]


def write_service_worker(static_dir: Path) -> list[str]:
    """Fill sw.js in the build output with this build's precache list; returns the list."""
    for folder in TEST_ONLY:
        shutil.rmtree(static_dir / folder, ignore_errors=True)
    worker = static_dir / "sw.js"
    if not worker.exists():
        return []
    urls, build = precache_entries(static_dir)
    source = worker.read_text()
    source = re.sub(r'const BUILD = "[^"]*";', f'const BUILD = "{build}";', source, count=1)
    source = re.sub(r"const PRECACHE = \[\];", f"const PRECACHE = {json.dumps(urls)};", source,
                    count=1)
    worker.write_text(source)
    return urls


class PwaPlugin(Plugin):
    """Adds the sync core's npm packages and writes the service worker's precache list."""

    def get_frontend_dependencies(self, **context):
        return FRONTEND_PACKAGES

    def pre_compile(self, **context):
        context["add_modify_task"]("vite.config.js", _dedupe)

    def post_build(self, **context):
        write_service_worker(Path(context["static_dir"]))
