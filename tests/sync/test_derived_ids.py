"""Derived row ids are uuid5(NAMESPACE, ":".join(parts)) (sync/PROTOCOL.md): the library's
fast path (sync/merge/common.py _uuid5, a copied SHA-1 state and a cache) must give exactly
what the standard library's uuid.uuid5 gives, for any parts, twice (cached) and in order."""

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.merge.common import NAMESPACE, derived_id, event_id, self_assessment_id

part = st.one_of(st.integers(), st.text(max_size=40), st.uuids().map(str))


@settings(max_examples=300)
@given(st.lists(part, min_size=1, max_size=5))
def test_derived_id_is_uuid5_of_the_joined_parts(parts):
    expected = str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))
    assert derived_id(*parts) == expected
    assert derived_id(*parts) == expected  # the cached answer is the same
    assert uuid.UUID(expected).version == 5


def test_the_named_ids_hang_off_the_same_namespace():
    assert event_id("client-1", 7) == str(uuid.uuid5(NAMESPACE, "event:client-1:7"))
    assert self_assessment_id(3, "12") == str(uuid.uuid5(NAMESPACE, "self_assessment:3:12"))
    assert uuid.uuid5(uuid.NAMESPACE_URL, "https://waypoint.invalid/sync/v1") == NAMESPACE
