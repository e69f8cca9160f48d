FROM ${{BASE}}
ARG VERSION=${{VERSION}}
RUN echo "{{.Name}} {{.Version}}"
COPY --from=builder /out/{{.Binary}} /usr/local/bin/{{.Binary}}
ENTRYPOINT ["/usr/local/bin/{{.Binary}}"]
