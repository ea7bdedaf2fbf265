"""Which letters the policy suggests for a pupil, from the pupil's stage and flags."""

from __future__ import annotations

MEDICAL_CODES = ("I", "M")
REVIEW_FIRST = ("Review first: all of this pupil's absence is illness or medical appointments, so no "
                "letter is suggested until someone has looked at the case.")


def is_all_medical(codes: dict[str, int], absent: int) -> bool:
    """True when every absence is illness or a medical appointment."""
    return absent > 0 and sum(codes.get(c, 0) for c in MEDICAL_CODES) == absent


def suggested_letters(stage: str, flags: list[str], review_first: bool, policy,
                      withheld: tuple[str, ...] = ()) -> list[str]:
    """Letter names in policy order (stage first, then flags); none for a pupil to review first.

    `withheld`: legal letters not given to a pupil outside compulsory school age."""
    if review_first:
        return []
    names = [n for s in policy.all_stages if s.id == stage for n in s.letters]
    names += [n for f in policy.flags.values() if f.name in flags for n in f.letters]
    return [n for n in dict.fromkeys(names) if n not in withheld]
