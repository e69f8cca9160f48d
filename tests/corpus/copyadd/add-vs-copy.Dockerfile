FROM debian:bookworm-slim
# ADD used where COPY would do (a linter should flag these)
ADD requirements.txt /app/
ADD src /app/src
ADD . /app
# ADD used for what only ADD does
ADD rootfs.tar.gz /
ADD https://example.com/tool /usr/local/bin/tool
RUN chmod +x /usr/local/bin/tool
