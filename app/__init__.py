"""Waypoint's Reflex app: the pages learners, teachers, guardians and admins see."""
