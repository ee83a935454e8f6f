FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=sharedlives.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
    libfontconfig1 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY sharedlives sharedlives
COPY schemes schemes
COPY carers carers
COPY matching matching
COPY outcomes outcomes
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only python manage.py collectstatic --noinput -v0
RUN useradd --create-home app && mkdir -p /app/var && chown app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "sharedlives.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
