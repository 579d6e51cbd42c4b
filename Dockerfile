# The service's image: `docker build -t fastapi-in-production .`
# Two stages: the first installs the pinned packages into a virtual environment,
# the second copies that environment and the code into a clean image, without
# pip's caches or build tools, and runs it as a user that is not root.

FROM python:3.11.14-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
# requirements.txt alone first: this layer is rebuilt only when the pins change.
COPY requirements.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --no-deps --require-virtualenv -r /tmp/requirements.txt

FROM python:3.11.14-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    APP_ENVIRONMENT=production
WORKDIR /srv
COPY --from=build /opt/venv /opt/venv
# The code belongs to root and is only read: the service cannot change itself.
COPY alembic.ini gunicorn.conf.py ./
COPY alembic ./alembic
COPY app ./app
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
# By number: Kubernetes' runAsNonRoot can only verify a numeric user.
USER 10001:10001
# Liveness only: a database outage must not mark every container unhealthy.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
EXPOSE 8000
# What Gunicorn's master takes as "finish your requests, then exit".
STOPSIGNAL SIGTERM
CMD ["gunicorn", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "app.main:app"]
