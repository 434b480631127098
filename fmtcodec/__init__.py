"""fmtcodec: read and write the SMSC senders.php API's responses in all four formats.

>>> import fmtcodec
>>> fmtcodec.decode(b"name = ALPHA, id = 7", fmt=0)
SenderList(senders=(Sender(name='ALPHA', id=7, status=None, operators={}, extra={}),))
>>> print(fmtcodec.encode(fmtcodec.SenderCreated(id=7), fmt=3))
{
"sender": 7
}
"""

from ._answers import decode_answer
from ._api import Reading, can_encode, decode, detect, encode, raise_for_error, read
from ._errors import (
    AuthenticationError,
    BadNumberFormatError,
    BadParametersError,
    CodeAlreadySentError,
    CodeUndeliverableError,
    DecodeError,
    EncodeError,
    IPBlockedError,
    ResponseError,
    SaveFailedError,
    SenderNotFoundError,
    TooManyRequestsError,
    WrongCodeError,
)
from ._fmt3_json import OPERATOR_ORDER as OPERATOR_KEYS_JSON
from ._model import (
    OPERATOR_KEYS,
    ApiError,
    ErrorCode,
    Fmt,
    Ok,
    OperatorStatus,
    Response,
    Sender,
    SenderCreated,
    SenderList,
    SenderStatus,
    SenderWithStatus,
    describe,
)
from ._modeljson import SCHEMA_VERSION as MODEL_SCHEMA_VERSION
from ._modeljson import from_data, to_data
from ._request import Answer, Command, Request
from ._source import CHARSETS, DEFAULT_MAX_SIZE
from ._stream import iter_senders

__version__ = "0.1.0"

__all__ = [
    "CHARSETS",
    "DEFAULT_MAX_SIZE",
    "MODEL_SCHEMA_VERSION",
    "OPERATOR_KEYS",
    "OPERATOR_KEYS_JSON",
    "Answer",
    "ApiError",
    "AuthenticationError",
    "BadNumberFormatError",
    "BadParametersError",
    "CodeAlreadySentError",
    "CodeUndeliverableError",
    "Command",
    "DecodeError",
    "EncodeError",
    "ErrorCode",
    "Fmt",
    "IPBlockedError",
    "Ok",
    "OperatorStatus",
    "Reading",
    "Request",
    "Response",
    "ResponseError",
    "SaveFailedError",
    "Sender",
    "SenderCreated",
    "SenderList",
    "SenderNotFoundError",
    "SenderStatus",
    "SenderWithStatus",
    "TooManyRequestsError",
    "WrongCodeError",
    "__version__",
    "can_encode",
    "decode",
    "decode_answer",
    "describe",
    "detect",
    "encode",
    "from_data",
    "iter_senders",
    "raise_for_error",
    "read",
    "to_data",
]

# The public names are defined in private modules; they show as fmtcodec.X in reprs,
# tracebacks and docs.
for _name in __all__:
    _value = globals()[_name]
    if getattr(_value, "__module__", "").startswith("fmtcodec._"):
        _value.__module__ = __name__
del _name, _value
