"""The live server of the browser tests, schemathesis and the generated client sends each response at once."""

import socket
import urllib.request

import pytest


@pytest.mark.django_db(transaction=True)
def test_the_live_server_sends_without_waiting_for_the_clients_acknowledgement(live_server, monkeypatch):
    from django.test.testcases import QuietWSGIRequestHandler

    nodelay = []
    setup = QuietWSGIRequestHandler.setup

    def noting_setup(self):
        setup(self)
        nodelay.append(self.connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    monkeypatch.setattr(QuietWSGIRequestHandler, "setup", noting_setup)
    with urllib.request.urlopen(live_server.url + "/accounts/login/") as response:
        assert response.status == 200
    assert nodelay and all(nodelay), nodelay
