"""The PostgreSQL role is password-protected: TCP logins go through SCRAM-SHA-256 (never trust),
and a wrong password is refused; the CLI turns that into one line with the fix."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from pipelines.cli import main
from tests.fixtures.pg_auth import pg_password, uri_with_password

pytestmark = pytest.mark.postgres
SAMPLES = Path(__file__).resolve().parents[2] / "sample_data" / "input" / "txt"


def test_tcp_logins_need_the_password_over_scram(postgres_server, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    password = pg_password(postgres_server)
    no_password = make_conninfo(postgres_server, passfile="/nonexistent", connect_timeout=10)
    with pytest.raises(psycopg.OperationalError, match="no password supplied"):  # trust would let us in
        psycopg.connect(no_password)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(make_conninfo(no_password, password="Wrong-PG-Secret-1234"))
    # libpq's require_auth refuses any other method the server asks for: the login is SCRAM.
    with psycopg.connect(make_conninfo(no_password, password=password, require_auth="scram-sha-256")) as conn:
        assert conn.execute("SHOW password_encryption").fetchone() == ("scram-sha-256",)
    with pytest.raises(psycopg.OperationalError, match="server requested SASL"):
        psycopg.connect(make_conninfo(no_password, password=password, require_auth="md5"))


def test_wrong_password_in_the_dsn_is_one_line_with_the_fix(postgres_server, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    wrong = "Wrong-PG-Secret-5678"
    code = main(["run", "--runner=DirectRunner", "--input", str(SAMPLES), f"--output={tmp_path}",
                 f"--sink=postgres:{uri_with_password(postgres_server, wrong)}"])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and wrong not in err, err
    assert err.startswith("newsbeam run: error: PostgreSQL refused the login of user ")
    assert "(wrong password): put the role's password in PGPASSWORD or in a PGPASSFILE" in err
