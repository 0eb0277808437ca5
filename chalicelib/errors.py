"""Domain exceptions raised by services; chalicelib.api.http turns them into JSON errors."""


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, data: dict | None = None):
        super().__init__(message)
        self.message = message
        self.data = data


class Invalid(DomainError):
    status = 400


class NotAuthenticated(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class TooLarge(DomainError):
    status = 413


class Unprocessable(DomainError):
    status = 422


class TooManyRequests(DomainError):
    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after  # seconds, for the Retry-After header


class InternalError(DomainError):
    """Only raised by the HTTP layer for an unexpected exception, so that each API
    family answers a 500 in its own error shape."""
    status = 500
