"""Merge rules as pure functions over plain rows, plus an in-memory push driver."""

from sync.merge.apply import (
    MemoryStore,
    Store,
    apply_batch,
    apply_mutation,
    merge,
    new_state,
    plan_seqs,
)
from sync.merge.common import (
    NAMESPACE,
    Actor,
    Context,
    Outcome,
    authorize,
    conflict_id,
    derived_id,
    event_id,
    history_id,
    rating_id,
    review_id,
    self_assessment_id,
)
from sync.merge.evidence import merge_evidence_delete, merge_evidence_put, merge_evidence_review
from sync.merge.goals import merge_goal_delete, merge_goal_put, merge_pick_delete, merge_pick_put
from sync.merge.profile import (
    merge_observation_put,
    merge_observation_respond,
    merge_profile_section_put,
    profile_entry_id,
    profile_section_id,
)
from sync.merge.project import ROW_TYPES, project, project_rows, state_rows
from sync.merge.ratings import (
    merge_conflict_resolve,
    merge_rating_put,
    merge_self_assessment_put,
    shown_rating,
)

__all__ = [
    "NAMESPACE",
    "ROW_TYPES",
    "Actor",
    "Context",
    "MemoryStore",
    "Outcome",
    "Store",
    "apply_batch",
    "apply_mutation",
    "authorize",
    "conflict_id",
    "derived_id",
    "event_id",
    "history_id",
    "merge",
    "merge_conflict_resolve",
    "merge_evidence_delete",
    "merge_evidence_put",
    "merge_evidence_review",
    "merge_goal_delete",
    "merge_goal_put",
    "merge_pick_delete",
    "merge_pick_put",
    "merge_observation_put",
    "merge_observation_respond",
    "merge_profile_section_put",
    "profile_entry_id",
    "profile_section_id",
    "merge_rating_put",
    "merge_self_assessment_put",
    "new_state",
    "plan_seqs",
    "project",
    "project_rows",
    "rating_id",
    "review_id",
    "self_assessment_id",
    "shown_rating",
    "state_rows",
]
