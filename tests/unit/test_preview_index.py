import threading
import uuid

from chalicelib.services.previews import index


def test_concurrent_preview_updates_are_all_kept(stack):
    entity_id = str(uuid.uuid4())
    previews = [{"id": str(uuid.uuid4()), "entity_id": entity_id, "revision": n, "status": "processing"}
                for n in range(8)]
    threads = [threading.Thread(target=index.record_preview, args=(p,)) for p in previews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = index.previews_by_entity([entity_id])[entity_id]
    assert sorted(p["revision"] for p in stored) == list(range(8))

    index.record_preview({**previews[0], "status": "ready"})
    index.remove_preview(entity_id, previews[1]["id"])
    stored = {p["id"]: p for p in index.previews_by_entity([entity_id])[entity_id]}
    assert stored[previews[0]["id"]]["status"] == "ready"
    assert previews[1]["id"] not in stored and len(stored) == 7


def test_unknown_entities_have_no_previews(stack):
    missing = str(uuid.uuid4())
    assert index.previews_by_entity([missing]) == {missing: []}
