"""gunicorn settings for the Flask API.

    gunicorn -c deploy/gunicorn.conf.py 'backend:create_app()'


Every value comes from the environment so one file serves the demo and a district server.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# workers are processes (the GIL). One thread each by default: with several, a push that
# holds the sync version counter's row lock waits for the GIL behind its siblings while
# every other push waits for it (docs/benchmarks.md, the 200-device load test on 2 cores:
# 4 workers x 1 thread gave push p95 0.21-0.47 s, 4 x 4 gave 0.96 s). Raise
# GUNICORN_THREADS where slow uploads to S3 would otherwise hold a worker each.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# the master builds the app once: a bad DATABASE_URL, REDIS_URL or BLOB_STORE_URL stops
# the start with the one line from backend/startup.py instead of a crash loop of workers
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 20
keepalive = 5
# a worker that leaks is replaced now and then; jitter keeps them from restarting together
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = 500
# nginx in front sets X-Forwarded-For; the app's ProxyFix (TRUSTED_PROXIES) reads it
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
limit_request_line = 8190


def post_fork(_server, _worker):
    """Each worker: fewer, shorter garbage-collector pauses (backend/serving.py)."""
    from backend.serving import settle_for_serving

    settle_for_serving()
