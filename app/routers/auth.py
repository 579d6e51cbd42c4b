"""Signing in and out: the OAuth2 password flow, refresh-token rotation, logout."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from app.dependencies import AuthServiceDep
from app.schemas.auth import LogoutRequest, RefreshRequest, TokenPair

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


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out")
async def logout(data: LogoutRequest, auth: AuthServiceDep) -> None:
    """End the session of this refresh token: its access and refresh tokens stop
    working now. Works after the access token has expired, and answers 204
    whatever the token (as RFC 7009 revocation does), revealing nothing about it."""
    await auth.logout(data.refresh_token)
