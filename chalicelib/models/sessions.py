"""What sessions leave in the records table: revoked tokens and login attempts. Both
expire by themselves (the table's TTL attribute `expires_at`); DynamoDB deletes expired
items within a day or two, so every read still compares the times it holds.

  revoked#<token id>        a token that logged out, kept until the token would have expired
  attempts#<scope>#<key>    an atomic counter of password attempts in the current window

See README.md beside this file for the access patterns."""
import datetime
import time
from dataclasses import dataclass

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.constants import PAY_PER_REQUEST_BILLING_MODE
from pynamodb.exceptions import DeleteError, PutError, UpdateError
from pynamodb.models import Model

from chalicelib.models.records import Record, conditional_failure, now_iso

REVOKED_KIND = "RevokedToken"


def _revoked_id(token_id: str) -> str:
    return f"revoked#{token_id}"


def _at(epoch_seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch_seconds, tz=datetime.UTC)


def revoke(token_id: str, person_id: str, expires_at: float) -> None:
    """Deny `token_id` until `expires_at` (epoch seconds), when the token dies anyway.
    Denying it again (a second logout with the same token) changes nothing."""
    stamp = now_iso()
    try:
        Record(id=_revoked_id(token_id), kind=REVOKED_KIND, created_sort=stamp, kind_sort=f"{REVOKED_KIND}#{stamp}",
               body={"person_id": person_id}, expires_at=_at(expires_at)).save()
    except PutError as error:
        # Record's version attribute makes a first save conditional on the item not existing.
        if not conditional_failure(error):
            raise


def person_and_revocations(person_id: str, token_ids: list[str]) -> tuple[dict | None, bool]:
    """The person's body and whether any of `token_ids` is revoked, in one BatchGetItem:
    checking the deny list costs no call beyond reading the caller."""
    wanted = [person_id, *(_revoked_id(token_id) for token_id in token_ids if token_id)]
    found = {record.id: record for record in Record.batch_get(wanted)}
    person = found.get(person_id)
    return (person.body if person else None), any(key in found for key in wanted[1:])


# --- password attempts --------------------------------------------------------------------

class Attempts(Model):
    """A counter per account (and per place a password is checked); written only with
    UpdateItem, so it never enters the records' indexes."""

    class Meta:
        table_name = "records"  # replaced by chalicelib.models.configure()
        billing_mode = PAY_PER_REQUEST_BILLING_MODE

    id = UnicodeAttribute(hash_key=True)
    attempts = NumberAttribute(null=True)
    window_ends = NumberAttribute(null=True)
    expires_at = TTLAttribute(null=True)


@dataclass(frozen=True)
class Attempt:
    number: int          # this attempt's rank in the current window (1 = first)
    window_ends: float   # epoch seconds


def count_attempt(scope: str, key: str, window_seconds: int) -> Attempt:
    """Count one attempt atomically and say which it is in the current window (a window
    starts at the first attempt after the last one ended). Concurrent attempts each get
    their own number, so a burst cannot slip past the limit between a read and a write."""
    item = Attempts(id=f"attempts#{scope}#{key}")
    for _ in range(3):
        now = time.time()
        try:
            item.update(actions=[Attempts.attempts.add(1)], condition=Attempts.window_ends > now)
            return Attempt(int(item.attempts), float(item.window_ends))
        except UpdateError as error:
            if not conditional_failure(error):
                raise
        ends = now + window_seconds
        try:
            # No window, or an ended one: this attempt opens the next.
            item.update(actions=[Attempts.attempts.set(1), Attempts.window_ends.set(ends),
                                 Attempts.expires_at.set(_at(ends))],
                        condition=Attempts.window_ends.does_not_exist() | (Attempts.window_ends <= now))
            return Attempt(1, ends)
        except UpdateError as error:
            if not conditional_failure(error):
                raise
            # Another attempt opened the window meanwhile: count in it.
    raise RuntimeError("could not count a password attempt")


def clear_attempts(scope: str, key: str) -> None:
    """A right password ends the window (Zou resets its failed-attempt count too)."""
    try:
        Attempts(id=f"attempts#{scope}#{key}").delete()
    except DeleteError:
        pass  # nothing counted

