"""Queries (docs/architecture.md). Only services and actions' units of work call them."""

from __future__ import annotations

from typing import Any, Unpack

from sqlmodel.sql.expression import Select


def select_many(*columns: Any) -> Select[Unpack[tuple[Any, ...]]]:  # noqa: ANN401 (entities and columns)
    """What sqlmodel's select() builds for several entities or columns, for any number of them:
    its typed overloads stop at four."""
    return Select(*columns)
