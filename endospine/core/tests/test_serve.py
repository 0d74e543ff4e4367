"""`endospine serve`: the production server's command line, sized from the machine."""

import os
import socket

import pytest
from django.core.management import CommandError, call_command

from endospine.core.management.commands.serve import granian_argv, port_is_free


def test_the_default_is_one_worker_per_core_with_threads(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("serve", "--print", "--port", "8170")
    line = capsys.readouterr().out.split()
    assert line[0] == "granian"
    assert line[line.index("--workers") + 1] == str(os.cpu_count())
    assert line[line.index("--blocking-threads") + 1] == "4"
    assert line[line.index("--port") + 1] == "8170"
    assert line[-1] == "endospine.wsgi:application"


def test_graceful_shutdown_waits_for_requests_in_flight() -> None:
    argv = granian_argv(
        host="0.0.0.0", port=80, workers=3, threads=2, grace=45, reload=False, backlog=128
    )
    assert argv[argv.index("--workers-kill-timeout") + 1] == "45"
    assert "--reload" not in argv
    assert "--respawn-failed-workers" in argv


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(CommandError):
        call_command("serve", "--print", "--threads", "0")


def test_a_busy_port_is_refused_instead_of_shared() -> None:
    # granian's SO_REUSEPORT would let a second server share the port silently.
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        holder.bind(("127.0.0.1", 8179))
        holder.listen()
        with pytest.raises(CommandError, match="already in use"):
            call_command("serve", "--port", "8179")


def test_a_port_just_released_is_free_again() -> None:
    # A restart must not be refused because of the old server's closed connections.
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do
        server.bind(("127.0.0.1", 8178))
        server.listen()
        with socket.create_connection(("127.0.0.1", 8178)):
            accepted, _ = server.accept()
            accepted.close()  # the server side closes first: its end waits in TIME_WAIT
    assert port_is_free("127.0.0.1", 8178)
