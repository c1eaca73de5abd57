"""The family's "Show the math" in the reader's language (app/state/binder_target.py over
backend/mastery/steps.py): every step, the method's name, why a score did not count and who
gave it are read from the catalog, in Spanish here; dates in the locale's one format."""

from app.state.binder_target import target_story
from backend.mastery import calculate

EVENTS = [{"score": 2, "assessed_on": "2026-10-22", "source": "teacher"},
          {"score": None, "assessed_on": "2026-10-25", "source": "teacher"},
          {"score": 3, "assessed_on": "2026-10-29", "source": "self"},
          {"score": 2.5, "assessed_on": "2026-11-08", "source": "teacher"}]


def _body(result: dict, with_data: bool = True) -> dict:
    explanation = {"method_label": result["method_label"], "steps": result["explanation"],
                   "sentence": result["sentence"], "counted": result["counted"],
                   "skipped": result["skipped"]}
    if with_data:
        explanation["step_data"] = result["steps"]
    return {"target": {"id": 1, "code": "M5.F.1", "title": "t"}, "level": result["level"],
            "explanation": explanation, "events": []}


def test_the_math_reads_in_spanish_step_by_step():
    result = calculate("decaying_average", EVENTS)
    story = target_story(_body(result), 7, "Maya R.", locale="es")
    assert story.method_label == "Promedio decreciente (el trabajo más reciente cuenta más)"
    assert story.steps == [
        "Método: Promedio decreciente (el trabajo más reciente cuenta más) (peso 65 %).",
        "No cuenta: sin calificación el 25 oct 2026 (faltó o se excusó; no es un cero).",
        "No cuenta: 3 el 29 oct 2026 (una autoevaluación se muestra, pero no cuenta).",
        "Cuenta: 2 el 22 oct 2026, con un peso del 35 %.",
        "Cuenta: 2.5 el 8 nov 2026, con un peso del 65 %.",
        "Se empieza por la calificación más antigua: 2 el 22 oct 2026.",
        "Luego, 2.5 el 8 nov 2026 cuenta un 65 % y el nivel hasta ese momento un 35 %: "
        "0.65 × 2.5 + 0.35 × 2.0 = 2.3.",
        "Nivel: 2.3 (en desarrollo).",
    ]
    # "What did not count, and why" and "What counted": reasons and sources translated
    assert [line.note for line in story.skipped] == [
        "faltó o se excusó: no es un cero", "autoevaluación: se muestra, no cuenta"]
    assert [line.source for line in story.counted] == ["Maestro", "Maestro"]
    assert [line.source for line in story.skipped] == ["Maestro", "Lo que opina el estudiante"]


def test_english_is_unchanged_and_an_older_body_without_step_data_still_reads():
    result = calculate("decaying_average", EVENTS)
    english = target_story(_body(result), 7, "Maya R.", locale="en")
    assert english.steps == result["explanation"]
    older = target_story(_body(result, with_data=False), 7, "Maya R.", locale="es")
    assert older.steps == result["explanation"]  # what the server sent, never blank
