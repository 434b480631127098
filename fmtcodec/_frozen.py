"""Read-only values for the model's mappings, so that model values hash and compare by value.

:class:`FrozenDict` is a ``dict`` that refuses every change after it is built. It stays a
``dict`` (not a wrapper) for three reasons: msgspec and ``json`` write it as an object
without help, the encoders' column checks run at C speed on it (``dict.keys``), and
building one from the decoders' dicts is one C-level copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NoReturn, TypeVar

__all__ = ["EMPTY", "FrozenDict", "freeze", "freeze_mapping"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A ``dict`` that cannot be changed once built; hashable when its values are.

    Equality is ``dict``'s (by value, ignoring order, equal to a plain ``dict`` with the
    same items); the hash is that of the items as a frozenset, so equal mappings hash
    alike. ``repr`` is ``dict``'s, so a model value's repr can be pasted back as code.
    """

    __slots__ = ()

    # dict's stubs declare __hash__ as None (dicts are unhashable); a frozen one is not.
    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError(f"{type(self).__name__} is read-only: build a new mapping instead")

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse

    def __reduce__(self) -> tuple[type[FrozenDict[K, V]], tuple[dict[K, V]]]:
        # pickle and copy would fill a dict subclass item by item through __setitem__.
        return (type(self), (dict(self),))

    def __copy__(self) -> FrozenDict[K, V]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenDict[K, V]:
        return FrozenDict({key: _deepcopy(value, memo) for key, value in self.items()})


def _deepcopy(value: object, memo: dict[int, Any]) -> Any:
    import copy

    return copy.deepcopy(value, memo)


EMPTY: FrozenDict[Any, Any] = FrozenDict()
"""The shared empty mapping: the model's default for ``operators`` and ``extra``."""


def freeze_mapping(mapping: Mapping[K, V] | Iterable[tuple[K, V]]) -> FrozenDict[K, V]:
    """``mapping`` as a FrozenDict (itself when it already is one), keeping its order."""
    if isinstance(mapping, FrozenDict):
        return mapping
    if not mapping:
        return EMPTY
    return FrozenDict(mapping)


def freeze(value: Any) -> Any:
    """``value`` with every list made a tuple and every dict a FrozenDict, at any depth:
    an unknown JSON member's value (``Sender.extra``), made hashable."""
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if isinstance(value, Mapping):
        if isinstance(value, FrozenDict) and all(map(_is_scalar, value.values())):
            return value
        return FrozenDict({key: freeze(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(map(freeze, value))
    return value


def _is_scalar(value: object) -> bool:
    return isinstance(value, (str, int, float)) or value is None
