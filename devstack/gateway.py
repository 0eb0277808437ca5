"""The local API Gateway answering as the deployed one does with infra/resources.yaml's
GatewayResponses: a path no route serves is a 404 in the caller's error shape (Chalice's
local server answers API Gateway's bare 403 "Missing Authentication Token")."""
from chalice.local import ChaliceRequestHandler, CustomLocalChalice, ForbiddenError, LocalChalice, LocalDevServer

from chalicelib.api import gateway_errors


class RequestHandler(ChaliceRequestHandler):
    def _send_error_response(self, error) -> None:
        # The app has no API Gateway authorizer: a ForbiddenError is always "no such route".
        if isinstance(error, ForbiddenError):
            status, headers, body = gateway_errors.not_found(self.path)
            self._send_http_response(status, headers, body)
            return
        super()._send_error_response(error)


def create_server(app, config, host: str, port: int) -> LocalDevServer:
    # As chalice.local.create_local_server does: the app learns the local context.
    CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
    app.__class__ = CustomLocalChalice
    return LocalDevServer(app, config, host, port, handler_cls=RequestHandler)
