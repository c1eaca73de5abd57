"""Schemathesis over /api/openapi.json: whatever the generated requests, no 5xx.

Every operation is called as an admin (who reaches the most routes) and as a learner, with
bodies, queries and paths generated from the schema. A 4xx is an answer; a 500 is a bug.
`FUZZ_EXAMPLES` raises the count per operation by hand (CI: 15).

Schemathesis's own pytest plugin does not load under this pytest, so each operation's
strategy is driven by Hypothesis directly.
"""

import os

import schemathesis
from hypothesis import HealthCheck, given, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 15))


def test_no_operation_answers_a_server_error(make_app):
    from tests.conftest import AuthActions

    app = make_app()
    actions = AuthActions(app, app.test_client())
    bearers = [actions.headers(role) for role in ("admin", "student")]
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def fuzz(case):
            for headers in bearers:
                case.headers = {**(case.headers or {}), **headers}
                response = case.call()
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.formatted_path} -> "
                                    f"{response.status_code}: {case.as_curl_command()}")

        fuzz()
    assert operations > 40
    assert not failures, "\n".join(sorted(set(failures))[:20])
