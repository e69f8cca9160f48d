FROM debian:bookworm-slim
COPY app /opt/app
RUN chmod -R 777 /opt/app
RUN chown -R nobody:nogroup /opt/app
USER nobody
