"""The fake senders.php's rules: what the API page says, and what the fake decides where it
is silent.

This is the one place the fake's behaviour is chosen (spec §4.20); docs/testing.md ("What
the fake decides") states the same rules as a table, in the same order. The command semantics
(:mod:`._fake`) and the HTTP side (:mod:`._fake_http`) read these names and nothing else.
"""

from __future__ import annotations

import re
from typing import Final

from fmtcodec import ErrorCode, OperatorStatus, SenderStatus

__all__ = [
    "ACTIVE_STATUS",
    "ADDED_STATUS",
    "CODE_DIGITS",
    "CODE_RESEND_SECONDS",
    "CONFIRMED_STATUS",
    "CREATES_PER_WINDOW",
    "DECISIONS",
    "DEFAULT_APIKEY",
    "DEFAULT_CHARSET",
    "DEFAULT_LOGIN",
    "DEFAULT_PSW",
    "DIGITAL_NAME",
    "DUPLICATE_NAME_ERROR",
    "ENDPOINT",
    "HEADER_CHARSET",
    "IDENTICAL_LISTS_PER_WINDOW",
    "MASK",
    "MAX_BODY_BYTES",
    "MAX_QUERY_BYTES",
    "NEW_NAME",
    "NON_DIGITAL_CODE_ERROR",
    "NO_CODE_SENT_ERROR",
    "OPERATORS_IN_FMT1_ERROR",
    "RATE_WINDOW_SECONDS",
    "SECRET_PARAMETERS",
    "UNSET_OPERATOR_STATUS",
    "content_type",
]

# --- From the API page (spec §3, §5) ----------------------------------------------------

ENDPOINT: Final = "/sys/senders.php"
"""The one path the fake answers; any other is a 404."""
DEFAULT_CHARSET: Final = "windows-1251"
"""The charset of the answer (and of the request's parameters) when ``charset`` is absent."""
RATE_WINDOW_SECONDS: Final = 60.0
IDENTICAL_LISTS_PER_WINDOW: Final = 3
"""Error 9 for the 4th identical ``get`` within a minute."""
CREATES_PER_WINDOW: Final = 5
"""Error 9 for the 6th ``add`` within a minute."""
CODE_RESEND_SECONDS: Final = 8 * 3600.0
"""Error 10: a code was sent to that number less than 8 hours ago."""
SECRET_PARAMETERS: Final = frozenset({"psw", "apikey"})
"""Never shown: the received requests hold :data:`MASK` in their place."""
MASK: Final = "***"

# --- Decisions where the API page is silent ---------------------------------------------

DEFAULT_LOGIN: Final = "fake-login"
DEFAULT_PSW: Final = "fake-psw"
DEFAULT_APIKEY: Final = "fake-apikey"
"""The credentials a fake accepts unless told others (``None`` turns one way in off)."""

ACTIVE_STATUS: Final = SenderStatus.APPROVED
"""``get`` without ``all=1`` lists the names in this moderation status only ("active")."""
ADDED_STATUS: Final = SenderStatus.AWAITING_MODERATION
"""The status of a name ``add`` created (the API page: it awaits moderation)."""
UNSET_OPERATOR_STATUS: Final = OperatorStatus.AWAITING_REGISTRATION
"""An operator a name has no status for reads as this; ``operators=1`` writes all 19."""

NEW_NAME: Final = re.compile(r"[A-Za-z0-9._-]{1,11}|[0-9]{10,15}")
"""A name ``add`` accepts: the documented rule (up to 11 Latin letters, digits, ``.``,
``-``, ``_``) or a phone number; anything else is error 1. Older names that break the rule
can still be put in the state directly."""
DIGITAL_NAME: Final = re.compile(r"[0-9]{10,15}")
"""A digital name: a phone number of 10 to 15 digits, the only kind ``send_code`` takes."""
NON_DIGITAL_CODE_ERROR: Final = ErrorCode.BAD_NUMBER_FORMAT
"""``send_code`` / ``check_code`` for a name that is not a phone number: error 7."""
NO_CODE_SENT_ERROR: Final = ErrorCode.WRONG_CODE
"""``check_code`` when no code is waiting (none sent, or used already): error 11."""
CONFIRMED_STATUS: Final = SenderStatus.APPROVED
"""A digital name whose code was checked right becomes approved (its owner proved it)."""
CODE_DIGITS: Final = 6
"""The codes ``send_code`` "sends": 6 digits, the same sequence for every new fake."""
DUPLICATE_NAME_ERROR: Final = ErrorCode.SAVE_FAILED
"""``add`` of a name the account has (exact match): error 5, "error saving the name"."""
OPERATORS_IN_FMT1_ERROR: Final = ErrorCode.BAD_PARAMETERS
"""``get`` with ``operators=1`` and ``fmt=1``: the view has no fmt 1 form (spec §4.5)."""

