"""Every conformance vector in sync/vectors passes against the pure library."""

import pytest

from tests.sync.vector_runner import check_vector, load_vectors

VECTORS = load_vectors()


def test_there_are_enough_vectors():
    assert len(VECTORS) >= 12
    assert len({v["name"] for v in VECTORS}) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector(vector):
    assert check_vector(vector) == []


def test_vectors_are_self_describing():
    for vector in VECTORS:
        assert set(vector) >= {"name", "description", "world", "steps", "final"}
        assert all("client" in s and "user" in s and "mutations" in s for s in vector["steps"])
