"""Point 11: ``kb moderator add`` accepted ``1234567890`` and ``aaaaaaaaaa``, and
``--password`` put the password in the process list and the shell history.

Common and breached passwords (zxcvbn's list of 30,000, from public breaches), single
characters repeated and easily guessed ones are refused with a French message; the
password is typed at a prompt (twice, no echo) or read from standard input.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kb.cli import main


@pytest.fixture
def kb(env, runtime):
    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("password", ["1234567890", "aaaaaaaaaa", "azertyuiop", "motdepasse123",
                                      "password123", "qwertyuiop1", "Soleil2024", "...........",
                                      "coordreseau", "coord@reseau.example"])
def test_weak_passwords_are_refused_in_french(kb, password):
    result = kb("moderator", "add", "coord@reseau.example", "--password-stdin",
                input=password + "\n")
    assert result.exit_code == 1
    assert "mot de passe refusé" in result.output or "trop court" in result.output
    assert "Aucun modérateur" in kb("moderator", "list").output


def test_each_refusal_says_why(kb):
    def said(password: str) -> str:
        return kb("moderator", "add", "a@exemple.fr", "--password-stdin",
                  input=password + "\n").output

    assert "un seul caractère répété" in said("zzzzzzzzzzzz")
    assert "plus courants" in said("1234567890")
    assert "trop facile à deviner" in said("bonjour2024")
    assert "trop court" in said("Xk7#pQ")


def test_a_strong_password_is_accepted_from_stdin_or_the_prompt(kb, runtime):
    from kb.services.contributions.moderators import authenticate

    assert kb("moderator", "add", "a@exemple.fr", "--password-stdin",
              input="girafe-escalier-lanterne\n").exit_code == 0
    prompted = kb("moderator", "add", "b@exemple.fr",
                  input="brume-violon-cerisier\nbrume-violon-cerisier\n")
    assert prompted.exit_code == 0 and "Confirmez" in prompted.output
    assert "brume-violon-cerisier" not in prompted.output
    changed = kb("moderator", "password", "a@exemple.fr", input="1234567890\n1234567890\n")
    assert changed.exit_code == 1 and "plus courants" in changed.output
    assert kb("moderator", "password", "a@exemple.fr", "--password-stdin",
              input="ocean-tambour-papillon\n").exit_code == 0
    with runtime.session(write=False) as session:
        assert authenticate(session, "a@exemple.fr", "ocean-tambour-papillon") is not None
        assert authenticate(session, "b@exemple.fr", "brume-violon-cerisier") is not None


@pytest.mark.parametrize("command", [["add", "c@exemple.fr"], ["password", "c@exemple.fr"]])
def test_the_password_is_never_an_argument(kb, command):
    result = kb("moderator", *command, "--password", "girafe-escalier-lanterne")
    assert result.exit_code == 1
    assert "--password n'existe plus" in result.output and "--password-stdin" in result.output
    assert "Aucun modérateur" in kb("moderator", "list").output
    help_text = kb("moderator", command[0], "--help").output
    assert "--password-stdin" in help_text and "--password " not in help_text


def test_an_empty_standard_input_is_refused(kb):
    result = kb("moderator", "add", "c@exemple.fr", "--password-stdin", input="")
    assert result.exit_code == 1 and "aucun mot de passe" in result.output


def test_long_passphrases_are_judged_without_error():
    from kb.services.contributions.moderators import AccountError, check_password

    check_password("girafe escalier lanterne violon " * 4, "a@exemple.fr")  # 128 characters
    with pytest.raises(AccountError, match="trop long"):
        check_password("girafe-escalier-lanterne-" * 9, "a@exemple.fr")
    with pytest.raises(AccountError, match="trop facile"):
        check_password("motdepasse" * 10, "a@exemple.fr")
