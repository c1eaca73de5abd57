"""Writes sync/vectors/*.json: hand-written steps and expected answers; `final` is recorded.

Run `python -m tests.sync.build_vectors` after a deliberate rule change, then read the diff:
the expected results in vector_cases.py are the specification; recorded finals are reviewed.
"""

from __future__ import annotations

import json

from sync import project
from tests.sync.vector_cases import CLASS, cases
from tests.sync.vector_runner import DEFAULT_NOW, VECTORS, run_vector


def build() -> None:
    """Regenerate every vector file."""
    VECTORS.mkdir(parents=True, exist_ok=True)
    for old in VECTORS.glob("*.json"):
        old.unlink()
    for vector in cases():
        vector = {"name": vector.pop("name"), "description": vector.pop("description"), **vector}
        vector.setdefault("world", CLASS)
        vector.setdefault("server_now_ms", DEFAULT_NOW)
        vector.setdefault("initial", [])
        state, problems = run_vector(vector)
        assert not problems, (vector["name"], problems)
        vector["final"] = json.loads(json.dumps(project(state)))
        path = VECTORS / f"{vector['name']}.json"
        path.write_text(json.dumps(vector, indent=1) + "\n")
        print("wrote", path.name)


if __name__ == "__main__":
    build()
