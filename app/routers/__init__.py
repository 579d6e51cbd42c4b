"""HTTP routes, one module per resource; `api_router` holds everything versioned."""

from fastapi import APIRouter

from app.routers import auth, items, meta, users

api_router = APIRouter()
api_router.include_router(meta.router)
api_router.include_router(auth.router)
api_router.include_router(users.router)
api_router.include_router(items.router)
