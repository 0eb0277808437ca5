"""A route only the devstack tests add to the served app, when the stack's environment
holds REELBASE_DEVSTACK_TEST_ROUTES=1 (tests/devstack sets it for the stacks it starts).
It lives here, never in chalicelib, so no Lambda ever has it."""
import os
import threading

ENABLED_BY = "REELBASE_DEVSTACK_TEST_ROUTES"
HANG_PATH = "/_devstack/hang"
HANGING = "devstack test route: a request is hanging"


def wanted() -> bool:
    return os.environ.get(ENABLED_BY) == "1"


def install(app) -> None:
    @app.route(HANG_PATH)
    def hang():
        """Never answers: a stuck handler the stop must not wait for."""
        print(HANGING, flush=True)
        threading.Event().wait()
