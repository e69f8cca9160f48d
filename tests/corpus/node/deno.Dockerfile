FROM denoland/deno:alpine-1.45.2
EXPOSE 8000
WORKDIR /app
USER deno
COPY deps.ts .
RUN deno cache deps.ts
COPY . .
RUN deno cache main.ts
CMD ["run", "--allow-net", "main.ts"]
