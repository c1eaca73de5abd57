"""The domain model; importing this package registers every table on the metadata."""

from backend.models.audit import AccessEntry, AccessLogPurge, AuditEntry
from backend.models.binder import (
    AssessmentEvent,
    Conflict,
    Evidence,
    EvidenceReview,
    FieldHistory,
    Goal,
    Pick,
    Rating,
    SelfAssessment,
)
from backend.models.blobs import BlobUpload
from backend.models.curriculum import (
    Activity,
    ActivityTarget,
    ContentArea,
    LearningTarget,
    MeasurementTopic,
    MicrocredentialTerms,
    Playlist,
    PlaylistItem,
    RubricDescriptor,
)
from backend.models.declines import SuggestionDecline
from backend.models.interop import InteropJob, InteropRecord
from backend.models.privacy import (
    BlobDeletion,
    DeletionReceipt,
    PurgedLearner,
    RecordExport,
    RetentionSetting,
)
from backend.models.profile import ProfileEntry, ProfileObservation, ProfileSection
from backend.models.school import (
    Enrollment,
    GuardianLink,
    LearnerGroup,
    LearnerGroupMember,
    RevokedToken,
    School,
    SchoolClass,
    SignInThrottle,
    User,
)
from backend.models.sign_in_cards import SharedDevice, SignInCard
from backend.models.sync import Blob, SyncClient, SyncMutation, VersionCounter

__all__ = [
    "AccessEntry", "AccessLogPurge", "AuditEntry",
    "Activity", "ActivityTarget", "AssessmentEvent", "Blob", "BlobUpload", "Conflict",
    "ContentArea", "Enrollment", "Evidence", "EvidenceReview", "FieldHistory", "Goal",
    "GuardianLink",
    "InteropJob", "InteropRecord", "LearnerGroup", "LearnerGroupMember", "LearningTarget",
    "MeasurementTopic", "MicrocredentialTerms", "Pick",
    "Playlist", "PlaylistItem", "Rating", "RevokedToken", "RubricDescriptor", "School",
    "SchoolClass", "SelfAssessment", "SignInThrottle", "SyncClient", "SyncMutation", "User",
    "VersionCounter",
    "BlobDeletion", "DeletionReceipt", "PurgedLearner", "RecordExport", "RetentionSetting",
    "SharedDevice", "SignInCard",
    "ProfileEntry", "ProfileObservation", "ProfileSection", "SuggestionDecline",
]
