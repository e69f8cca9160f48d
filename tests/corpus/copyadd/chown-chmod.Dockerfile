# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN useradd -u 10001 app
COPY --chown=app:app src/ /srv/app/
COPY --chown=10001:10001 config.yaml /etc/app/config.yaml
COPY --chown=app config.d/ /etc/app/config.d/
COPY --chown=${APP_UID:-10001}:app shared.txt /srv/shared.txt
COPY --chmod=0755 entrypoint.sh /usr/local/bin/entrypoint.sh
COPY --chmod=644 README.txt /srv/README.txt
COPY --chmod=u=rwx,g=rx,o= bin/tool /usr/local/bin/tool
COPY --chown=app:app --chmod=0600 secrets.env /srv/.env
ADD --chown=app:app --chmod=0440 https://example.com/ca.pem /etc/ssl/certs/corp-ca.pem
USER app
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
