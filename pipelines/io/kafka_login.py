"""Check a SASL login once before a job talks to Kafka (no Beam here).

kafka-python 3.0.12 loses the broker's "authentication failed" answer on TLS connections: it sees
a closed socket, retries until its bootstrap timeout (30 s) and then reports "Unable to bootstrap",
which reads like a missing broker. One blocking login with kafka-python's own request encoder and
SASL mechanism gets the broker's answer (error 58) in well under a second, so a wrong password,
user, mechanism or CA file becomes one line with the fix. A server that does not answer at all is
left to the client, which reports the missing broker as before.
"""

from __future__ import annotations

import hashlib
import socket
import ssl
from typing import Any

from pipelines.io.kafka_config import DEFAULT_PASSWORD_ENV, KafkaConfigError, KafkaConnection


class KafkaAuthError(KafkaConfigError):
    """The broker refused the TLS handshake or the SASL login."""


class KafkaUnreachableError(ConnectionError):
    """No bootstrap server accepts connections (pipelines.errors names the fix)."""


_VERIFIED: set[tuple[KafkaConnection, str]] = set()  # logins that worked in this process


def wait_until_reachable(connection: KafkaConnection, wait_s: float = 10.0) -> None:
    """Raise KafkaUnreachableError when no bootstrap server accepts a TCP connection within ``wait_s``.

    Against a port nobody listens on, kafka-python retries for its 30 s bootstrap timeout and
    a job took ~45 s to say the broker is missing; a refused connect answers at once, so a short
    wait still rides out a broker that is just restarting.
    """
    import time

    servers = [s.strip() for s in connection.bootstrap_servers.split(",") if s.strip()]
    deadline = time.monotonic() + wait_s
    while True:
        for server in servers:
            try:
                _connect(server, timeout_s=min(max(wait_s, 1.0), 5.0)).close()
                return
            except (OSError, ValueError):
                continue
        if time.monotonic() >= deadline:
            raise KafkaUnreachableError(
                f"no broker accepted a connection at {', '.join(servers)} within {wait_s:.0f} s")
        time.sleep(0.5)


def verify_sasl_login(connection: KafkaConnection, timeout_s: float = 10.0) -> None:
    """Raise KafkaAuthError when the first bootstrap server that answers refuses TLS or the login."""
    if not connection.security_protocol.startswith("SASL"):
        return
    config = connection.client_config()  # reads the password (KafkaConfigError when there is none)
    key = (connection, hashlib.sha256(config["sasl_plain_password"].encode()).hexdigest())
    if key in _VERIFIED:
        return
    for server in config["bootstrap_servers"]:
        try:
            sock = _connect(server, timeout_s)
        except (OSError, ValueError):
            continue  # not reachable: the client's own error names the missing broker
        with sock:
            if connection.security_protocol == "SASL_SSL":
                sock = _tls(sock, _host(server), server, connection)
            _login(sock, config, server, connection)
        _VERIFIED.add(key)
        return


def _host(server: str) -> str:
    return server.rpartition(":")[0].strip("[]")  # "[::1]:9092" -> "::1"


def _connect(server: str, timeout_s: float) -> socket.socket:
    """A TCP connection to ``host:port`` (ValueError for a malformed address)."""
    return socket.create_connection((_host(server), int(server.rpartition(":")[2])), timeout=timeout_s)


def _tls(sock: socket.socket, host: str, server: str, connection: KafkaConnection) -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=connection.ssl_cafile)
    context.check_hostname = connection.ssl_check_hostname
    if connection.ssl_certfile:
        context.load_cert_chain(connection.ssl_certfile, connection.ssl_keyfile)
    try:
        return context.wrap_socket(sock, server_hostname=host)
    except ssl.SSLCertVerificationError as exc:
        raise KafkaAuthError(
            f"TLS to Kafka at {server} failed ({exc.verify_message}): pass the CA that signed the broker's "
            "certificate with --kafka_ssl_cafile") from None
    except (ssl.SSLError, OSError) as exc:
        raise KafkaAuthError(
            f"TLS to Kafka at {server} failed ({exc}): is it a SASL_SSL listener? "
            "check --kafka_security_protocol and the port") from None


def _login(sock: socket.socket, config: dict[str, Any], server: str, connection: KafkaConnection) -> None:
    from kafka.net.sasl import get_sasl_mechanism
    from kafka.protocol.parser import KafkaProtocol
    from kafka.protocol.sasl import SaslAuthenticateRequest, SaslHandshakeRequest

    protocol = KafkaProtocol(client_id=connection.client_id)

    def call(request: Any) -> Any:
        protocol.send_request(request)
        sock.sendall(protocol.send_bytes())
        while True:
            data = sock.recv(65536)
            if not data:
                raise ConnectionError("the broker closed the connection")
            responses = protocol.receive_bytes(data)
            if responses:
                return responses[0][1]

    mechanism_name = config["sasl_mechanism"]
    user = config["sasl_plain_username"]
    try:
        handshake = call(SaslHandshakeRequest(version=1, mechanism=mechanism_name))
        if handshake.error_code:
            raise KafkaAuthError(
                f"Kafka at {server} does not offer SASL mechanism {mechanism_name} (it offers "
                f"{', '.join(handshake.mechanisms) or 'none'}): change --kafka_sasl_mechanism")
        mechanism = get_sasl_mechanism(mechanism_name)(host=server.rpartition(":")[0], **config)
        while not mechanism.is_done():
            answer = call(SaslAuthenticateRequest(version=1, auth_bytes=mechanism.auth_bytes()))
            if answer.error_code:
                raise KafkaAuthError(_refused(user, mechanism_name, server, connection))
            mechanism.receive(answer.auth_bytes)
    except KafkaAuthError:
        raise
    except (TimeoutError, ConnectionError, ValueError) as exc:  # ValueError: a bad server signature
        raise KafkaAuthError(f"{_refused(user, mechanism_name, server, connection)} ({exc})") from None


def _refused(user: str, mechanism: str, server: str, connection: KafkaConnection) -> str:
    where = (f"the file {connection.sasl_password_file}" if connection.sasl_password_file
             else f"${connection.sasl_password_env or DEFAULT_PASSWORD_ENV}")
    return (f"Kafka at {server} refused the SASL login of user {user!r} ({mechanism}): check the password "
            f"in {where} and --kafka_sasl_username")
