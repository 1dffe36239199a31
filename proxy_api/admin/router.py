"""All admin routes under /admin/v1."""

from __future__ import annotations

from fastapi import APIRouter

from proxy_api.admin import audit, clients, keys, models, settings, staff

router = APIRouter(prefix="/admin/v1")
for module in (clients, keys, models, settings, staff, audit):
    router.include_router(module.router)
