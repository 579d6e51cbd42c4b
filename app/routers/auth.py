"""Signing in and out: the OAuth2 password flow, refresh-token rotation, logout."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from app.dependencies import AuthServiceDep, BearerToken
from app.schemas.auth import RefreshRequest, TokenPair

router = APIRouter(prefix="/auth", tags=["auth"])
REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"description": "Wrong credentials, or a token that is bad or used up"}
}


@router.post("/token", summary="Sign in", responses=REFUSED)
async def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], auth: AuthServiceDep
) -> TokenPair:
    """OAuth2 password flow: the email goes in `username`. This is what the
    Authorize button of /docs calls."""
    return await auth.login(email=form.username, password=form.password)


@router.post("/refresh", summary="Refresh the tokens", responses=REFUSED)
async def refresh(data: RefreshRequest, auth: AuthServiceDep) -> TokenPair:
    """A new pair for the newest refresh token; reusing an old one ends the session."""
    return await auth.refresh(data.refresh_token)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Sign out",
    responses=REFUSED,
)
async def logout(token: BearerToken, auth: AuthServiceDep) -> None:
    """End this session: its access and refresh tokens stop working now."""
    await auth.logout(token)
