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
