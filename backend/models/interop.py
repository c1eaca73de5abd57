"""Interop bookkeeping: what each import last saw of a record, and long-running jobs.

`InteropRecord` remembers, per OneRoster sourcedId or CASE identifier, the last
`dateLastModified` applied and whether it was a tombstone, so a stale row in a later delta
never overwrites newer data or brings a deleted record back; for CASE it also remembers
which document an item came from, so a newer version can retire what it no longer lists.
`InteropJob` is one import or batch of reports: its progress and its report, readable by
any server process, with a heartbeat and a deadline so that it always ends.
"""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models._base import utcnow


class InteropRecord(db.Model):
    __tablename__ = "interop_records"
    system: Mapped[str] = mapped_column(String(16), primary_key=True)  # oneroster | case
    identifier: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))  # org, user, class, enrollment, item, …
    document: Mapped[str | None] = mapped_column(String(64), index=True)  # CASE document
    local_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="active")  # or tobedeleted
    date_last_modified: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                  onupdate=utcnow)


class InteropJob(db.Model):
    __tablename__ = "interop_jobs"
    # the stale-job sweep reads only unfinished jobs
    __table_args__ = (Index("ix_interop_jobs_status", "status"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))  # oneroster, case, reports
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    is_dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    filename: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(12), default="queued")  # running, done, failed
    progress: Mapped[dict] = mapped_column(JSON, default=dict)  # stage, done, total
    report: Mapped[dict | None] = mapped_column(JSON)
    result_sha256: Mapped[str | None] = mapped_column(String(64))  # a file in the blob store
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # every job ends: the process running it ("host:pid") beats while it works; a job whose
    # beat is stale, whose runner is gone or whose deadline passed is failed with a reason
    runner: Mapped[str | None] = mapped_column(String(80))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    params: Mapped[dict | None] = mapped_column(JSON)  # what a re-run needs (a report batch)
    failures: Mapped[list | None] = mapped_column(JSON)  # [{learner_id, name, reason}]
