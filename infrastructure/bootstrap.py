"""The composition root: reads the settings once and wires every adapter.

Tests call ``build_gateway`` with their own settings (a test database, ``memory://``), a
fake clock or a fast password hasher; nothing else in the code base reads the environment.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from application.client_commands import ClientCommands
from application.key_commands import KeyCommands
from application.model_commands import ModelCommands
from application.onboarding import OnboardWorkspace
from application.ports import Clock, PasswordHasher, SecretGenerator
from application.proxy.limit_gate import LimitGate
from application.proxy.limit_ports import LimitCounters
from application.proxy.provider import ProviderDirectory
from application.proxy.relay import ProxyRelay
from application.staff_commands import StaffCommands
from application.workspace_commands import WorkspaceCommands
from domain.errors import Conflict
from domain.ids import DEFAULT_WORKSPACE_ID
from infrastructure.argon2_hasher import Argon2PasswordHasher
from infrastructure.database_url import DatabaseUrl
from infrastructure.dev_secrets import DevSecrets, load_or_create_dev_secrets
from infrastructure.event_store import LedgerEvents, ManagementEvents, open_ledger, open_management
from infrastructure.eventsourced_store import EventSourcedAggregateStore
from infrastructure.fernet_cipher import FernetSecretCipher
from infrastructure.httptools_upstream import HttptoolsUpstream
from infrastructure.httpx_upstream import HttpxUpstream
from infrastructure.in_memory_limit_counters import InMemoryLimitCounters
from infrastructure.management_follower import ManagementLogFollower
from infrastructure.postgres_limit_counters import PostgresLimitCounters
from infrastructure.postgres_usage_writer import PostgresUsageWriter
from infrastructure.projection_runner import ProjectionRunner
from infrastructure.projection_wiring import open_projections
from infrastructure.prometheus_metrics import PrometheusWriterObserver
from infrastructure.random_secrets import RandomSecretGenerator
from infrastructure.recent_response_owners import RecentResponseOwners
from infrastructure.settings import GatewaySettings, refuse_placeholder_secrets
from infrastructure.system_clock import SystemClock
from infrastructure.usage_writer import GroupCommitUsageWriter
from projections.management_state import ManagementState
from projections.ports import ReadModelDatabase
from projections.queries.limit_seed import seeded_cycle
from projections.response_owners import response_owner

log = logging.getLogger(__name__)


@dataclass
class Gateway:
    settings: GatewaySettings
    database: DatabaseUrl
    management: ManagementEvents
    state: ManagementState
    follower: ManagementLogFollower
    clock: Clock
    cipher: FernetSecretCipher
    workspaces: WorkspaceCommands
    clients: ClientCommands
    keys: KeyCommands
    models: ModelCommands
    staff: StaffCommands
    onboarding: OnboardWorkspace
    ledger: LedgerEvents
    usage_writer: GroupCommitUsageWriter | PostgresUsageWriter
    relay: ProxyRelay
    read_models: ReadModelDatabase
    projections: ProjectionRunner
    dev_secrets: DevSecrets | None = None
    jobs: Any = None  # ScheduledJobs, once start() has run
    extras: dict[str, Any] = field(default_factory=dict)

    def start(self) -> None:
        """Background work of a serving process: log following, the ledger writer, the
        projections and the scheduled jobs (the last two run where elected)."""
        self.follower.start()
        self.usage_writer.start()
        if self.settings.serve_projections:
            self.start_read_side()

    def start_read_side(self) -> None:
        """Projections and scheduled jobs; ``llm-gateway projections run`` runs them in a
        process of their own, so they take no GIL time from serving processes."""
        self.follower.start()
        self.projections.start()
        if self.settings.scheduled_jobs:
            from infrastructure.job_wiring import scheduled_jobs

            self.jobs = scheduled_jobs(self)
            self.jobs.start()

    def close(self) -> None:
        if self.jobs is not None:
            self.jobs.stop()
            self.jobs = None
        self.usage_writer.stop()
        self.projections.stop()
        self.follower.stop()
        self.read_models.close()
        self.ledger.close()
        self.management.close()


def build_gateway(settings: GatewaySettings | None = None, *, clock: Clock | None = None,
                  hasher: PasswordHasher | None = None,
                  secrets: SecretGenerator | None = None) -> Gateway:
    settings = settings or GatewaySettings()
    refuse_placeholder_secrets(settings)
    dev = load_or_create_dev_secrets(settings.data_dir) if settings.env == "development" \
        and (settings.secret_key is None or settings.admin_token is None) else None
    secret_key = settings.secret_key.get_secret_value() if settings.secret_key else \
        dev.secret_key if dev else ""
    database = DatabaseUrl.parse(settings.database_url)
    management = open_management(database)
    state = ManagementState()
    follower = ManagementLogFollower(management, state, settings.follow_interval_seconds)
    store = EventSourcedAggregateStore(management, after_save=follower.catch_up)
    clock = clock or SystemClock()
    secrets = secrets or RandomSecretGenerator()
    cipher = FernetSecretCipher(secret_key)
    workspaces = WorkspaceCommands(store, cipher, secrets)
    models = ModelCommands(store, clock)
    ledger = open_ledger(database)
    read_models, projections = open_projections(database, management, ledger)
    usage_writer = usage_writer_for(database, ledger, settings.usage_batch_size)
    relay = ProxyRelay(directory=state, providers=ProviderDirectory(cipher),
                       upstream=upstream_for(settings), ledger=usage_writer, clock=clock,
                       limits=LimitGate(limit_counters_for(database, read_models)),
                       responses=RecentResponseOwners(partial(response_owner, read_models)))
    gateway = Gateway(
        settings=settings, database=database, management=management, state=state,
        follower=follower, clock=clock, cipher=cipher, workspaces=workspaces,
        clients=ClientCommands(store), keys=KeyCommands(store, clock, secrets), models=models,
        staff=StaffCommands(store, hasher or Argon2PasswordHasher()),
        onboarding=OnboardWorkspace(workspaces, models), ledger=ledger,
        usage_writer=usage_writer, relay=relay, dev_secrets=dev,
        read_models=read_models, projections=projections,
    )
    follower.catch_up()
    return gateway


def usage_writer_for(database: DatabaseUrl, ledger: LedgerEvents,
                     batch_size: int) -> GroupCommitUsageWriter | PostgresUsageWriter:
    """PostgreSQL commits from the event loop; SQLite, which has no async driver here,
    from a writer thread."""
    if database.backend == "postgres":
        return PostgresUsageWriter(ledger, database.psycopg_conninfo(),
                                   schema=database.schema or "public", batch_size=batch_size,
                                   observer=PrometheusWriterObserver())
    return GroupCommitUsageWriter(ledger, batch_size, PrometheusWriterObserver())


def upstream_for(settings: GatewaySettings) -> HttptoolsUpstream | HttpxUpstream:
    return HttpxUpstream() if settings.upstream_client == "httpx" else HttptoolsUpstream()


def limit_counters_for(database: DatabaseUrl, read_models: ReadModelDatabase) -> LimitCounters:
    """Shared counters in PostgreSQL; SQLite serves from one process, so memory will do.
    Either starts a client's cycle from what the usage-per-cycle read model counted."""
    seed = partial(seeded_cycle, read_models)
    if database.backend == "postgres":
        return PostgresLimitCounters(database.psycopg_conninfo(), seed)
    return InMemoryLimitCounters(seed)


