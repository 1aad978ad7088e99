"""An operation's result as the phone reads it (docs/offline.md)."""

from typing import Any

from treem.offline.models import Operation


def result_of(operation: Operation, *, record: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": str(operation.pk),
        "kind": operation.kind,
        "status": str(operation.status),
        "message": operation.message,
        "errors": operation.errors,
        "conflicts": operation.conflicts,
        "record": record,
        "recorded_at": operation.recorded_at.isoformat(),
        "decided_at": operation.decided_at.isoformat() if operation.decided_at else None,
    }
