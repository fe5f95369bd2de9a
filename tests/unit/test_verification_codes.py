"""The pure parts of email verification: codes as typed, their hash, addresses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bridge.domain.errors import DomainError
from bridge.domain.supporter_input import normalise_email
from bridge.domain.verification import code_matches, hash_code, new_code, normalise_code


def test_new_codes_are_six_digits_with_leading_zeros_kept() -> None:
    codes = {new_code() for _ in range(2000)}

    assert all(len(code) == 6 and code.isascii() and code.isdigit() for code in codes)
    assert any(code.startswith("0") for code in codes)
    assert len(codes) > 1900


def test_hash_is_salted_and_checked() -> None:
    first, second = hash_code("012345"), hash_code("012345")

    assert first != second  # a fresh salt each time
    assert code_matches("012345", first) and code_matches("012345", second)
    assert not code_matches("012346", first)
    assert not code_matches("012345", "not-hex$00")


@given(st.text(max_size=40))
def test_any_text_is_a_code_or_none(text: str) -> None:
    code = normalise_code(text)

    assert code is None or (len(code) == 6 and code.isascii() and code.isdigit())


@given(st.text(max_size=60))
def test_any_text_is_an_address_or_refused(text: str) -> None:
    try:
        address = normalise_email(text)
    except DomainError as error:
        assert error.key == "supporter.email.invalid"
        return
    assert "@" in address and address == address.strip().casefold()
    assert not any(c.isspace() for c in address)
