FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        build-essential cmake ninja-build libboost-program-options-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt .
COPY src/ src/
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build --parallel \
 && strip build/app

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libboost-program-options1.74.0 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/app /usr/local/bin/app
USER nobody
ENTRYPOINT ["app"]