@dataclass(frozen=True)
class FirstRun:
    """What a person needs to start: printed by ``llm-gateway serve``."""

    admin_token: str | None
    staff_email: str | None
    staff_password: str | None


def ensure_default_workspace(gateway: Gateway) -> FirstRun:
    """Creates the default workspace once, and adopts the configured admin token.

    Safe to run from several processes at once: a lost creation race is a Conflict.
    """
    settings, dev = gateway.settings, gateway.dev_secrets
    if gateway.state.workspace(DEFAULT_WORKSPACE_ID) is None:
        try:
            gateway.onboarding.execute("Default workspace", DEFAULT_WORKSPACE_ID)
        except Conflict:
            gateway.follower.catch_up()
    token = settings.admin_token.get_secret_value() if settings.admin_token else \
        dev.admin_token if dev else None
    if token:
        try:
            gateway.workspaces.ensure_admin_token(DEFAULT_WORKSPACE_ID, token, "bootstrap")
        except Conflict:
            gateway.follower.catch_up()
    if dev is None:
        return FirstRun(token, None, None)
    if not gateway.state.staff_of(DEFAULT_WORKSPACE_ID):
        try:
            gateway.staff.add(DEFAULT_WORKSPACE_ID, dev.staff_email, dev.staff_password, "admin")
        except Conflict:
            gateway.follower.catch_up()
    return FirstRun(token, dev.staff_email, dev.staff_password)
