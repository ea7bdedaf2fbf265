import pytest

from attendtoolkit.policy import codes

# The 2024 code table written out independently of the data file (DOMAIN.md, regulation 10).
EXPECTED = {
    "/": "present", "\\": "present", "L": "present",
    "K": "aea", "V": "aea", "P": "aea", "W": "aea", "B": "aea",
    "C1": "authorised", "M": "authorised", "J1": "authorised", "S": "authorised",
    "C2": "authorised", "C": "authorised", "T": "authorised", "R": "authorised",
    "I": "authorised", "E": "authorised",
    "G": "unauthorised", "N": "unauthorised", "O": "unauthorised", "U": "unauthorised",
    "D": "not_possible", "X": "not_possible", "Q": "not_possible", "Z": "not_possible",
    "#": "not_possible", "Y1": "not_possible", "Y2": "not_possible", "Y3": "not_possible",
    "Y4": "not_possible", "Y5": "not_possible", "Y6": "not_possible", "Y7": "not_possible",
}
LEGACY = {"H": "authorised", "J": "aea", "F": "authorised", "Y": "not_possible"}


@pytest.mark.parametrize("code,category", sorted(EXPECTED.items()))
def test_every_2024_code_has_its_category(code, category):
    found = codes.lookup(code)
    assert found is not None and found.category == category and not found.legacy


@pytest.mark.parametrize("code,category", sorted(LEGACY.items()))
def test_legacy_codes_are_accepted_and_marked_legacy(code, category):
    found = codes.lookup(code)
    assert found.category == category and found.legacy


def test_the_table_has_exactly_the_2024_codes_and_the_legacy_codes():
    assert {c.code for c in codes.all_codes()} == set(EXPECTED) | set(LEGACY)


def test_every_code_has_a_meaning():
    assert all(c.meaning.strip() for c in codes.all_codes())


@pytest.mark.parametrize("raw,code", [(" o ", "O"), ("c1", "C1"), ("y7", "Y7"), ("\tL", "L")])
def test_codes_match_case_insensitively_after_trimming(raw, code):
    assert codes.lookup(raw).code == code


@pytest.mark.parametrize("raw", ["-", "", " ", "@", "!", "A", "Y8", "C3", "//", "present"])
def test_anything_else_is_not_a_code(raw):
    assert codes.lookup(raw) is None


def test_unauthorised_codes_are_exactly_the_penalty_notice_codes():
    assert codes.codes_in("unauthorised") == {"G", "N", "O", "U"}


def test_codes_json_lists_code_meaning_and_category():
    rows = codes.as_json()
    assert {"code", "meaning", "category"} <= rows[0].keys()
    assert len(rows) == len(EXPECTED) + len(LEGACY)


def test_a_run_of_continuous_absence_is_made_of_g_n_and_o_and_not_u():
    """Working together to improve school attendance (August 2024): G, N and O are absence without
    the school's permission; a pupil marked U came to school, after the register closed."""
    assert codes.CONTINUOUS_ABSENCE_CODES == {"G", "N", "O"}


def test_illness_and_medical_appointments_are_i_and_m_and_a_policy_without_letter_rules_takes_them():
    """Working together to improve school attendance (August 2024): code I is illness (not medical or
    dental appointment) and code M is leave of absence for a medical or dental appointment. A policy
    with no [letter_rules] table reviews a pupil whose only absence is I or M before any letter."""
    from attendtoolkit.policy.model import LetterRules

    assert codes.MEDICAL_CODES == {"I", "M"}
    assert all(codes.lookup(c).category == codes.AUTHORISED for c in codes.MEDICAL_CODES)
    assert LetterRules().medical_codes == codes.MEDICAL_CODES
