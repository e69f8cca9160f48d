FROM python:3.12-slim
ENTRYPOINT ["python", "-m", "app"]
# a shell-form argument that starts with -- is read as a flag of CMD,
# and CMD has no flags, so BuildKit reports an unknown flag
CMD --port 8000
