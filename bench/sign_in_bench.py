"""Sign-in policy benchmark: a class of 30 signing in at once from one address, and one
account under 20 wrong passwords, over real HTTP with the production policy (docs/deploy.md,
"Sign-in policy").

Run: `.venv/bin/python bench/sign_in_bench.py [--learners 30] [--threads 6]`. Prints a
table; not a test (tests/backend/api/test_auth_sign_in_policy.py is). With REDIS_URL set
the counters live in that Redis, else in the database, as on a server.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from backend import create_app  # noqa: E402
from backend.auth import hash_password  # noqa: E402
from backend.config import Config, TestConfig  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.models import Enrollment, SchoolClass, User  # noqa: E402

POLICY = {name: getattr(Config, name) for name in dir(Config) if name.startswith("SIGNIN_")}


def _app(path: Path):
    cfg = type("SignInBench", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}},
        "REDIS_URL": os.environ.get("REDIS_URL") or None, **POLICY})
    app = create_app(cfg)
    with app.app_context():
        db.create_all()
        db.session.execute(text("INSERT INTO version_counter (id, value) VALUES (1, 0)"))
        db.session.commit()
        from backend.seed import seed_demo

        seed_demo()
    return app


def _add_class(app, learners: int) -> list[str]:
    with app.app_context():
        teacher = db.session.scalar(select(User).where(User.username == "teacher"))
        cls = SchoolClass(school_id=teacher.school_id, name="Bench period", teacher_id=teacher.id)
        db.session.add(cls)
        pw = hash_password("waypoint")
        names = [f"bench{i:03d}" for i in range(learners)]
        for name in names:
            user = User(school_id=teacher.school_id, username=name, password_hash=pw,
                        role="student", display_name=name)
            db.session.add(user)
            db.session.flush()
            db.session.add(Enrollment(class_id=cls.id, student_id=user.id))
        db.session.commit()
    return names


def _sign_in(http: httpx.Client, base: str, username: str, password: str = "waypoint"):
    started = time.perf_counter()
    resp = http.post(f"{base}/api/auth/login", json={"username": username,
                                                     "password": password})
    return resp.status_code, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--threads", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = _app(Path(tmp) / "bench.db")
        names = _add_class(app, args.learners)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with httpx.Client(timeout=60) as http, ThreadPoolExecutor(args.threads) as pool:
            started = time.perf_counter()
            results = list(pool.map(lambda n: _sign_in(http, base, n), names))
            wall = time.perf_counter() - started
            ok = sum(1 for status, _ in results if status == 200)
            times = sorted(t for _, t in results)
            wrong = [_sign_in(http, base, "student", f"guess-{i}")[0] for i in range(20)]
            right = _sign_in(http, base, "student")[0]
            others = [_sign_in(http, base, n)[0] for n in ("student2", "student3", "teacher")]
        server.shutdown()
    store = "Redis" if os.environ.get("REDIS_URL") else "database"
    rows = [
        ("class signing in from one address", f"{args.learners} learners, "
         f"{args.threads} at a time", f"{ok}/{args.learners} signed in in {wall:.1f} s"),
        ("  one sign-in (median / p95)", "argon2 + tokens",
         f"{statistics.median(times) * 1000:.0f} / "
         f"{times[int(len(times) * 0.95) - 1] * 1000:.0f} ms"),
        ("20 wrong passwords, one account", "same address",
         f"{wrong.count(401)} refused (401), then {wrong.count(429)} made to wait (429)"),
        ("  its right password during the wait", "", f"{right}"),
        ("  other accounts, same address", "", " ".join(str(s) for s in others)),
    ]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"sign-in policy, counters in the {store}; load average {load} on "
          f"{os.cpu_count()} cores (argon2 is CPU-bound: a busy machine slows every sign-in)")
    width = [max(len(r[i]) for r in rows) for i in range(3)]
    print(" | ".join(h.ljust(w) for h, w in zip(("measure", "setup", "result"), width,
                                                  strict=True)))
    print("-+-".join("-" * w for w in width))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, width, strict=True)))


if __name__ == "__main__":
    main()
