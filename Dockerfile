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

# Run as an unprivileged user. It owns only the two file directories, both named
# volumes: media, and private (complaint attachments, served only through a view).
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin portal \
 && mkdir -p /app/var/media /app/var/private \
 && chown portal:portal /app/var/media /app/var/private
USER portal
# The code tree is read-only for the app user; caches (fontconfig for PDFs) go to /tmp.
ENV XDG_CACHE_HOME=/tmp/cache

ENV STATIC_MANIFEST=true
EXPOSE 8000
# Workers, threads, --preload and JSON logging come from gunicorn.conf.py.
CMD ["gunicorn", "efficiency_portal.wsgi:application", "--bind", "0.0.0.0:8000"]
