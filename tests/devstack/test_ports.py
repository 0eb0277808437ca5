"""A port counts as busy only while something listens on it (issue 18)."""
import socket

from devstack.stack import free_port, port_is_free


def _connection_closed_by_the_server_first(port: int) -> None:
    """Leaves the server's side of one connection in TIME_WAIT, as a stopped stack does."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen()
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = listener.accept()
        accepted.close()  # the active close: TIME_WAIT on port's side
        client.recv(1)
        client.close()


def test_a_port_something_listens_on_is_busy():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert not port_is_free(server.getsockname()[1])


def test_a_port_left_in_time_wait_by_a_stopped_server_is_free():
    port = free_port()
    _connection_closed_by_the_server_first(port)
    with socket.socket() as plain:  # what the old check did, refused for up to a minute
        try:
            plain.bind(("127.0.0.1", port))
            plain_bind_refused = False
        except OSError:
            plain_bind_refused = True
    assert plain_bind_refused
    assert port_is_free(port)
