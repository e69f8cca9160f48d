FROM alpine:3.20
RUN wget -q https://example.com/a -O /a
RUN curl -fsSLo /b https://example.com/b
