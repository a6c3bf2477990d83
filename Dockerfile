# Production image: gunicorn for web; the same image runs the Celery worker and beat
# (see docker-compose.yml). Build: docker build -t efficiency-portal .
FROM python:3.11-slim

# Pango for WeasyPrint PDFs; a CJK font so Chinese prints as glyphs, not boxes.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install -r requirements.lock

COPY . .

# Hashed, compressed static files and compiled translations are baked into the image.
# Settings refuse to load without these variables; the values here exist only for the
# build step (nothing connects to them) and are not kept in the image's environment.
RUN DATABASE_URL=postgres://build@127.0.0.1:5432/build \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    SECRET_KEY=build-only-not-used-at-run-time \
    STATIC_MANIFEST=true \
    python manage.py collectstatic --noinput --verbosity 0 \
 && python -m efficiency_portal.i18n_compile

# Run as an unprivileged user; it owns only the media directory (a named volume).
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin portal \
 && mkdir -p /app/var/media \
 && chown portal:portal /app/var/media
USER portal

ENV STATIC_MANIFEST=true
EXPOSE 8000
# Workers, threads, --preload and JSON logging come from gunicorn.conf.py.
CMD ["gunicorn", "efficiency_portal.wsgi:application", "--bind", "0.0.0.0:8000"]
