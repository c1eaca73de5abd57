"""Flask CLI commands: `flask --app backend seed-demo`."""

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Seed the demo school on an empty database (does nothing otherwise)."""
        from backend.seed import seed_demo

        result = seed_demo()
        if result["created"]:
            click.echo(f"Seeded the demo school: {result}")
        else:
            click.echo("The database already has a school; nothing seeded.")

    @app.cli.command("seed-year")
    @click.option("--seed", type=int, default=1, show_default=True,
                  help="The same seed always makes the same year.")
    @click.option("--size", type=click.Choice(["full", "ci", "demo"]), default="ci",
                  show_default=True, help="full: 600 learners; ci: 56; demo: 28.")
    @click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None,
                  help="First school day (a Monday); default: the year ending last week.")
    def seed_year_command(seed, size, start):
        """Seed a school year (180 days) through the sync merge path; see the README."""
        from backend.seed_year import seed_year

        result = seed_year(seed=seed, size=size, start=start.date() if start else None,
                           progress=lambda m: click.echo(m, err=True))
        if not result["created"]:
            click.echo("The database already has the year school; nothing seeded.")
        elif result.get("rejected"):
            click.echo(f"Seeded, but {result['rejected']} changes were refused "
                       f"(first: {result.get('first_rejection')}).", err=True)
            raise SystemExit(1)
        else:
            click.echo(f"Seeded the year school: {result}")

    _register_interop(app)
    _register_privacy(app)


def _school_id(value: str | None) -> int:
    """A school by id, sourcedId or name; the only school when none is named."""
    from sqlalchemy import or_, select

    from backend.extensions import db
    from backend.models import School

    if value is None:
        ids = db.session.scalars(select(School.id)).all()
        if len(ids) != 1:
            raise click.UsageError(f"There are {len(ids)} schools: name one with --school.")
        return ids[0]
    school = db.session.scalar(select(School).where(or_(
        School.sourced_id == value, School.name == value,
        School.id == (int(value) if value.isdigit() else -1))))
    if school is None:
        raise click.UsageError(f"No school {value!r} (give its id, sourcedId or name).")
    return school.id


def _echo_progress(stage: str, done: int, total: int) -> None:
    click.echo(f"  … {stage}" + (f" ({done}/{total})" if total and done else ""), err=True)


def _run_import(run, what: str) -> None:
    from backend.interop import ImportRefused

    try:
        report = run()
    except ImportRefused as err:
        click.echo(f"Refused: the {what} was not imported; nothing was changed.", err=True)
        for problem in err.problems:
            click.echo(f"  {problem.words()}", err=True)
        raise SystemExit(1) from None
    click.echo(report.words())
    if report.is_dry_run:
        click.echo("Dry run: nothing was written.")


def _register_interop(app: Flask) -> None:
    @app.cli.command("import-oneroster")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
    @click.option("--bind", multiple=True, metavar="ORG=SCHOOL",
                  help="Use an existing school (id or name) for a roster school's sourcedId.")
    def import_oneroster_command(path, dry_run, bind):
        """Import a OneRoster 1.1 CSV zip (every school in it), idempotent by sourcedId."""
        from backend.interop.oneroster import Scope, import_oneroster

        binds = {}
        for pair in bind:
            org, _, school = pair.partition("=")
            binds[org] = _school_id(school)
        with open(path, "rb") as fh:
            data = fh.read()
        _run_import(lambda: import_oneroster(data, dry_run=dry_run, scope=Scope(bind=binds),
                                             source=path.rsplit("/", 1)[-1],
                                             progress=_echo_progress), "roster")

    @app.cli.command("import-case")
    @click.argument("paths", nargs=-1, required=True,
                    type=click.Path(exists=True, dir_okay=False))
    @click.option("--school", help="The school (id, sourcedId or name); the only one if unset.")
    @click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
    def import_case_command(paths, school, dry_run):
        """Import CASE 1.1 CFPackage JSON files, all or none; a newer version updates in place."""
        from backend.interop.case import import_case

        school_id = _school_id(school)
        files = []
        for path in paths:
            with open(path, "rb") as fh:
                files.append((path.rsplit("/", 1)[-1], fh.read()))
        _run_import(lambda: import_case(files, school_id=school_id, dry_run=dry_run,
                                        progress=_echo_progress), "curriculum")

    _register_reports(app)

    @app.cli.command("export-results")
    @click.option("--school", help="The school (id, sourcedId or name); the only one if unset.")
    @click.option("--class-id", type=int, help="Only this class's learners.")
    @click.option("--output", "-o", type=click.File("w"), default="-")
    def export_results_command(school, class_id, output):
        """OneRoster 1.2 results (learningObjectiveSet, 0–4) for a school's learners, as JSON."""
        import json

        from backend.interop.exports import oneroster_results

        output.write(json.dumps(oneroster_results(_cli_learners(school, class_id)), indent=1))

    @app.cli.command("export-binder")
    @click.option("--school", help="The school (id, sourcedId or name); the only one if unset.")
    @click.option("--class-id", type=int, help="Only this class's learners.")
    @click.option("--output", "-o", type=click.File("w"), default="-")
    def export_binder_command(school, class_id, output):
        """The binders of a school's learners as CSV: one row per learner per target."""
        from backend.interop.exports import binder_csv

        output.write(binder_csv(_cli_learners(school, class_id)))


