"""moto serves requests on parallel threads and checks DynamoDB conditions without a
lock, so two concurrent conditional writes can both succeed, which real DynamoDB never
allows. Serializing moto's DynamoDB requests restores the atomicity the product relies
on (unique claims, optimistic locks) for the local stack and the tests."""
import functools
import threading

_lock = threading.RLock()


def install() -> None:
    from moto.dynamodb.responses import DynamoHandler

    if getattr(DynamoHandler.call_action, "_reelbase_atomic", False):
        return
    original = DynamoHandler.call_action

    @functools.wraps(original)
    def call_action(self, *args, **kwargs):
        with _lock:
            return original(self, *args, **kwargs)

    call_action._reelbase_atomic = True
    DynamoHandler.call_action = call_action
