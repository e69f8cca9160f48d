# syntax=docker/dockerfile:1
FROM alpine:3.20
ARG APP_VERSION=1.2.3
ARG APP_USER=svc
ENV APP_HOME=/opt/app

COPY <<EOF ${APP_HOME}/VERSION
${APP_VERSION}
EOF

RUN <<EOF
addgroup -S ${APP_USER}
adduser -S -G ${APP_USER} -h ${APP_HOME} ${APP_USER}
echo "user=\${APP_USER} home=\$APP_HOME"
EOF
USER ${APP_USER}
WORKDIR ${APP_HOME}