def _cli_learners(school: str | None, class_id: int | None) -> list:
    from sqlalchemy import select

    from backend.extensions import db
    from backend.models import Enrollment, User

    query = select(User).where(User.school_id == _school_id(school), User.role == "student")
    if class_id is not None:
        query = query.where(User.id.in_(select(Enrollment.student_id).where(
            Enrollment.class_id == class_id)))
    return list(db.session.scalars(query.order_by(User.display_name, User.id)))


def _register_reports(app: Flask) -> None:
    @app.cli.command("report")
    @click.argument("kind", type=click.Choice(["progress", "transcript", "conference"]))
    @click.argument("username")
    @click.option("--html", "is_html", is_flag=True, help="Print-friendly HTML, not PDF.")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), required=True)
    def report_command(kind, username, is_html, output):
        """One learner's progress report, transcript or student-led conference pack."""
        from sqlalchemy import select

        from backend.extensions import db
        from backend.models import User
        from backend.reports import render_html, render_pdf

        learner = db.session.scalar(select(User).where(User.username == username,
                                                       User.role == "student"))
        if learner is None:
            raise click.UsageError(f"No learner {username!r}.")
        if is_html:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(render_html(kind, learner))
        else:
            with open(output, "wb") as fh:
                fh.write(render_pdf(kind, learner))
        click.echo(f"Wrote {output}")

    @app.cli.command("report-batch")
    @click.argument("kind", type=click.Choice(["progress", "transcript", "conference"]))
    @click.argument("class_id", type=int)
    @click.option("--output", "-o", type=click.Path(dir_okay=False), required=True)
    def report_batch_command(kind, class_id, output):
        """Every learner's report of a class in one PDF, each learner within its time limit
        (REPORT_LEARNER_SECONDS); learners left out are listed on the last page."""
        from flask import current_app

        from backend.extensions import db
        from backend.models import SchoolClass
        from backend.reports.batch import BatchStopped, make_batch

        cls = db.session.get(SchoolClass, class_id)
        if cls is None:
            raise click.UsageError(f"No class {class_id}.")
        learners = sorted(((e.student.id, e.student.display_name) for e in cls.enrollments),
                          key=lambda pair: (pair[1], pair[0]))
        db.session.rollback()  # the worker process reads on its own connection
        said = set()

        def progress(stage, done, total, _failures):
            if (stage, done) not in said:  # the batch reports every second; say each once
                said.add((stage, done))
                _echo_progress(stage, done, total)

        try:
            result = make_batch(current_app._get_current_object(), kind, learners, progress)
        except BatchStopped as stopped:
            raise click.ClickException(stopped.message) from None
        with open(output, "wb") as fh:
            fh.write(result.pdf)
        click.echo(f"Wrote {output}: {result.made} of {len(learners)} learners")
        for failure in result.failures:
            click.echo(f"  left out {failure['name']}: {failure['reason']}", err=True)


def _register_privacy(app: Flask) -> None:
    @app.cli.command("retention-run")
    @click.option("--dry-run", is_flag=True, help="Print what would be deleted; delete nothing.")
    def retention_run_command(dry_run):
        """Enforce the schools' retention periods (idempotent; schedule it daily)."""
        from backend.services.retention import run_retention

        run_retention(dry_run=dry_run, echo=click.echo)
        if dry_run:
            click.echo("Dry run: nothing was deleted.")
