"""Which failures of a build step are worth another attempt, and how the state machine
learns it.

A step raises `RetryableBuildError` for what is transient on AWS's side (an S3 500 or
SlowDown, DynamoDB or Lambda throttling, a timed-out or dropped connection). Lambda
reports the exception's class name as the error, so the Retry of every Lambda state in
infra/resources.yaml (PlaylistMovieStateMachine) names this class: the state is run
again with backoff and jitter, and only when the attempts are spent does the Catch mark
the job failed, with this error's message (which names the entry or part) as its reason.

botocore already retries each request a few times; this is the next level, for the
failures that outlast those (a burst of 500s during parallel chunk uploads)."""
import functools

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError, ReadTimeoutError

from chalicelib.observability import add_metric, logger

# Error codes AWS documents as "try again": S3's, DynamoDB's and the generic throttling ones.
TRANSIENT_CODES = frozenset({
    "500", "502", "503", "504", "InternalError", "InternalFailure", "ServiceUnavailable", "SlowDown",
    "RequestTimeout", "RequestTimeoutException", "Throttling", "ThrottlingException", "ThrottledException",
    "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "LimitExceededException", "EC2ThrottledException", "BandwidthLimitExceeded",
    "PriorRequestNotComplete",
})


class RetryableBuildError(Exception):
    """A step failed on something transient; the state machine runs it again."""


def is_transient(error: BaseException) -> bool:
    """True when `error`, or what it was raised from (boto3's S3UploadFailedError wraps
    the ClientError of the part that failed), is a transient AWS failure."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, RetryableBuildError):
            return True
        if isinstance(error, ClientError):
            details = error.response.get("Error", {})
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
            return details.get("Code") in TRANSIENT_CODES or status >= 500
        if isinstance(error, (ConnectionError, HTTPClientError, ReadTimeoutError, TimeoutError)):
            return True
        error = error.__cause__ or error.__context__
    return False


def describe(error: BaseException) -> str:
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code') or 'error'} from AWS ({details.get('Message') or error})"
    return f"{type(error).__name__}: {error}"


def retryable_step(where):
    """Decorate a step: a transient failure escaping it becomes a RetryableBuildError
    whose message says where (`where(event)`, e.g. "Part 3 of the movie")."""
    def decorate(step):
        @functools.wraps(step)
        def run(event, *args, **kwargs):
            try:
                return step(event, *args, **kwargs)
            except Exception as error:
                if not is_transient(error):
                    raise
                detail = str(error) if isinstance(error, RetryableBuildError) else describe(error)
                add_metric("BuildTransientErrors")  # each one costs a retry of the step
                logger.warning("transient error: the step will be retried", extra={"where": where(event),
                                                                                     "error": detail})
                # Raised on every attempt; the job reads the last one, once the retries are spent.
                raise RetryableBuildError(f"{where(event)}: {detail}; a transient error that outlasted "
                                          "the retries") from error
        return run
    return decorate
