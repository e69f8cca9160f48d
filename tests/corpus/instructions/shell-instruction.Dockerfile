FROM debian:bookworm-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | bash
SHELL ["/bin/sh", "-c"]
RUN echo back to sh
SHELL [ "/bin/bash", "-euxo", "pipefail", "-c" ]
RUN set -o | grep pipefail
