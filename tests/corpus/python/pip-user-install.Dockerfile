FROM python:3.9-slim AS compile
RUN pip install --user --no-cache-dir --no-warn-script-location -r /dev/stdin <<EOF
requests==2.32.3
click==8.1.7
EOF

FROM python:3.9-slim
COPY --from=compile /root/.local /root/.local
ENV PATH=/root/.local/bin:$PATH
COPY cli.py /usr/local/bin/cli.py
ENTRYPOINT ["python", "/usr/local/bin/cli.py"]
