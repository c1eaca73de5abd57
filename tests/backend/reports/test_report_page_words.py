"""The teacher's reports page words a batch in the reader's language, plurals included (the
English wording is tested in tests/backend/interop/test_report_jobs.py)."""

from app.state.admin_imports import _batch_outcome, _progress_words, _recent_reports


def test_progress_and_outcome_in_spanish():
    assert _progress_words({"stage": "making reports", "done": 8, "total": 12, "failed": 1},
                           locale="es") == "Haciendo informes: 8 de 12 · 1 excluido hasta ahora"
    assert _progress_words({"stage": "done", "done": 12, "total": 12, "failed": 2},
                           finished=True, locale="es") == "Terminado: 12 de 12 · 2 excluidos"
    one = {"status": "done", "report": {"learners": 12, "made": 11},
           "failures": [{"name": "Owen S.", "reason": "x"}]}
    words, is_error, _ = _batch_outcome(one, "es")
    assert words.startswith("Listo: 11 de 12 informes. 1 no se pudo hacer;") and is_error
    two = {**one, "report": {"learners": 12, "made": 10},
           "failures": [{"name": "A", "reason": "x"}, {"name": "B", "reason": "y"}]}
    assert _batch_outcome(two, "es")[0].startswith(
        "Listo: 10 de 12 informes. 2 no se pudieron hacer;")
    whole = {"status": "done", "report": {"learners": 12, "made": 12}, "failures": []}
    assert _batch_outcome(whole, "es") == ("Listo: 12 de 12 informes.", False, [])


def test_a_recent_batch_title_in_spanish():
    classes = [{"id": 7, "name": "Math Studio A"}]
    job = {"id": "j1", "kind": "reports", "filename": "progress-Math Studio A.pdf",
           "status": "done", "report": {"learners": 3, "made": 3}, "failures": [],
           "has_result": True}
    [row] = _recent_reports([job], classes, "es")
    assert row["title"] == "Informes de progreso · Math Studio A"
    assert row["words"] == "Listo: 3 de 3 informes."


def test_a_batch_stopped_by_a_restart_says_so_in_spanish():
    from backend.interop.jobs import RESTARTED

    restarted = {"status": "failed", "failures": [],
                 "report": {"ok": False, "message": RESTARTED["reports"]}}
    assert _batch_outcome(restarted, "es") == (
        "El servidor se reinició mientras se hacía este informe. Vuelve a ejecutarlo.",
        True, [])
