"""Production reaches PostgreSQL through RDS Proxy, which hands a client's transactions to any server
connection, until the client leaves state behind on one: a session-level advisory lock, a prepared
statement, LISTEN, a session SET (or ``set_config(..., false)``), a temporary table, a holdable cursor.
Then the proxy pins that client to the connection for good, and the pool stops multiplexing.

This reads every SQL statement the application can send (string constants in ``app.py`` and
``chalicelib``, the migration files) with SQL comments, docstrings and Python comments left out, and
fails on any of those. The migration runner is exempt: it runs alone, on its own connection."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from chalicelib.core.settings import PROJECT_ROOT

_EXEMPT = {Path("chalicelib/core/migrations.py")}

_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
# Where a statement starts: the text's start, after a semicolon, or (in a PL/pgSQL body) after a keyword
# that opens a block of statements.
_STATEMENT_START = r"(?:\A|;|\$\$|\bBEGIN\b|\bTHEN\b|\bELSE\b|\bLOOP\b)\s*"
_STATEMENT_END = r"\s*(?:;|\Z)"


def _keyword(word: str) -> str:
    """A statement's first word as SQL writes it, in capitals or in small letters: not a sentence's
    ("Set MIGRATE_DATABASE_URL to ...", "Reset password")."""
    return f"(?-i:{word.upper()}|{word.lower()})"


_PINNING: dict[str, re.Pattern[str]] = {
    "a session-level advisory lock": re.compile(r"\bpg_(?:try_)?advisory_(?:un)?lock(?:_shared|_all)?\s*\(", re.I),
    "a prepared statement": re.compile(
        _STATEMENT_START + _keyword("PREPARE") + r"\s+(?:TRANSACTION\s+'|\w+\s*(?:\(|AS\b))|"
        + _STATEMENT_START + _keyword("DEALLOCATE") + r"\s+\w+", re.I),
    "LISTEN": re.compile(_STATEMENT_START + _keyword("LISTEN") + r"\s+\w+" + _STATEMENT_END, re.I),
    # SET [SESSION] name = / TO value, and the special forms; SET LOCAL, SET TRANSACTION and SET
    # CONSTRAINTS end with the transaction. RESET and DISCARD change the session as much.
    "a session SET": re.compile(
        _STATEMENT_START + "(?:" + _keyword("SET")
        + r"\s+(?:SESSION\s+)?(?:(?!LOCAL\b|TRANSACTION\b|CONSTRAINTS\b)[\w.]+\s*(?:=|\bTO\b)"
        r"|TIME\s+ZONE\b|ROLE\b|AUTHORIZATION\b|SCHEMA\b|NAMES\b)|"
        + _keyword("RESET") + r"\s+[\w.]+" + _STATEMENT_END + "|" + _keyword("DISCARD") + r"\s+\w+)",
        re.I),
    "a temporary table": re.compile(r"\bTEMP(?:ORARY)?\s+(?:TABLE|SEQUENCE|VIEW)\b|\bINTO\s+TEMP(?:ORARY)?\b", re.I),
    "a holdable cursor": re.compile(r"\bCURSOR\s+WITH\s+HOLD\b", re.I),
}
_SET_CONFIG = re.compile(r"\bset_config\s*\(", re.I)


def _set_config_calls(sql: str) -> list[str]:
    """Each ``set_config(...)`` whose third argument is not ``true`` (a setting for the session)."""
    found = []
    for match in _SET_CONFIG.finditer(sql):
        depth, args, start, i = 1, [], match.end(), len(sql)
        for i in range(match.end(), len(sql)):
            ch = sql[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    args.append(sql[start:i])
                    break
            elif ch == "," and depth == 1:
                args.append(sql[start:i])
                start = i + 1
        if len(args) != 3 or args[2].strip().lower() != "true":
            found.append(sql[match.start():i + 1])
    return found


def pinning(sql: str) -> list[str]:
    """What in ``sql`` (comments ignored) would pin a connection behind RDS Proxy."""
    sql = _COMMENTS.sub(" ", sql)
    found = [f"{what}: {m.group(0).strip(' ;')!r}" for what, pattern in _PINNING.items()
             for m in pattern.finditer(sql)]
    return found + [f"set_config for the session: {call!r}" for call in _set_config_calls(sql)]


def python_strings(source: str) -> list[str]:
    """Every string constant of a module except docstrings and other bare strings (comments, to Python);
    an f-string with its holes filled by ``x``; a call to pg8000's ``prepare`` as the text ``PREPARE``."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    texts: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, (ast.Constant, ast.JoinedStr)):
            skipped.update(id(n) for n in ast.walk(node.value))
        elif isinstance(node, ast.JoinedStr) and id(node) not in skipped:
            skipped.update(id(n) for n in ast.walk(node))
            texts.append("".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "prepare":
            texts.append("PREPARE named_statement AS")
    texts += [node.value for node in ast.walk(tree)
              if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped]
    return texts


def _application_sources() -> list[Path]:
    files = [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "chalicelib").rglob("*.py")),
             *sorted((PROJECT_ROOT / "chalicelib" / "migrations").glob("*.sql"))]
    return [f for f in files if f.relative_to(PROJECT_ROOT) not in _EXEMPT]


