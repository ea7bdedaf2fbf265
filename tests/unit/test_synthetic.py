"""The made-up registers look like a school's that keeps its register up to date."""

from attendtoolkit.synthetic import UNRESOLVED_SESSIONS, generate


def test_no_unexplained_absence_is_older_than_five_school_days():
    """An N mark (no reason yet provided) is to be recoded within 5 school days (Working together to
    improve school attendance, August 2024, the attendance codes): older N marks are O in a made-up file."""
    pupils = generate(300, 40, seed=7)
    sessions = len(pupils[0]["sessions"])
    assert UNRESOLVED_SESSIONS == 10  # 5 school days, morning and afternoon
    old = [p["marks"][:sessions - UNRESOLVED_SESSIONS] for p in pupils]
    recent = [p["marks"][sessions - UNRESOLVED_SESSIONS:] for p in pupils]
    assert not any("N" in marks for marks in old)
    assert any("N" in marks for marks in recent) and any("O" in marks for marks in old)
