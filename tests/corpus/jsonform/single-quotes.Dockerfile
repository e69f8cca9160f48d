FROM python:3.12-slim
# single quotes are not JSON: BuildKit runs this through /bin/sh -c
CMD ['python', 'app.py']
ENTRYPOINT ['/entrypoint.sh']
