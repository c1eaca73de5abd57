"""What Waypoint issues, checked against the standards' own files (vendored in
tests/fixtures/ob3 and clr2): each OpenBadgeCredential validates against the 1EdTech OB 3.0
AchievementCredential JSON Schema and uses only properties the VC 2.0 and OB 3.0 JSON-LD
contexts define; the CLR bundle uses only properties the VC 2.0, CLR 2.0 and OB 3.0
contexts define, and every credential in it validates against the OB schema."""

import copy
import json

import jwt
import pytest
from jsonschema import Draft201909Validator

from backend.credentials.issue import OB_SCHEMA
from tests.backend.credentials.helpers import meet_topic
from tests.backend.credentials.jsonld_terms import FIXTURES, load_document, undefined_terms

SCHEMA = json.loads((FIXTURES / "ob3" / "ob_v3p0_achievementcredential_schema.json")
                    .read_text())


@pytest.fixture(scope="module")
def validator():
    Draft201909Validator.check_schema(SCHEMA)
    return Draft201909Validator(SCHEMA, format_checker=Draft201909Validator.FORMAT_CHECKER)


def _payload(resp) -> dict:
    token = resp.get_json()["id"].removeprefix("data:application/vc+jwt,")
    body = jwt.decode(token, options={"verify_signature": False})
    for claim in ("iss", "jti", "nbf"):  # the JWT's registered claims, not the credential
        body.pop(claim)
    return body


@pytest.fixture
def issued(app, client, auth, ids):
    meet_topic(app, ids["student"])
    creds = client.get(f"/api/credentials/learners/{ids['student']}",
                       headers=auth.headers("student")).get_json()["credentials"]
    return _payload(client.get(creds[0]["download"], headers=auth.headers("student")))


def _errors(validator, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(doc)]


def test_the_schema_is_the_published_one():
    assert SCHEMA["$id"] == OB_SCHEMA
    assert len((FIXTURES / "ob3" / "ob_v3p0_achievementcredential_schema.json").read_text()) \
        == 124_121


def test_an_issued_credential_validates_against_the_ob3_schema(validator, issued):
    assert _errors(validator, issued) == []
    assert issued["credentialSchema"][0]["id"] == SCHEMA["$id"]


@pytest.mark.parametrize("breakage", [
    lambda c: c.pop("validFrom"),
    lambda c: c.update(type=["VerifiableCredential"]),
    lambda c: c["credentialSubject"]["identifier"][0].update(identityType="nickname"),
    lambda c: c["credentialSubject"]["achievement"].pop("criteria"),
])
def test_the_schema_check_can_fail(validator, issued, breakage):
    broken = copy.deepcopy(issued)
    breakage(broken)
    assert _errors(validator, broken)


def test_every_property_is_defined_by_the_vendored_contexts(issued):
    assert undefined_terms(issued) == []
    assert undefined_terms({**issued, "grade": "A"}) == ["$.grade"]


def test_the_loader_never_fetches():
    with pytest.raises(LookupError):
        load_document("https://example.org/context.json")


def test_the_clr_uses_the_clr_context_and_carries_valid_credentials(
        validator, app, client, auth, ids):
    meet_topic(app, ids["student"])
    resp = client.get(f"/api/credentials/learners/{ids['student']}/clr",
                      headers=auth.headers("student"))
    clr = _payload(resp)
    assert undefined_terms(clr) == []
    inner = clr["credentialSubject"]["verifiableCredential"]
    assert inner and all(_errors(validator, c) == [] for c in inner)
    achievements = clr["credentialSubject"]["achievement"]
    assert all(a["type"] == ["Achievement"] and a["criteria"]["narrative"]
               for a in achievements)
