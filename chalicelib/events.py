"""Domain events: Zou's names and payloads (`playlist:add_entity`, `build-job:update`, ...)
published to the one EventBridge bus that infra/resources.yaml declares.

An event is news about a change that is already stored, so failing to publish it must
not undo or fail the change: it is logged instead (Zou's realtime bus behaves the same)."""
import json

from chalicelib import aws
from chalicelib.config import settings
from chalicelib.observability import logger

SOURCE = "reelbase.zou"
_PUT_EVENTS_LIMIT = 10  # entries per PutEvents call


def event(name: str, payload: dict, project_id: str | None = None) -> dict:
    """One event as it goes on the bus; Zou adds `project_id` whenever it is known."""
    detail = dict(payload)
    if project_id:
        detail["project_id"] = project_id
    return {"name": name, "detail": detail}


def publish(name: str, payload: dict, project_id: str | None = None) -> None:
    publish_many([event(name, payload, project_id)])


def publish_many(events: list[dict]) -> None:
    if not events:
        return
    bus = settings().event_bus_name
    entries = [{"Source": SOURCE, "DetailType": item["name"], "Detail": json.dumps(item["detail"], default=str),
                "EventBusName": bus} for item in events]
    for start in range(0, len(entries), _PUT_EVENTS_LIMIT):
        batch = entries[start:start + _PUT_EVENTS_LIMIT]
        try:
            answer = aws.client("events").put_events(Entries=batch)
        except Exception:
            logger.exception("events not published", extra={"events": [e["DetailType"] for e in batch]})
            continue
        if answer.get("FailedEntryCount"):
            logger.error("some events were refused", extra={"entries": answer.get("Entries")})
