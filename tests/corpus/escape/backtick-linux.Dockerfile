# escape=`
FROM debian:bookworm-slim
# a backtick escape in a Linux image; backslash is a literal here
RUN apt-get update `
 && apt-get install -y --no-install-recommends ca-certificates `
 && rm -rf /var/lib/apt/lists/*
RUN printf 'a\tb\n' > /tmp/tabs.txt
ENV WIN_STYLE=C:\not\a\path
