# The bot for deployment: `docker compose up` runs it in webhook mode beside PostgreSQL and
# Redis (compose.yaml); any number of replicas behave as one bot.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Dependencies first (pyproject.toml's, installed through empty packages that are then
# removed): a change to the code does not reinstall them. The code runs from /app.
COPY pyproject.toml README.md ./
RUN mkdir -p bot handlers storage \
    && touch bot/__init__.py handlers/__init__.py storage/__init__.py \
    && pip install . \
    && pip uninstall -y civic-bot \
    && rm -rf bot handlers storage build *.egg-info
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY templates ./templates
COPY alembic.ini ./
RUN useradd --system --uid 10001 --home-dir /app bot \
    && mkdir -p /app/data && chown bot /app/data
USER bot

EXPOSE 8080
# Migrations run at start, under a lock, so replicas may start together.
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s \
    CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=2)" || exit 1
ENTRYPOINT ["python", "-m", "bot"]
CMD ["webhook"]
