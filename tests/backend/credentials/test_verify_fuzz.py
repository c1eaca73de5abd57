"""Whatever is sent to POST /api/credentials/verify, the answer is a verdict (200) or a
refusal in the one error shape (4xx), never a server error."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "type", "issuer", "proof", "jwt", "name",
                                       "credentialSubject", "validFrom", "@context",
                                       "credentialStatus", "achievement", "x"]),
                      inner, max_size=5),
    max_leaves=20)
TYPES = st.sampled_from(["VerifiableCredential", "OpenBadgeCredential", "ClrCredential",
                         "EnvelopedVerifiableCredential", "Profile"])
SHAPED = st.fixed_dictionaries(
    {"type": st.lists(TYPES, max_size=3) | TYPES},
    optional={"id": st.text(max_size=30) | st.just("data:application/vc+jwt,a.b.c"),
              "issuer": JSON, "credentialSubject": JSON, "validFrom": JSON,
              "validUntil": JSON, "credentialStatus": JSON, "proof": JSON, "name": JSON})


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(body=JSON | SHAPED | st.text(max_size=200))
def test_verify_never_answers_a_server_error(client, body):
    resp = client.post("/api/credentials/verify", json={"credential": body})
    assert resp.status_code in (200, 413, 422), (resp.status_code, json.dumps(body)[:200])
    if resp.status_code == 200:
        assert resp.get_json()["verdict"] in {
            "authentic", "altered", "revoked", "expired", "not_yet_valid", "unknown_issuer",
            "unsigned", "unreadable"}
