FROM alpine:3.20 AS build
RUN apk add --no-cache build-base cmake ninja git curl zip unzip tar pkgconf linux-headers perl
ENV VCPKG_ROOT=/opt/vcpkg VCPKG_FORCE_SYSTEM_BINARIES=1
RUN git clone --depth 1 https://github.com/microsoft/vcpkg.git $VCPKG_ROOT && $VCPKG_ROOT/bootstrap-vcpkg.sh -disableMetrics
WORKDIR /src
COPY vcpkg.json .
RUN $VCPKG_ROOT/vcpkg install --triplet x64-linux
COPY . .
RUN cmake -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE=$VCPKG_ROOT/scripts/buildsystems/vcpkg.cmake -DCMAKE_EXE_LINKER_FLAGS=-static \
 && cmake --build build

FROM scratch
COPY --from=build /src/build/server /server
ENTRYPOINT ["/server"]
