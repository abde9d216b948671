"""The job must run offline: no DNS lookup or connection to anything but this machine."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from pipelines.cli import main

SAMPLE = "sample_data/input"


def _is_local(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, bytes | bytearray):
        host = host.decode()
    if not isinstance(host, str) or host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a hostname that would need DNS


@pytest.fixture
def no_outside_network(monkeypatch):
    attempts: list[object] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guard(target):
        if not _is_local(target):
            attempts.append(target)
            raise OSError(f"test forbids outside network access to {target!r}")

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            guard(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            guard(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        guard(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


def test_sample_job_makes_no_outside_connection(tmp_path, no_outside_network):
    assert main(["run", "--input", SAMPLE, "--output", str(tmp_path / "out")]) == 0
    assert no_outside_network == []


def test_guard_really_blocks_outside_connections(no_outside_network):
    with pytest.raises(OSError), socket.create_connection(("192.0.2.1", 80), timeout=1):
        pass
    assert no_outside_network
