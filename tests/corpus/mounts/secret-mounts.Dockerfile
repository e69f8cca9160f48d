# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc cat /root/.npmrc >/dev/null
RUN --mount=type=secret,id=aws,required=true,mode=0400,uid=0 \
    AWS_SHARED_CREDENTIALS_FILE=/run/secrets/aws aws s3 cp s3://bucket/file /tmp/
RUN --mount=type=secret,id=GITHUB_TOKEN,env=GITHUB_TOKEN \
    wget --header="Authorization: Bearer $GITHUB_TOKEN" -qO /tmp/asset https://api.github.com/repos/o/r/releases/latest
RUN --mount=type=secret,id=key,dst=/etc/key.pem,required=false test -f /etc/key.pem || echo "no key"
