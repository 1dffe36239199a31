"""Setting up a new workspace so that it works out of the box."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.default_catalog import DEFAULT_MODELS
from application.model_commands import ModelCommands
from application.workspace_commands import WorkspaceCommands
from domain.workspace import Workspace


@dataclass
class OnboardWorkspace:
    workspaces: WorkspaceCommands
    models: ModelCommands

    def execute(self, name: str, workspace_id: UUID | None = None) -> Workspace:
        workspace = self.workspaces.create(name, workspace_id)
        for model_id, input_price, output_price, cached_price in DEFAULT_MODELS:
            self.models.configure(workspace.id, model_id, True, input_price, output_price,
                                  cached_price)
        return workspace
