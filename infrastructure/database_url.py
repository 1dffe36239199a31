"""Turns GATEWAY_DATABASE_URL into eventsourcing's persistence settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


@dataclass(frozen=True)
class DatabaseUrl:
    backend: str  # "sqlite", "postgres", or "memory" (tests: nothing outlives the process)
    sqlite_path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = ""
    dbname: str = ""
    schema: str = ""

    @classmethod
    def parse(cls, url: str) -> DatabaseUrl:
        parsed = urlparse(url)
        if parsed.scheme == "memory":
            return cls(backend="memory")
        if parsed.scheme == "sqlite":
            # sqlite:///./data/x.db is relative, sqlite:////abs/x.db absolute.
            path = url[len("sqlite:///"):]
            if not path:
                raise ValueError("a sqlite URL needs a file path: sqlite:///./data/gateway.db")
            return cls(backend="sqlite", sqlite_path=Path(path))
        if parsed.scheme in ("postgresql", "postgres", "postgresql+psycopg"):
            query = parse_qs(parsed.query)
            return cls(
                backend="postgres",
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 5432,
                user=unquote(parsed.username or "postgres"),
                password=unquote(parsed.password or ""),
                dbname=(parsed.path or "/").lstrip("/") or "postgres",
                schema=query.get("schema", [""])[0],
            )
        raise ValueError(f"unsupported database URL scheme {parsed.scheme!r}: "
                         "use sqlite:///path or postgresql://user@host:port/db")

    def eventsourcing_env(self) -> dict[str, str]:
        if self.backend == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        if self.backend == "sqlite":
            assert self.sqlite_path is not None
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            return {"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                    "SQLITE_DBNAME": str(self.sqlite_path), "SQLITE_LOCK_TIMEOUT": "30"}
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.dbname, "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port), "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password, "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_POOL_SIZE": "5", "POSTGRES_MAX_OVERFLOW": "10",
            "POSTGRES_PRE_PING": "y",
        }
        if self.schema:
            env["POSTGRES_SCHEMA"] = self.schema
        return env

    def psycopg_conninfo(self) -> str:
        parts = [f"host={self.host}", f"port={self.port}", f"user={self.user}",
                 f"dbname={self.dbname}"]
        if self.password:
            parts.append(f"password={self.password}")
        return " ".join(parts)
