"""Signing in and out: the OAuth2 password flow, refresh-token rotation, logout."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from app.dependencies import AuthServiceDep, ClientAddress
from app.routers.responses import TOO_MANY, problem
from app.schemas.auth import LogoutRequest, RefreshRequest, TokenPair


async def no_store(response: Response) -> None:
    """RFC 6749 §5.1: a response that carries tokens is never cached, anywhere."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"


router = APIRouter(prefix="/auth", tags=["auth"], dependencies=[Depends(no_store)])
REFUSED = problem(401, "Wrong credentials, or a token that is bad or used up")


@router.post("/token", summary="Sign in", responses={**REFUSED, **TOO_MANY})
async def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    auth: AuthServiceDep,
    client: ClientAddress,
) -> TokenPair:
    """OAuth2 password flow: the email goes in `username`. This is what the
    Authorize button of /docs calls. Repeated failures slow down, per address."""
    return await auth.login(email=form.username, password=form.password, client=client)


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
