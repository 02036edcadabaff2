"""The sign-in code field is labelled as a code in every language, not as a number (our own
"Code" column of the directory once took allauth's msgid, so the field read "Nummer")."""

from __future__ import annotations

import pytest
from allauth.account.forms import ConfirmLoginCodeForm
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "label"), [("nb", "Kode"), ("nn", "Kode"), ("sv", "Kod"), ("en", "Code")]
)
def test_the_sign_in_code_field_is_called_a_code(language: str, label: str) -> None:
    with translation.override(language):
        assert str(ConfirmLoginCodeForm().fields["code"].label) == label


@pytest.mark.parametrize(("language", "label"), [("nb", "Nummer"), ("sv", "Kod")])
def test_the_directorys_code_column_keeps_its_own_word(language: str, label: str) -> None:
    with translation.override(language):
        assert translation.pgettext("county or municipality number", "Code") == label
