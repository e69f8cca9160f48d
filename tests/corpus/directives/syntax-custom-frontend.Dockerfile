#syntax=registry.example.com/frontends/dockerfile-ext:2.1
FROM registry.example.com/base/runtime:2024.06
RUN echo custom frontend image
