"""Hand-written floors: the least a user could get away with for each format (issue 5).

They trust their input completely: no checks, no errors worth the name, no unknown keys.
Each knows the shape it reads or writes, as hand-written code would. Decoders start from
the same UTF-8 bytes fmtcodec gets and produce the same information (names and ints;
fmt 3's floor is msgspec untyped, as the issue defines it). Encoders start from the model
and write exactly the text fmtcodec writes (``run.py`` checks both before timing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec
from lxml import etree

from fmtcodec import ApiError, Response, Sender, SenderCreated, SenderList

Decoder = Callable[[bytes], Any]
Encoder = Callable[[Any], str]

_json = msgspec.json.encode


# -- decode --------------------------------------------------------------------------


def _decode0_list(data: bytes) -> list[tuple[str, dict[str, int]]]:
    records = []
    for line in data.decode("utf-8").split("\n"):
        pairs = line.split(", ")
        fields = {}
        for pair in pairs[1:]:
            key, value = pair.split(" = ")
            fields[key] = int(value)
        records.append((pairs[0][7:], fields))  # after "name = "
    return records


def _decode0_ok(data: bytes) -> bool:
    return data.decode("utf-8") == "OK"


def _decode0_created(data: bytes) -> int:
    return int(data.decode("utf-8")[5:])  # after "ID = "


def _decode0_error(data: bytes) -> tuple[int, str]:
    code, _, description = data.decode("utf-8")[8:].partition(" (")  # after "ERROR = "
    return int(code), description[:-1]


def _decode1_basic(data: bytes) -> list[tuple[str, int]]:
    records = []
    for line in data.decode("utf-8").split("\n"):
        name, sender_id = line.split(",")
        records.append((name, int(sender_id)))
    return records


def _decode1_all(data: bytes) -> list[tuple[str, int, int]]:
    records = []
    for line in data.decode("utf-8").split("\n"):
        name, status, sender_id = line.split(",")
        records.append((name, int(status), int(sender_id)))
    return records


def _decode1_created(data: bytes) -> int:
    return int(data.decode("utf-8"))


def _decode1_error(data: bytes) -> int:
    return -int(data.decode("utf-8").split(",")[1])


def _decode2_list(data: bytes) -> list[tuple[str, dict[str, int]]]:
    root = etree.fromstring(data)
    return [(el.text, {key: int(value) for key, value in el.items()}) for el in root]


def _decode2_ok(data: bytes) -> bool:
    return bool(etree.fromstring(data).text == "OK")


def _decode2_created(data: bytes) -> int:
    return int(etree.fromstring(data)[0].text)


def _decode2_error(data: bytes) -> tuple[int, str]:
    root = etree.fromstring(data)
    return int(root[1].text), root[0].text


DECODERS: dict[tuple[int, str], Decoder] = {
    (0, "basic"): _decode0_list,
    (0, "all"): _decode0_list,
    (0, "operators"): _decode0_list,
    (0, "ok"): _decode0_ok,
    (0, "created"): _decode0_created,
    (0, "error"): _decode0_error,
    (1, "basic"): _decode1_basic,
    (1, "all"): _decode1_all,
    (1, "ok"): _decode0_ok,
    (1, "created"): _decode1_created,
    (1, "error"): _decode1_error,
    (2, "basic"): _decode2_list,
    (2, "all"): _decode2_list,
    (2, "operators"): _decode2_list,
    (2, "ok"): _decode2_ok,
    (2, "created"): _decode2_created,
    (2, "error"): _decode2_error,
    **{(3, view): msgspec.json.decode for view in ("basic", "all", "operators")},
    **{(3, kind): msgspec.json.decode for kind in ("ok", "created", "error")},
}


# -- encode --------------------------------------------------------------------------


def _encode0_basic(response: SenderList) -> str:
    return "\n".join([f"name = {s.name}, id = {s.id}" for s in response.senders])


def _encode0_all(response: SenderList) -> str:
    lines = [f"name = {s.name}, status = {s.status}, id = {s.id}" for s in response.senders]
    return "\n".join(lines)


def _encode0_operators(response: SenderList) -> str:
    lines = []
    for s in response.senders:
        o = s.operators
        lines.append(
            f"name = {s.name}, mega_step = {o['mega_step']}, bee_step = {o['bee_step']}, "
            f"motiv_step = {o['motiv_step']}, sber_step = {o['sber_step']}, "
            f"winmob_step = {o['winmob_step']}, volnamob_step = {o['volnamob_step']}, "
            f"mts_step = {o['mts_step']}, tele2_step = {o['tele2_step']}, "
            f"tele2 = {o['tele2']}, ua_reg = {o['ua_reg']}, ua_int = {o['ua_int']}, "
            f"mega_int = {o['mega_int']}, motiv_int = {o['motiv_int']}, "
            f"mts_int = {o['mts_int']}, motiv = {o['motiv']}, by_reg = {o['by_reg']}, "
            f"by_int = {o['by_int']}, tele2_int = {o['tele2_int']}, "
            f"sber_int = {o['sber_int']}, id = {s.id}"
        )
    return "\n".join(lines)


def _encode0_created(response: SenderCreated) -> str:
    return f"ID = {response.id}"


def _encode0_error(response: ApiError) -> str:
    return f"ERROR = {response.code} ({response.description})"


def _encode_ok(response: Response) -> str:
    return "OK"


def _encode1_basic(response: SenderList) -> str:
    return "\n".join([f"{s.name},{s.id}" for s in response.senders])


def _encode1_all(response: SenderList) -> str:
    return "\n".join([f"{s.name},{s.status},{s.id}" for s in response.senders])


def _encode1_created(response: SenderCreated) -> str:
    return f"{response.id}"


def _encode1_error(response: ApiError) -> str:
    return f"0,-{response.code}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _encode2_basic(response: SenderList) -> str:
    lines = [f'<sender id="{s.id}">{_escape(s.name)}</sender>' for s in response.senders]
    return "<list>\n" + "\n".join(lines) + "\n</list>"


def _encode2_all(response: SenderList) -> str:
    lines = [
        f'<sender status="{s.status}" id="{s.id}">{_escape(s.name)}</sender>'
        for s in response.senders
    ]
    return "<list>\n" + "\n".join(lines) + "\n</list>"


def _encode2_operators(response: SenderList) -> str:
    lines = []
    for s in response.senders:
        o = s.operators
        lines.append(
            f'<sender mega_step="{o["mega_step"]}" bee_step="{o["bee_step"]}" '
            f'motiv_step="{o["motiv_step"]}" sber_step="{o["sber_step"]}" '
            f'winmob_step="{o["winmob_step"]}" volnamob_step="{o["volnamob_step"]}" '
            f'mts_step="{o["mts_step"]}" tele2_step="{o["tele2_step"]}" tele2="{o["tele2"]}" '
            f'ua_reg="{o["ua_reg"]}" ua_int="{o["ua_int"]}" mega_int="{o["mega_int"]}" '
            f'motiv_int="{o["motiv_int"]}" mts_int="{o["mts_int"]}" motiv="{o["motiv"]}" '
            f'by_reg="{o["by_reg"]}" by_int="{o["by_int"]}" tele2_int="{o["tele2_int"]}" '
            f'sber_int="{o["sber_int"]}" id="{s.id}">{_escape(s.name)}</sender>'
        )
    return "<list>\n" + "\n".join(lines) + "\n</list>"


def _encode2_ok(response: Response) -> str:
    return "<result>OK</result>"


def _encode2_created(response: SenderCreated) -> str:
    return f"<sender>\n<id>{response.id}</id>\n</sender>"


def _encode2_error(response: ApiError) -> str:
    description = _escape(response.description or "")
    code = response.code
    return f"<result>\n<error>{description}</error>\n<error_code>{code}</error_code>\n</result>"


def _name3(s: Sender) -> str:
    return _json(s.name).decode("utf-8")


def _encode3_basic(response: SenderList) -> str:
    objects = [f'{{\n"sender": {_name3(s)},\n"id": {s.id}\n}}' for s in response.senders]
    return "[" + ",\n".join(objects) + "]"


def _encode3_all(response: SenderList) -> str:
    objects = [
        f'{{\n"sender": {_name3(s)},\n"status": {s.status},\n"id": {s.id}\n}}'
        for s in response.senders
    ]
    return "[" + ",\n".join(objects) + "]"


def _encode3_operators(response: SenderList) -> str:
    objects = []
    for s in response.senders:
        o = s.operators
        objects.append(
            f'{{\n"sender": {_name3(s)},\n"mega_step": "{o["mega_step"]}",\n'
            f'"mega_int": "{o["mega_int"]}",\n"bee_step": "{o["bee_step"]}",\n'
            f'"motiv": "{o["motiv"]}",\n"motiv_step": "{o["motiv_step"]}",\n'
            f'"motiv_int": "{o["motiv_int"]}",\n"sber_step": "{o["sber_step"]}",\n'
            f'"sber_int": "{o["sber_int"]}",\n"winmob_step": "{o["winmob_step"]}",\n'
            f'"volnamob_step": "{o["volnamob_step"]}",\n"mts_step": "{o["mts_step"]}",\n'
            f'"mts_int": "{o["mts_int"]}",\n"tele2_step": "{o["tele2_step"]}",\n'
            f'"tele2": "{o["tele2"]}",\n"tele2_int": "{o["tele2_int"]}",\n'
            f'"ua_reg": "{o["ua_reg"]}",\n"ua_int": "{o["ua_int"]}",\n'
            f'"by_reg": "{o["by_reg"]}",\n"by_int": "{o["by_int"]}",\n"id": "{s.id}"\n}}'
        )
    return "[" + ",\n".join(objects) + "]"


def _encode3_ok(response: Response) -> str:
    return '{\n"result": "OK"\n}'


def _encode3_created(response: SenderCreated) -> str:
    return f'{{\n"sender": {response.id}\n}}'


def _encode3_error(response: ApiError) -> str:
    description = _json(response.description).decode("utf-8")
    return f'{{\n"error": {description},\n"error_code": {response.code}\n}}'


ENCODERS: dict[tuple[int, str], Encoder] = {
    (0, "basic"): _encode0_basic,
    (0, "all"): _encode0_all,
    (0, "operators"): _encode0_operators,
    (0, "ok"): _encode_ok,
    (0, "created"): _encode0_created,
    (0, "error"): _encode0_error,
    (1, "basic"): _encode1_basic,
    (1, "all"): _encode1_all,
    (1, "ok"): _encode_ok,
    (1, "created"): _encode1_created,
    (1, "error"): _encode1_error,
    (2, "basic"): _encode2_basic,
    (2, "all"): _encode2_all,
    (2, "operators"): _encode2_operators,
    (2, "ok"): _encode2_ok,
    (2, "created"): _encode2_created,
    (2, "error"): _encode2_error,
    (3, "basic"): _encode3_basic,
    (3, "all"): _encode3_all,
    (3, "operators"): _encode3_operators,
    (3, "ok"): _encode3_ok,
    (3, "created"): _encode3_created,
    (3, "error"): _encode3_error,
}


# -- what both sides found: for run.py's check that a floor does the same work --------

Information = Any


def model_information(response: Response) -> Information:
    """The names and numbers of a decoded model, in one plain shape."""
    if isinstance(response, SenderList):
        records = []
        for s in response.senders:
            fields = {key: int(value) for key, value in s.operators.items()}
            if s.status is not None:
                fields["status"] = int(s.status)
            fields["id"] = s.id
            records.append((s.name, fields))
        return records
    if isinstance(response, SenderCreated):
        return ("created", response.id)
    if isinstance(response, ApiError):
        return ("error", int(response.code), response.description)
    return ("ok",)


def floor_information(fmt: int, view: str, found: Any) -> Information:
    """What a floor decoder found, in :func:`model_information`'s shape."""
    if view == "ok":
        return ("ok",) if found in (True, {"result": "OK"}) else ("not ok",)
    if view == "created":
        return ("created", found["sender"] if fmt == 3 else found)
    if view == "error":
        if fmt == 3:
            return ("error", found["error_code"], found["error"])
        if fmt == 1:
            return ("error", found, None)
        return ("error", *found)
    if fmt == 1:
        keys = ("id",) if view == "basic" else ("status", "id")
        return [(name, dict(zip(keys, numbers, strict=True))) for name, *numbers in found]
    if fmt == 3:
        return [
            (record["sender"], {k: int(v) for k, v in record.items() if k != "sender"})
            for record in found
        ]
    return [(name, fields) for name, fields in found]