MAX_QUERY_BYTES: Final = 16 * 1024
"""A longer query string is refused with HTTP 414, before anything is decoded."""
MAX_BODY_BYTES: Final = 64 * 1024
"""A longer POST body is refused with HTTP 413, before it is read."""

HEADER_CHARSET: Final = "windows-1251"
"""The charset every ``Content-Type`` names, whatever the body is in: captures of the real
server show windows-1251 there even when UTF-8 was asked for, so a client must decode with
the charset it asked for, and the fake makes one that trusts the header fail."""

_MEDIA_TYPES: Final = {0: "text/plain", 1: "text/plain", 2: "text/xml", 3: "application/json"}


def content_type(fmt: int) -> str:
    """The ``Content-Type`` of an answer in ``fmt``."""
    return f"{_MEDIA_TYPES[fmt]}; charset={HEADER_CHARSET}"


DECISIONS: Final = (
    # (the situation, what the fake does): docs/testing.md's table, row for row (a test
    # compares them). The constants above carry the values the code uses.
    ("`get` without `all=1`", 'lists the approved names only (status 1: "active")'),
    (
        "`get` when no name qualifies",
        "the empty list: an empty body in fmt 0 and 1, `<list>` and `</list>` in fmt 2, `[]`"
        " in fmt 3",
    ),
    (
        "`get` with `operators=1`",
        "all 19 operator keys, 0 (awaiting registration) unless set; with `all=1` as well, the"
        " status too; keys the model does not know (`Sender.extra`) appear in this view only",
    ),
    ("`get` with `operators=1` and `fmt=1`", "error 1: the view has no fmt 1 form"),
    (
        "`add` of a name outside the documented rule (1 to 11 Latin letters, digits, `.`, `-`,"
        " `_`; or a phone number of 10 to 15 digits)",
        "error 1",
    ),
    ("`add` of a name the account has (exact match)", "error 5"),
    (
        "`add`",
        "a new id, never given before (not even a deleted name's); status 0; `cmt` kept",
    ),
    ("`chg`", "changes the comment only, never the name; without `cmt`, error 1"),
    (
        "`chg` or `del` with both `id` and `sender`",
        "error 1: the request model (`fmtcodec.Request`) takes one or the other",
    ),
    ("`send_code` or `check_code` for a name that is not a phone number", "error 7"),
    (
        "`send_code`",
        "a 6-digit code, the same sequence in every new fake; again within 8 hours, error 10;"
        " a code sent later replaces the one waiting",
    ),
    (
        "`check_code` with the right code",
        "OK; the name becomes approved (status 1); the code is used up",
    ),
    ("`check_code` with no code waiting", "error 11"),
    (
        'error 9, "identical" list requests',
        "the same parameters apart from `login`, `psw` and `apikey` (`fmt` and `charset`"
        " count); only answered requests count; a 60-second window on the fake's clock",
    ),
    (
        "error 9 for 15 or more concurrent connections",
        "not modelled: script it with `fail_next(9)`",
    ),
    (
        "credentials",
        "an `apikey`, when given, is checked alone (`login` and `psw` beside it are then error"
        " 1: a request carries one or the other); no credentials at all is error 2",
    ),
    (
        "the order of the checks",
        "parameters that cannot be read (broken percent-encoding, bytes not in the charset) 1;"
        " credentials 2; the request itself (no command, two commands, a bad `fmt` or `id`) 1;"
        " rate limits 9; then the command's own errors",
    ),
    (
        "a `fmt` or `charset` the fake cannot read",
        "the error is written in fmt 0, or in windows-1251",
    ),
    (
        "a parameter given twice",
        "the last one wins, and the POST body's over the query's, as in PHP",
    ),
    (
        "`Content-Type`",
        "`text/plain` (fmt 0 and 1), `text/xml` (2), `application/json` (3), always with"
        " `charset=windows-1251`, whatever the body is in: the real server's header does the same",
    ),
    (
        "HTTP",
        "another path 404; a method other than GET and POST 405; a query string over 16 KiB 414;"
        " a body over 64 KiB 413; a POST body that is not form-encoded 415",
    ),
    (
        "names put in the state directly",
        "any name, even outside the rule, if every fmt (where its view exists) and every"
        " charset can write it; a sender without a status is approved",
    ),
)
"""What the fake does where the API page is silent, as docs/testing.md states it."""