def test_no_statement_the_application_sends_pins_a_proxied_connection():
    found = []
    for path in _application_sources():
        text = path.read_text()
        statements = python_strings(text) if path.suffix == ".py" else [text]
        found += [f"{path.relative_to(PROJECT_ROOT)}: {problem}" for sql in statements for problem in pinning(sql)]
    assert found == []


def test_every_kind_of_source_is_read():
    names = {p.relative_to(PROJECT_ROOT).as_posix() for p in _application_sources()}
    assert {"app.py", "chalicelib/core/db.py", "chalicelib/migrations/0001_app_role_and_grants.sql"} <= names
    assert "chalicelib/core/migrations.py" not in names


@pytest.mark.parametrize("sql", [
    "SELECT pg_advisory_lock(42)",
    "SELECT pg_try_advisory_lock(hashtext(:k))",
    "select pg_advisory_lock_shared(1, 2)",
    "SELECT pg_advisory_unlock_all()",
    "PREPARE slots (uuid) AS SELECT 1",
    "PREPARE TRANSACTION 'booking-1'",
    "DEALLOCATE slots",
    "LISTEN outbox",
    "SELECT 1; LISTEN outbox;",
    "SET statement_timeout = 0",
    "set search_path to public",
    "SET SESSION app.business_id = '1'",
    "-- the tenant\nSET app.business_id TO 'x'",
    "SET TIME ZONE 'UTC'",
    "SET ROLE booking_owner",
    "RESET statement_timeout",
    "DISCARD ALL",
    "DO $$ BEGIN\n  SET search_path = public;\nEND $$",
    "DO $$ BEGIN IF true THEN PERFORM pg_advisory_lock(1); END IF; END $$",
    "SELECT set_config('app.business_id', :bid, false)",
    "SELECT set_config('statement_timeout', :t,\n                  false) AS t",
    "SELECT set_config('app.x', :v, :is_local)",
    "CREATE TEMP TABLE staging (id int)",
    "CREATE TEMPORARY TABLE staging ON COMMIT DROP AS SELECT 1",
    "SELECT * INTO TEMP staging FROM customers",
    "DECLARE rows CURSOR WITH HOLD FOR SELECT 1",
])
def test_a_statement_that_pins_is_found(sql):
    assert pinning(sql)


@pytest.mark.parametrize("sql", [
    "SELECT set_config('app.business_id', :bid, true), set_config('statement_timeout', :t, true)",
    "SELECT set_config('app.x', coalesce(:v, ''), true)",
    "SET LOCAL statement_timeout = 50",
    "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE",
    "SET CONSTRAINTS ALL DEFERRED",
    "SELECT true FROM pg_advisory_xact_lock(hashtextextended(:lock, 0))",
    "SELECT pg_try_advisory_xact_lock(1)",
    "UPDATE customers\n   SET name = :name\n WHERE id = :id",
    "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2",
    "-- no SET statement_timeout here: a session SET would pin\nSELECT 1",
    "SELECT 1 /* LISTEN outbox; CREATE TEMP TABLE x */",
    "SELECT 'prepare' AS word, temp_c FROM readings",
    "Set a new password with the e-mailed token; ends every session",
    "listen to the customer",
    "Set MIGRATE_DATABASE_URL to the schema owner's connection URL.",
    "Reset password",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n    SET search_path = public AS 'SELECT 1'",
    "DO $$ BEGIN EXECUTE format('GRANT SELECT ON %I TO booking_app', 't'); END $$",
])
def test_a_statement_that_does_not_pin_passes(sql):
    assert pinning(sql) == []


def test_docstrings_and_comments_are_not_read_but_every_other_string_is():
    source = '''"""SET statement_timeout = 0 would pin."""
def f(conn):
    """LISTEN outbox would pin too."""
    # SET search_path = x
    "SELECT pg_advisory_lock(1)"
    conn.run("SELECT 1")
    conn.run(f"SET {name} = 1")
    return conn.prepare("SELECT 1")
'''
    found = sorted(problem.partition(":")[0] for sql in python_strings(source) for problem in pinning(sql))
    assert found == ["a prepared statement", "a session SET"]
