"""fmtcodec: read and write the SMSC senders.php API's responses in all four formats.

>>> import fmtcodec
>>> fmtcodec.decode(b"name = ALPHA, id = 7", fmt=0)
SenderList(senders=[Sender(name='ALPHA', id=7, status=None, operators={}, extra={})])
>>> print(fmtcodec.encode(fmtcodec.SenderCreated(id=7), fmt=3))
{
"sender": 7
}
"""

from .api import decode, detect, encode, raise_for_error
from .errors import DecodeError, EncodeError, ResponseError
from .model import (
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
)
from .source import CHARSETS, DEFAULT_MAX_SIZE

__version__ = "0.1.0"

__all__ = [
    "CHARSETS",
    "DEFAULT_MAX_SIZE",
    "OPERATOR_KEYS",
    "ApiError",
    "DecodeError",
    "EncodeError",
    "ErrorCode",
    "Fmt",
    "Ok",
    "OperatorStatus",
    "Response",
    "ResponseError",
    "Sender",
    "SenderCreated",
    "SenderList",
    "SenderStatus",
    "__version__",
    "decode",
    "detect",
    "encode",
    "raise_for_error",
]
