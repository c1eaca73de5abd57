"""Reads the teacher, family and admin screens need (writes of assessments go through sync)."""
